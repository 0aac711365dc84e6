"""Habitual closing lines: the signature or sign-off a writer ends many of their messages with.

A signature repeats verbatim at the end of one writer's messages ("Strength and Health / Rest Is Best",
"Bien cordialement / Dr A Lemaire", "LG Petra"). Left in the text it is glued to the last words of each message,
so the lexical step's boilerplate filter, which needs a whole segment to recur, does not see it, and a few hundred
copies make a Reinert class of their own (one member's sign-off on r/covidlonghaulers; a doctor's name on
Doctissimo). Email signature detection finds such blocks among the last lines of a message (Carvalho & Cohen 2004,
"Learning to extract signature and reply lines from email", CEAS); a forum gives a stronger cue, the writer's other
messages, so the rule here needs no learning:

- a message's *lines* are the lines of its own prose (:func:`chrysalide.text.prose.member_prose`) that hold a word;
  a line's *form* is its words, lower-cased, without links and punctuation (``[**Rest Is Best**](url)`` and
  ``Rest Is Best`` are one form); a line of more than :data:`MAX_WORDS` words is no closing line, and stops the
  search above it;
- the *writer* of a message is its member; a message without a member (a guest, a source without authors) has
  for writer its last two lines: two closing lines repeated together are one writer's, where a single formula
  ("merci d'avance") is everyone's;
- a form is a closing line of a writer when it is the last line of at least :data:`LEAST` of their distinct
  messages and of at least :data:`SHARE` of them. Messages count once per longest line, so that a post pasted
  into several threads is one message: its lines recur because its text does, not as a sign-off. A tenth,
  not more: a member who signs their posts but not their comments signs fewer than a fifth of their messages
  (the r/covidlonghaulers member: 231 of 1,246 distinct ones);
- the closing lines are taken off the end of the messages they close, then the rule runs again on those
  messages alone, their new last line against them: the block grows upwards ("I would hug you all if I could /
  Strength and Health / Rest Is Best"), at most :data:`MAX_LINES` lines, and never a message's only line.

The rule runs in two parts: :func:`ending_rows`, each message's last lines, is per message (the text step runs it
where it runs the rest of its work, on chunks of messages in any order); :func:`closings` then decides over each
writer's endings, which are a few short strings per message.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd

from chrysalide.privacy.contacts import EMAIL_MARK, PHONE_MARK, PROFILE_MARK
from chrysalide.text.prose import REASONS, Prose, member_prose

LEAST = 3  # messages: two may close alike by chance
SHARE = 0.1  # of the writer's distinct messages
MAX_LINES = 10  # "signature fields are rarely longer than ten lines" (Sproat et al., cited by Carvalho & Cohen)
MAX_WORDS = 20  # a longer line is the message's own text
REASON = REASONS[-1]  # "signature": the kind text_features.removed records

_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_NON_WORD = re.compile(r"[\W_]+")
_MARKS = (EMAIL_MARK, PHONE_MARK, PROFILE_MARK)
_FORMS = "\n"  # joins an ending's forms in a row: a form holds no line break


def line_form(line: str) -> str:
    """The words of a line, lower-cased, without links (a Markdown link keeps its label), the privacy scrubber's
    marks (``[profile-url]``: the link of a signature line) and punctuation."""
    if "[" in line:
        for mark in _MARKS:
            line = line.replace(mark, " ")
    return " ".join(_NON_WORD.sub(" ", _unlinked(line)).casefold().split())


class Ending(NamedTuple):
    """A message's last lines (forms, last first) that may close it, and what tells its copies apart."""

    forms: tuple[str, ...]  # at most MAX_LINES; never the message's first line
    body: int  # digest of its longest line's form: a message pasted again is the same message


def ending(text: str) -> Ending:
    """The :class:`Ending` of a message's own prose (``member_prose(text).text``)."""
    lines = text.splitlines()
    body = _digest(line_form(max(map(_unlinked, lines), key=len, default="")))
    if len(lines) < 2:
        return Ending((), body)
    first = next((i for i, line in enumerate(lines) if line_form(line)), len(lines))
    forms: list[str] = []
    for line in reversed(lines[first + 1 :]):  # the first line with a word is the message's, whatever follows
        form = line_form(line)
        if not form:
            continue
        if len(forms) == MAX_LINES or form.count(" ") >= MAX_WORDS:
            break
        forms.append(form)
    return Ending(tuple(forms), body)


