"""Earlier imports of a source scrubbed again: for the names a later import brings, and for later rules.

A source imported in parts (monthly dumps) meets members whose first message comes after messages that
already named them. When an import adds names to a source that holds messages, the stored messages,
thread titles and rejected records of the source that contain one of the new names (a substring search
in DuckDB picks the candidates) are scrubbed again with the import's scrubber, in the import's
transaction (:func:`rescrub`).

Every import also puts the source's stored boards, links and Reddit profile references under the rules of
this version (:func:`stored`): a database built before a rule existed is fixed by importing its source
again. Boards that are a Reddit profile's own subreddit ("u_name") are renamed ("u_M-…", "u_[user]"), and
links that hold a member's name, also glued inside one of their words, are replaced, and so are the contact
details an earlier version missed (a phone number followed by a comma) and the names of people who are no
members (a self-introduction's, a doctor's, a sign-off's: :mod:`chrysalide.privacy.persons`). The rows where a
greeting is glued to a capital ("BonjourPaquerette": :mod:`chrysalide.privacy.glued`), and those where a member's
name is glued to digits or to a word ("3840paquerette", "Fifoupour"), are scrubbed again whole.

A stored reply that opens by naming a member who, as the store holds the thread after the import, wrote before it
in the thread (a message of this import dated earlier, or a member whose name this import brings) is scrubbed again
with those earlier authors (:func:`addressed`): the addressee rule of the import (:mod:`chrysalide.privacy.addressees`),
read by the same scrubber, so that a forum imported in parts stores what one import of all its files stores.

The text step's and the coders' rows of the messages changed are deleted (``store.step.process_again``; a
reviewer's codes stay) so that their next runs derive them from the scrubbed text (their segments held the
names, and the codes were drawn from the text as it was).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from chrysalide.ingest.naming import Naming
from chrysalide.privacy.contacts import PHONE_CANDIDATE, scrub_contacts
from chrysalide.privacy.glued import CANDIDATE as GLUED_GREETING
from chrysalide.privacy.glued import GLUED_CANDIDATE
from chrysalide.privacy.names import MIN_NAME_LEN, variants
from chrysalide.privacy.persons import CANDIDATE
from chrysalide.privacy.sources import follow
from chrysalide.store import Store
from chrysalide.store.step import process_again

_COLUMNS = ("text", "quoted_text", "title", "source_text")
_FROM = "messages LEFT JOIN message_sources USING (message_id)"
_HAYSTACK = " || ' ' || ".join(f"coalesce({c}, '')" for c in _COLUMNS)
# What the stored-rows pass looks at: links, profiles, seven digits close together (a phone number), and the
# cues of a person's name.
_LATER_RULES = rf"(?i:https?://|www\.|u_)|{PHONE_CANDIDATE}|{CANDIDATE}"


def _pattern(naming: Naming) -> str | None:
    """A regular expression (RE2) matching any new name's form in lower-case text."""
    forms = {v.text.lower() for n, p, _ in naming.new_names for v in variants(n, p)}
    forms = {f for f in forms if len(f) >= MIN_NAME_LEN}
    return "|".join(re.escape(f) for f in sorted(forms)) if forms else None


def rescrub(store: Store, naming: Naming) -> set[int]:
    """Scrub the source's stored rows that hold a name new in this import; return the messages changed.

    Runs inside the import's transaction, after the new messages were inserted (they are left out).
    """
    pattern = _pattern(naming)
    if pattern is None:
        return set()
    changed = _messages(store, naming, f"regexp_matches(lower({_HAYSTACK}), ?)", pattern, naming.scrubber.scrub)
    _titles_and_rejects(store, naming, "regexp_matches(lower({column}), ?)", pattern, naming.scrubber.scrub)
    return changed


def stored(store: Store, naming: Naming) -> tuple[set[int], int]:
    """The source's stored rows under this version's rules (module docstring): the messages changed and the
    number of boards renamed. Runs inside the import's transaction, after the new rows were inserted."""
    con, source_id = store.con, naming.source_id
    boards = con.execute(
        "SELECT DISTINCT board FROM threads WHERE source_id = ? AND contains(board, 'u_')", [source_id]
    ).fetchall()
    renamed = [(new, source_id, old) for (old,) in boards if (new := naming.board(old)) != old]
    if renamed:
        con.executemany("UPDATE threads SET board = ? WHERE source_id = ? AND board = ?", renamed)
    where = f"regexp_matches({_HAYSTACK}, ?)"
    changed = _messages(store, naming, where, _LATER_RULES, lambda text: _later_rules(naming, text))
    # A name glued to a greeting is found among the words once set apart: the whole scrubber reads those rows.
    changed |= _messages(store, naming, where, GLUED_GREETING, naming.scrubber.scrub)
    # So is a row where a name is glued to digits or to a word: the scrubber's words tell which.
    changed |= _messages(store, naming, where, GLUED_CANDIDATE, naming.scrubber.glued_names)
    where = "regexp_matches({column}, ?)"
    _titles_and_rejects(store, naming, where, _LATER_RULES, lambda text: _later_rules(naming, text))
    _titles_and_rejects(store, naming, where, GLUED_GREETING, naming.scrubber.scrub)
    _titles_and_rejects(store, naming, where, GLUED_CANDIDATE, naming.scrubber.glued_names)
    return changed, len(renamed)


