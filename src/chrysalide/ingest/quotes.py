"""Quotes that a plain-text export left in the member's words, moved to ``quoted_text`` when they can be proved.

A forum scraped as plain text (a CSV or JSON Lines export of phpBB pages) keeps each quote inline: the header
phpBB renders ("NAME a écrit :↑07 janv. 2022 à 00:04", "NAME wrote: ↑Sun Jan 07, 2022 12:04 am", "NAME hat
geschrieben: ↑Fr 7. Jan 2022, 00:04"; an export may glue the name to the verb, "plixaa écrit") then the quoted
post, then the reply, with no separator. Left in ``text``, the quote is coded and classified as the quoting
member's own words. ``ingest/bbcode.py`` sets quotes apart from their markup; here there is none, so the
boundary is taken only where the text proves it:

- a header counts at the start of the message or of a line; headers that follow one another (a quote nested
  in a quote, its header right after the outer date, as ``privacy/scrubber.py`` reads them) are one run;
- the text after the run is compared, whitespace ignored (the export glues lines: "tout.Je"), with every
  *earlier* message of the import and of the source's stored messages (``quoted_text`` then ``text``):
  earlier by date, undated last, then in the import's order, as positions in threads are
  (``writer.position_sql``); a later message may quote this one and so contain its reply;
- the longest prefix found in one of them, at least ``MIN_CHARS`` characters long, moves to ``quoted_text``
  with the header run; the rest stays in ``text``. The match goes on over a difference of up to ``GAP``
  characters that ``MIN_CHARS`` matching ones follow (the board's word replacements: "RDV" in a post,
  "rendez-vous" in its quote), is cut back to the start of a word it ends inside, and, for a quote of one
  post, ends where the next longest does when it outruns it by less than ``MIN_CHARS`` (``_Quote.matched``);
- a header whose text matches nothing stays where it is: no boundary is guessed. Both cases are counted in
  the import report.

It runs after pass 2 (``finish.py``): the texts are then cleaned and scrubbed, as the stored messages they are
compared with, and every chunk is at hand. The earlier messages are streamed chunk by chunk; each header's
quote is looked up only in messages that hold one of its longest first words (one set operation per
message), at the places where a word starts (one dictionary lookup each).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from chrysalide.ingest.staging import Chunk, write

if TYPE_CHECKING:
    from chrysalide.store import Store

#: Importers whose text is a plain-text rendering in which quotes may stand inline.
FORMATS = frozenset({"csv", "jsonl"})
#: The shortest quote moved (whitespace not counted): a shorter match ("Bonjour à toutes") proves nothing.
MIN_CHARS = 30
#: The longest difference (each side) between a quote and its original over which the match goes on.
GAP = 20
#: Words of a quote's start that a message must hold to be compared with it (the longest ones).
ANCHORS = 3

# phpBB's dates in its French, English and German packs, with a weekday or not: "07 janv. 2022 à 00:04",
# "Sun Jan 07, 2022 12:04 am", "Jan 7th, '22, 00:04", "Fr 7. Jan 2022, 00:04", "Aujourd’hui, 10:03". "am" and
# "pm" in lower case and not followed by one: a quote glued to the time may start with "pma" or "Amen".
_MONTH = r"[^\W\d_]{3,5}\.?"
_DATE = (
    rf"(?:[^\W\d_]{{2,4}}\.?,?\s)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th|er)?\.?\s{_MONTH},?\s(?:\d{{4}}|'\d\d)"
    rf"|{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?,\s(?:\d{{4}}|'\d\d)"
    r"|[^\W\d_][\w’']{2,12})"
    r",?\s(?:à\s|um\s|at\s)?\d{1,2}:\d\d(?:\s?(?-i:[ap]m(?![a-z])))?"
)
# "NAME a écrit :", "NAMEa écrit :" (glued by the export), "NAME wrote:", "NAME hat geschrieben:", then the
# arrow phpBB links to the quoted post and the date, each optional. A name is one or two words, without
# the punctuation of a sentence ("Bonjour, ma gynéco a écrit" is no header).
_HEADER = (
    r"[^\s:↑,;!?]{1,60}?(?:[ ][^\s:↑,;!?]{1,60}?)?"
    r"(?:\s?a\s+écrit|\s?wrote|\s?hat\s+geschrieben)\s*:[ \t\u00a0]*"
    rf"(?:↑[ \t\u00a0]*(?:{_DATE})?|{_DATE})?[ \t\u00a0]*"
)
_LINE_HEADER = re.compile(rf"^[ \t]*(?:{_HEADER})", re.M | re.I)
_NESTED = re.compile(_HEADER, re.I)
_VERBS = ("écrit", "wrote", "geschrieben")
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+")
# Where a word starts without whitespace before it: after a sign ("tout.Je") or a letter after a digit (a
# quote right after the date of a header, "à 11:23Je me sens").
_GLUED_START = re.compile(r"(?<=\W)\w|(?<=\d)[^\W\d_]")
_UNDATED = datetime.max


@dataclass
class QuoteCounts:
    """What setting quotes apart did: headers found, quotes moved, headers left, characters moved."""

    messages: int = 0  # messages with at least one header
    headers: int = 0
    moved: int = 0
    left: int = 0
    characters: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts that are not zero (the import report's ``quotes``)."""
        return {k: v for k, v in vars(self).items() if v}


