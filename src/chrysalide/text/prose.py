"""The member's own prose: what the lexical analysis reads of a message, and what it leaves out.

A Reinert classification of forum text is only as good as its corpus: a body that a moderator removed, a
bot's template, a quoted paragraph or a gif link are not what the member wrote, and a handful of identical
such segments is enough to make a class of their own (REINERT.md, pitfall 5). Alceste's and IRaMuTeQ's users
clean the corpus by hand before the analysis; :func:`member_prose` does the part that needs no judgement,
message by message, and says what it removed. Rules, in this order:

``removed``
    Lines holding only a removal marker: ``[removed]``, ``[deleted]``, ``[ Removed by moderator ]``,
    ``[ Removed by Reddit ]`` (Reddit writes them in place of a body; a submission keeps its title), and the
    French and German forms forums use (``[message supprimé par l'auteur]``, ``[effacé]``, ``[gelöscht]``).
``bot``
    A message signed by a bot ("I am a bot", "this action was performed automatically": AutoModerator's
    and most Reddit bots' footer) is left out whole: its author is a program, whatever its pseudonym.
``bot_command``
    Lines that only call a bot (``!remindme 3 days``, ``RemindMe! 24 hours``).
``quote``
    Quoted text: Markdown quote blocks (a line starting with ``>``, or ``&gt;`` when the source kept the
    entity, up to the next blank line, as Markdown's lazy continuation reads them; not ``>!``, which opens
    Reddit's spoiler, the writer's own words hidden until clicked) and ``[quote]...[/quote]``
    blocks a source left in the text (phpBB's quotes, and the inline quotes of plain-text exports that an
    earlier message proves, ``ingest/quotes.py``, are already apart, in ``messages.quoted_text``).
``media``
    Embedded media written as Markdown images: ``![gif](giphy|...)``, ``![img](...)`` (Reddit's gifs and
    emotes): their identifiers are no words. Links stay: ``normalize`` makes each one ``_url_``, a placeholder
    that is never a term.
``signature``
    The closing lines a writer ends many of their messages with (a signature, a sign-off): decided over the
    writer's messages, not here, by :mod:`chrysalide.text.signatures`; never a message's only line.

Members' pseudonyms and mentions are left to :func:`chrysalide.text.normalize` (one ``_member_`` token).
Boilerplate repeated across many messages and messages in another language are corpus-level decisions,
taken by the lexical step (docs/lexical.md).
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: What may be removed from a message, in the order the rules run (also the priority of ``left_out``).
REASONS = ("removed", "bot", "bot_command", "quote", "media", "signature")

#: A line holding only a removal marker ("[deleted]", "[removed]", "[message supprimé par l'auteur]").
REMOVAL_MARKER = re.compile(
    r"^[ \t*_~]*\[[ \t]*(?:message[ \t]+)?(?:removed|deleted|supprimé|effacé|gelöscht|entfernt)\b[^\]\n]{0,100}\]"
    r"[ \t*_~.]*$",
    re.I | re.M,
)
_BOT_RE = re.compile(
    r"\bI(?: am|'m|’m) an? (?:friendly |helpful )?bot\b|\bthis action was performed automatically\b", re.I
)
_COMMAND_RE = re.compile(r"^[ \t*]*(?:!remindme\b|remindme!)[^\n]{0,200}$", re.I | re.M)
# A Markdown quote block: from a line starting with ">" to the next blank line (lazy continuation); not Reddit's
# spoiler, ">!" ... "!<", which hides the writer's own words.
_MD_QUOTE_RE = re.compile(r"^[ \t]{0,3}(?:>|&gt;)(?!!)[^\n]*(?:\n[ \t]*\S[^\n]*)*", re.M)
# The innermost [quote...]...[/quote] (no [quote inside), removed repeatedly for nested quotes.
_BB_QUOTE_RE = re.compile(
    r"\[quote(?:[=\s:][^\]\n]{0,300})?\](?:(?!\[quote[=\s:\]])[\s\S]){0,100000}?\[/quote(?::[a-z0-9]{1,10})?\]", re.I
)
_BB_QUOTE_MAX_DEPTH = 20
_MEDIA_RE = re.compile(r"!\[(?:gif|img|image|video)\]\([^()\s]{0,500}\)", re.I)
_WORD_RE = re.compile(r"\w")


class Prose(NamedTuple):
    """A message's own words (``text``), what kinds of text were taken out, and why nothing is left."""

    text: str  # the member's words as written (pseudonymised), line breaks kept; "" when nothing is left
    removed: tuple[str, ...] = ()  # the kinds of REASONS that removed something, in REASONS order
    left_out: str | None = None  # the first of ``removed`` when no word is left, else None


def _bb_quotes(text: str) -> str:
    for _ in range(_BB_QUOTE_MAX_DEPTH):
        out = _BB_QUOTE_RE.sub("\n", text)
        if out == text:
            break
        text = out
    return text


def member_prose(text: str | None) -> Prose:
    """The words ``text``'s author wrote, without the parts listed in the module docstring.

    Every rule is guarded by a substring test, so the common message (none of ``[``, ``>``, ``!``, "bot",
    "automatically", ``&gt;``) costs a few ``in`` tests and is returned unchanged.
    """
    if not text:
        return Prose("")
    removed: list[str] = []
    out = text
    if "[" in out:
        new = REMOVAL_MARKER.sub("", out)
        if new != out:
            removed.append("removed")
            out = new
    if ("bot" in out or "automatically" in out) and _BOT_RE.search(out):
        return Prose("", (*removed, "bot"), "bot")
    if ("emind" in out or "EMIND" in out) and "!" in out:
        new = _COMMAND_RE.sub("", out)
        if new != out:
            removed.append("bot_command")
            out = new
    quoted = False
    if ">" in out or "&gt;" in out:
        new = _MD_QUOTE_RE.sub("", out)
        quoted, out = new != out, new
    if "[" in out and "[/" in out:
        new = _bb_quotes(out)
        quoted, out = quoted or new != out, new
    if quoted:
        removed.append("quote")
    if "![" in out:
        new = _MEDIA_RE.sub("", out)
        if new != out:
            removed.append("media")
            out = new
    if not removed:
        return Prose(text)
    if not _WORD_RE.search(out):
        return Prose("", tuple(removed), removed[0])
    return Prose(out.strip(), tuple(removed))