def _digest(form: str) -> int:
    """A 64-bit digest of a form, the same in every process (``hash`` of a string differs from one to another)."""
    return int.from_bytes(hashlib.blake2b(form.encode(), digest_size=8).digest(), "little", signed=True)


def _unlinked(line: str) -> str:
    """The line without link targets: a long link does not make a line the message's longest."""
    return _URL.sub(" ", _LINK_TARGET.sub("]", line)) if "://" in line or "www." in line else line


def closing_lines(endings: list[Ending]) -> list[int]:
    """How many closing lines to take off each of one writer's messages (the module's rule)."""
    taken = [0] * len(endings)
    active = list(range(len(endings)))
    for _ in range(MAX_LINES):
        last: dict[str, set[int]] = defaultdict(set)
        bodies = set()
        for i in active:
            bodies.add(endings[i].body)
            if taken[i] < len(endings[i].forms):
                last[endings[i].forms[taken[i]]].add(endings[i].body)
        need = max(LEAST, math.ceil(SHARE * len(bodies)))
        closing = {form for form, copies in last.items() if len(copies) >= need}
        active = [i for i in active if taken[i] < len(endings[i].forms) and endings[i].forms[taken[i]] in closing]
        if not active:
            break
        for i in active:
            taken[i] += 1
    return taken


def without_closing(prose: Prose, lines: int) -> Prose:
    """``prose`` without its last ``lines`` lines that hold a word (and the wordless lines after them)."""
    if lines <= 0 or not prose.text:
        return prose
    kept = prose.text.splitlines()
    while lines and kept:
        if line_form(kept.pop()):
            lines -= 1
    return Prose("\n".join(kept).rstrip(), (*prose.removed, REASON), prose.left_out)


def ending_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The endings of the messages of ``frame`` (columns message_id, text) whose own prose holds a line: columns
    message_id, forms (the :class:`Ending`'s forms, last first, one per line) and body, the rows
    :func:`closings` reads."""
    ids: list[int] = []
    forms: list[str] = []
    bodies: list[int] = []
    for message_id, text in zip(frame["message_id"].tolist(), frame["text"].tolist(), strict=True):
        prose = member_prose(text if isinstance(text, str) else None).text
        if not prose:
            continue
        end = ending(prose)
        ids.append(message_id)
        forms.append(_FORMS.join(end.forms))
        bodies.append(end.body)
    return pd.DataFrame({
        "message_id": pd.Series(ids, dtype="int64"), "forms": pd.Series(forms, dtype="object"),
        "body": pd.Series(bodies, dtype="int64"),
    })  # fmt: skip


def closings(rows: Iterable[tuple[int, int | None, str, int]]) -> dict[int, int]:
    """Message id -> closing lines to take off its own prose, for the :func:`ending_rows` of every message of the
    writers, as (message id, member id, forms, body) in member order (messages without a member anywhere): one
    member's endings are in memory at a time, and the endings of the messages without one."""
    found: dict[int, int] = {}
    member: int | None = None
    messages: list[tuple[int, Ending]] = []
    unsigned: dict[tuple[str, ...], list[tuple[int, Ending]]] = defaultdict(list)  # messages without a member
    for message_id, member_id, forms, body in rows:
        end = Ending(tuple(forms.split(_FORMS)) if forms else (), body)
        if member_id is None:
            if len(end.forms) >= 2:
                unsigned[end.forms[:2]].append((message_id, end))
            continue
        if member_id != member:
            _settle(messages, found)
            member, messages = member_id, []
        messages.append((message_id, end))
    _settle(messages, found)
    for group in unsigned.values():
        _settle(group, found)
    return found


def _settle(messages: list[tuple[int, Ending]], found: dict[int, int]) -> None:
    """Add one writer's messages with closing lines to ``found``."""
    if len(messages) < LEAST:
        return
    for (message_id, _), lines in zip(messages, closing_lines([end for _, end in messages]), strict=True):
        if lines:
            found[message_id] = lines