@dataclass
class _Quote:
    """One header run of a message and the lengths its text matched in earlier messages."""

    order: tuple[datetime, int]  # the quoting message's place in time: earlier messages are below it
    start: int  # where the header run starts in the text
    body: int  # where the quoted text would start
    probe: str  # the text from ``body`` without whitespace
    breaks: frozenset[int]  # the places in ``probe`` where whitespace was
    anchors: list[str]  # words of the probe's start that an earlier message holding it holds too
    depth: int  # headers in the run: 2 and more for a quote of a quote
    found: list[int] = field(default_factory=list)  # characters of ``probe`` found, by earlier message

    @property
    def matched(self) -> int:
        """Characters of ``probe`` that are a quote (0: none proved).

        The longest match, but for a quote of one post: two replies to the same post (an earlier one found
        with its quote) may start alike ("Bonjour, "), so a match that outruns the next longest by less than
        ``MIN_CHARS`` characters ends where that one does. A quote of a quote holds the inner post's reply:
        there the longest match stands.
        """
        found = sorted(self.found, reverse=True)
        if self.depth == 1 and len(found) > 1 and found[0] - found[1] < MIN_CHARS:
            return found[1]
        return found[0] if found else 0


def separate(store: Store, source_id: str, chunks: list[Chunk]) -> QuoteCounts:
    """Move proved quotes of the finished chunks (``chunk.ready``) to ``quoted_text``; rewrite those chunks."""
    counts = QuoteCounts()
    found = [_headers(chunk, counts) for chunk in chunks]
    quotes = [q for rows in found for runs in rows.values() for q in runs if len(q.probe) >= MIN_CHARS]
    if not quotes:
        counts.left = counts.headers
        return counts
    index: dict[str, list[_Quote]] = {}
    for quote in quotes:
        index.setdefault(quote.probe[:MIN_CHARS], []).append(quote)
    anchored = all(q.anchors for q in quotes)
    words = {w for q in quotes for w in q.anchors} if anchored else None
    for text, order in _earlier(store, source_id, chunks):
        _match(text, order, index, words)
    for chunk, rows in zip(chunks, found, strict=True):
        if rows:
            _rewrite(chunk, rows, counts)
    return counts


def _order(posted: datetime | None, seq: int) -> tuple[datetime, int]:
    return (posted or _UNDATED, seq)


def _headers(chunk: Chunk, counts: QuoteCounts) -> dict[int, list[_Quote]]:
    """The header runs at line starts of the chunk's messages, by row."""
    table = pq.read_table(chunk.ready, columns=["text", "posted_at"])
    found: dict[int, list[_Quote]] = {}
    texts, dates = table["text"].to_pylist(), table["posted_at"].to_pylist()
    for row, (text, posted) in enumerate(zip(texts, dates, strict=True)):
        if not text or not any(v in text for v in _VERBS):
            continue
        order = _order(posted, chunk.offset + row)
        runs = [_run(text, m.start(), m.end(), order) for m in _LINE_HEADER.finditer(text)]
        if runs:
            found[row] = runs
            counts.messages += 1
            counts.headers += len(runs)
    return found