def addressed(store: Store, naming: Naming) -> set[int]:
    """Scrub the source's stored replies (not this import's) that open by naming an earlier author of their thread
    whom the import made earlier or named; return the messages changed.

    Earlier authors are those of the thread's messages at an earlier position as the store holds it after the import
    (:func:`chrysalide.ingest.writer.position_sql`: by date, undated last, then record); a reply is read when one of
    its thread's new messages comes before it, or one of its earlier authors has a name new in this import. Its text
    is scrubbed by :meth:`NameScrubber.scrub` told those authors, as the import scrubs a new reply. Runs inside the
    import's transaction, after the new messages were inserted and the threads that grew ordered again.
    """
    addressees = naming.scrubber.addressees
    if not addressees:
        return set()
    named = sorted({p for _, p, _ in naming.new_names})
    rows = store.con.execute(
        """
        WITH authors AS (
            SELECT m.thread_id, p.pseudonym, min(m.position_in_thread) AS first,
                min(m.position_in_thread) FILTER (m.message_id IN (SELECT message_id FROM new_messages)) AS first_new
            FROM messages m JOIN members p ON p.member_id = m.member_id
            WHERE m.source_id = ? AND m.thread_id IS NOT NULL
            GROUP BY ALL
        ),
        touched AS (SELECT DISTINCT thread_id FROM authors WHERE first_new IS NOT NULL OR list_contains(?::VARCHAR[], pseudonym))
        SELECT s.message_id, list(a.pseudonym ORDER BY a.pseudonym)
        FROM messages s JOIN authors a ON a.thread_id = s.thread_id AND a.first < s.position_in_thread
        WHERE s.source_id = ? AND s.text IS NOT NULL AND s.thread_id IN (SELECT thread_id FROM touched)
            AND s.message_id NOT IN (SELECT message_id FROM new_messages)
        GROUP BY s.message_id, s.position_in_thread
        HAVING bool_or(a.first_new < s.position_in_thread OR list_contains(?::VARCHAR[], a.pseudonym))
        """,
        [naming.source_id, named, naming.source_id, named],
    ).fetchall()
    earlier = {message_id: frozenset(authors) for message_id, authors in rows}
    if not earlier:
        return set()
    texts = store.con.execute(
        f"SELECT message_id, {', '.join(_COLUMNS)} FROM {_FROM} WHERE message_id IN (SELECT unnest(?::BIGINT[]))",
        [list(earlier)],
    ).fetchall()
    found = [row for row in texts if addressees.find(row[1], earlier[row[0]]) is not None]

    def scrub(message_id: int, column: str, value: str | None) -> str | None:
        return naming.scrubber.scrub(value, earlier=earlier[message_id]) if column == "text" else value

    return _update(store, found, scrub)


def _later_rules(naming: Naming, text: str | None) -> str | None:
    """``text`` with the contact details and links that identify a person or hold a member's name replaced,
    profiles named, and the names of people who are no members replaced."""
    if not text:
        return text
    scrubber = naming.scrubber
    return scrubber.persons(scrubber.profiles(scrub_contacts(text, None, scrubber.names_in) or ""))


def _messages(store: Store, naming: Naming, where: str, pattern: str, scrub: Callable[[Any], Any]) -> set[int]:
    """Scrub the columns of the source's stored messages (not this import's) that ``where`` selects."""
    rows = store.con.execute(
        f"SELECT message_id, {', '.join(_COLUMNS)} FROM {_FROM} WHERE source_id = ?"
        f" AND message_id NOT IN (SELECT message_id FROM new_messages) AND {where}",
        [naming.source_id, pattern],
    ).fetchall()
    return _update(store, rows, lambda _, __, value: scrub(value))


def _update(store: Store, rows: list[Any], scrub: Callable[[int, str, str | None], str | None]) -> set[int]:
    """Store ``rows`` (message id, then :data:`_COLUMNS`) scrubbed by ``scrub`` (message id, column, value) where
    that changes them; the source form loses every name the text lost. Return the messages changed."""
    con = store.con
    changed: dict[str, list[Any]] = {"message_id": [], **{c: [] for c in _COLUMNS}}
    for message_id, *values in rows:
        scrubbed = [scrub(message_id, c, v) for c, v in zip(_COLUMNS, values, strict=True)]
        text, _, _, source = scrubbed
        if source and values[0] and text and text != values[0]:  # the names the text lost (privacy.sources)
            scrubbed[3] = follow(source, values[0], text)
        if scrubbed != values:
            changed["message_id"].append(message_id)
            for column, value in zip(_COLUMNS, scrubbed, strict=True):
                changed[column].append(value)
    if changed["message_id"]:
        types = {"message_id": pa.int64()}
        store.register("rescrubbed", pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in changed.items()}))
        try:
            con.execute(
                f"UPDATE messages SET {', '.join(f'{c} = r.{c}' for c in _COLUMNS[:3])} FROM rescrubbed r"
                " WHERE messages.message_id = r.message_id"
            )
            con.execute(
                "UPDATE message_sources SET source_text = r.source_text FROM rescrubbed r"
                " WHERE message_sources.message_id = r.message_id AND r.source_text IS NOT NULL"
            )
            process_again(store, "rescrubbed")
        finally:
            con.unregister("rescrubbed")
    return set(changed["message_id"])


def _titles_and_rejects(store: Store, naming: Naming, where: str, pattern: str, scrub: Callable[[Any], Any]) -> None:
    """Thread titles and raw rejected records of the source that ``where`` (of ``{column}``) selects."""
    con = store.con
    for table, key, column in (("threads", "thread_id", "title"), ("rejects", "record_no", "raw")):
        rows = con.execute(
            f"SELECT {key}, {column} FROM {table} WHERE source_id = ? AND {where.format(column=column)}",
            [naming.source_id, pattern],
        ).fetchall()
        updates = [(new, naming.source_id, k) for k, value in rows if (new := scrub(value)) != value]
        if updates:
            con.executemany(f"UPDATE {table} SET {column} = ? WHERE source_id = ? AND {key} = ?", updates)