def _run(text: str, start: int, end: int, order: tuple[datetime, int]) -> _Quote:
    """The header run from ``start`` (headers nested right after the first are part of it) and its quote."""
    depth = 1
    while (nested := _NESTED.match(text, end)) and nested.end() > end:
        end, depth = nested.end(), depth + 1
    rest = text[end:]
    probe, breaks = _joined(rest)
    # The longest words that end within the first MIN_CHARS characters, but the first, which may be glued in
    # the earlier message to what precedes it there: a message without any of them cannot hold the quote's
    # start (an export may glue other words too, hence several).
    anchors, seen = [], 0
    for token in rest.split():
        anchors += [w.group() for w in _WORD.finditer(token) if seen + w.end() <= MIN_CHARS and seen + w.start() > 0]
        seen += len(token)
        if seen >= MIN_CHARS:
            break
    anchors = sorted(dict.fromkeys(anchors), key=len, reverse=True)[:ANCHORS]
    return _Quote(order, start, end, probe, breaks, anchors, depth)


def _joined(text: str) -> tuple[str, frozenset[int]]:
    """``text`` without whitespace, and the places in it where whitespace was."""
    tokens = text.split()
    breaks, seen = set(), 0
    for token in tokens:
        seen += len(token)
        breaks.add(seen)
    return "".join(tokens), frozenset(breaks)


def _earlier(store: Store, source_id: str, chunks: list[Chunk]) -> Iterator[tuple[str, tuple[datetime, int]]]:
    """Every text a quote may copy, with its place in time: the stored messages, then the import's."""
    cursor = store.con.execute(
        "SELECT concat_ws(' ', quoted_text, text), posted_at FROM messages WHERE source_id = ?", [source_id]
    )
    while rows := cursor.fetchmany(10_000):
        for text, posted in rows:
            yield text, _order(posted, -1)
    for chunk in chunks:
        table = pq.read_table(chunk.ready, columns=["text", "posted_at"])
        texts, dates = table["text"].to_pylist(), table["posted_at"].to_pylist()
        for row, (text, posted) in enumerate(zip(texts, dates, strict=True)):
            yield text, _order(posted, chunk.offset + row)


def _match(
    text: str | None, order: tuple[datetime, int], index: dict[str, list[_Quote]], words: set[str] | None
) -> None:
    """Record, for every later quote whose start ``text`` holds, the longest match in ``text``.

    A quote starts where a word does in the earlier text: after whitespace, a sign or a digit. Each such
    place is looked up by its first ``MIN_CHARS`` characters among the quotes' starts, so that the cost is
    one lookup per word of the earlier texts, whatever the number of quotes.
    """
    if not text or (words is not None and words.isdisjoint(_WORD.findall(text))):
        return
    joined, breaks = _joined(text)
    starts = {0} | {b for b in breaks if b < len(joined)} | {m.start() for m in _GLUED_START.finditer(joined)}
    best: dict[int, tuple[_Quote, int]] = {}
    for start in sorted(starts):
        for quote in index.get(joined[start : start + MIN_CHARS], ()):
            if (
                order < quote.order
                and (length := _at(quote, joined, breaks, start)) > best.get(id(quote), (quote, 0))[1]
            ):
                best[id(quote)] = (quote, length)
    for quote, length in best.values():
        quote.found.append(length)


def _at(quote: _Quote, joined: str, breaks: frozenset[int], start: int) -> int:
    """How much of the quote ``joined`` holds from ``start``, cut back to a word boundary; 0 below MIN_CHARS.

    A match that ends inside a word, of the earlier text or of the quoting message, is cut back to the start
    of that word: what follows in the quoting message may be the reply, which only happens to start with the
    same letters ("tout.Je suis" quoted, then "Jeudi..." glued to it). A match that reaches the end of the
    earlier text is whole.
    """
    probe = quote.probe
    length, end = _aligned(probe, joined, start)
    if end < len(joined) and probe[length - 1].isalnum() and _inside(joined, end, breaks, probe, length, quote):
        while length and probe[length - 1].isalnum() and length not in quote.breaks:
            length -= 1
    return length if length >= MIN_CHARS else 0


def _inside(joined: str, end: int, breaks: frozenset[int], probe: str, length: int, quote: _Quote) -> bool:
    """Whether a match ending at ``end`` in ``joined`` and ``length`` in ``probe`` ends inside a word of either."""
    in_earlier = end not in breaks and joined[end].isalnum()
    in_quote = length < len(probe) and length not in quote.breaks and probe[length].isalnum()
    return in_earlier or in_quote


def _aligned(probe: str, joined: str, start: int) -> tuple[int, int]:
    """How far ``probe`` follows ``joined`` from ``start``, over differences of at most ``GAP`` characters.

    phpBB renders a quote through the board's word replacements, the post itself not always ("RDV" in a post,
    "rendez-vous" in its quote): after a difference, the quote goes on if its next ``MIN_CHARS`` characters
    come within ``GAP`` characters in the earlier text. Returns the ends in ``probe`` and in ``joined``.
    """
    i, j = 0, start
    while True:
        step = _common(probe[i:], joined, j, 0)
        i, j = i + step, j + step
        for skip in range(GAP + 1):
            piece = probe[i + skip : i + skip + MIN_CHARS]
            if len(piece) < MIN_CHARS:
                return i, j
            found = joined.find(piece, j, j + GAP + MIN_CHARS)
            if found >= 0:
                i, j = i + skip, found
                break
        else:
            return i, j


def _common(probe: str, joined: str, start: int, known: int) -> int:
    """Length of the common prefix of ``probe`` and ``joined[start:]``, the first ``known`` characters equal.

    A binary search over slice comparisons: log(n) comparisons in C rather than a loop over characters.
    """
    low, high = known, min(len(probe), len(joined) - start)
    while low < high:
        middle = (low + high + 1) // 2
        if probe[low:middle] == joined[start + low : start + middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _end(text: str, body: int, length: int) -> int:
    """The index in ``text`` after the first ``length`` non-whitespace characters of ``text[body:]``."""
    seen = 0
    for token in _TOKEN.finditer(text, body):
        size = token.end() - token.start()
        if length <= seen + size:
            return token.start() + length - seen
        seen += size
    return len(text)


def _rewrite(chunk: Chunk, found: dict[int, list[_Quote]], counts: QuoteCounts) -> None:
    """The chunk's ready file with the proved quotes of its messages in ``quoted_text``; a message whose text
    had no markup to clean gets its text as the source gave it in ``source_text``, as markup cleaning does (the
    annotated corpora are joined on it: ``coding/annotated.py``)."""
    table = pq.read_table(chunk.ready)
    texts, quoted = table["text"].to_pylist(), table["quoted_text"].to_pylist()
    sources = table["source_text"].to_pylist()
    for row, runs in found.items():
        text, own, moved, last = texts[row], [], [], 0
        for quote in runs:
            if quote.start < last:
                continue  # inside a quote moved already: part of it
            if not quote.matched:
                counts.left += 1
                continue
            end = _end(text, quote.body, quote.matched)
            own.append(text[last : quote.start])
            moved.append(text[quote.start : end].strip())
            counts.moved += 1
            counts.characters += end - quote.start
            last = end
        if moved:
            sources[row] = text if sources[row] is None else sources[row]
            own.append(text[last:])
            texts[row] = "\n".join(p.strip() for p in own if p.strip())
            quoted[row] = "\n\n".join([q for q in (quoted[row],) if q] + moved)
    table = table.set_column(table.schema.get_field_index("text"), "text", pa.array(texts, pa.string()))
    table = table.set_column(table.schema.get_field_index("quoted_text"), "quoted_text", pa.array(quoted, pa.string()))
    table = table.set_column(table.schema.get_field_index("source_text"), "source_text", pa.array(sources, pa.string()))
    write(table, chunk.ready)
