"""@handles, u/handles and Reddit profiles' own subreddits ("u_name"): names of people, members or not.

The @handles and u/handles of anybody who is no member (a member's is their pseudonym already) become
``@[user]``; a Reddit profile's own subreddit ("u_name", a board or "r/u_name" in text) becomes "u_" and the
pseudonym of the name, or ``u_[user]``. The name of a u/handle, or of a Reddit profile's address
("reddit.com/user/name"), is a Reddit user's (:func:`handle_names`): the import learns it as a name of the source,
so that it is replaced where it stands alone too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from chrysalide.privacy.contacts import HANDLE_MARK
from chrysalide.privacy.pseudonyms import PSEUDONYM

# A Reddit user name: 3 to 20 letters, digits, "-" and "_", any first (Reddit's own check, ``chkuser`` in
# r2/lib/validator/validator.py of reddit-archive/reddit: ``[\w-]{3,20}``), written "u/", "/u/" or "U/".
_U_NAME = rf"(/?\b[uU]/)(?!{PSEUDONYM}\b)([\w-]{{3,20}})(?![\w-])"
# @name or u/name not already replaced (a pseudonym) nor part of an e-mail address or a URL path.
_HANDLE = re.compile(rf"(?<![\w@/.])(?:(@)(?!{PSEUDONYM}\b)([^\W\d_][\w.\-]*\w|[^\W\d_])|{_U_NAME})")
_U_HANDLE = re.compile(rf"(?<![\w@/.]){_U_NAME}")
# A number right before "U/" makes it a unit ("2500 U/mL"); not one ending a word ("u/Lamp_4411 u/Trifle27").
_NUMBER_BEFORE = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)? ?\Z")
# A Reddit profile's own subreddit, "u_<user name>" (a board, "r/u_name" in text), names its user: not a
# pseudonym already, nor "u_[user]".
_PROFILE = re.compile(rf"(?<![\w-])u_(?!{PSEUDONYM}(?![\w-]))([A-Za-z0-9_-]{{3,40}})(?![\w-])")
# A Reddit profile's address names its user: "reddit.com/user/name", "reddit.com/u/name".
_PROFILE_URL = re.compile(rf"reddit\.com/(?:u|user)/(?!{PSEUDONYM}\b)([\w-]{{3,20}})(?![\w-])", re.IGNORECASE)


def profile_user(board: str | None) -> str | None:
    """The user name of a board that is a Reddit profile's own subreddit ("u_name" -> "name"), else None."""
    found = _PROFILE.fullmatch(board) if board and board.startswith("u_") else None
    return found.group(1) if found else None


def profiles(text: str, pseudonyms: Mapping[str, str], counts: Counter[str]) -> str:
    """``text`` with each Reddit profile's own subreddit named by the pseudonym of its user name (casefolded, in
    ``pseudonyms``), or by ``u_[user]``; counted as ``names`` or ``handles``."""

    def replace(match: re.Match[str]) -> str:
        pseudonym = pseudonyms.get(match.group(1).casefold())
        counts["names" if pseudonym else "handles"] += 1
        return "u_" + (pseudonym or HANDLE_MARK)

    return _PROFILE.sub(replace, text)


def handle_names(text: str) -> list[str]:
    """The user names of the u/handles and of the Reddit profiles' addresses in ``text`` that are no pseudonym
    ("u/2SleepyOwl", "https://www.reddit.com/user/2SleepyOwl/" -> "2SleepyOwl")."""
    if "/" not in text:
        return []
    found = [m.group(2) for m in _U_HANDLE.finditer(text) if not _unit(text, m.start())]
    if "reddit.com/" in text.lower():
        found += [m.group(1) for m in _PROFILE_URL.finditer(text)]
    return found


def handles(text: str, counts: Counter[str]) -> str:
    """``text`` with the @handles and u/handles that are no pseudonym replaced by ``@[user]``, counted as
    ``handles``."""

    def replace(match: re.Match[str]) -> str:
        if match.group(3) and _unit(match.string, match.start()):
            return match.group(0)
        counts["handles"] += 1
        return (match.group(1) or match.group(3)) + HANDLE_MARK

    for _ in range(3):  # a replacement can expose another handle ("@u/u/x"): until nothing is left
        before = counts["handles"]
        text = _HANDLE.sub(replace, text)
        if counts["handles"] == before:
            break
    return text


def _unit(text: str, start: int) -> bool:
    """Whether the u/handle at ``start`` follows a number, as a unit does ("2500 U/mL")."""
    return _NUMBER_BEFORE.search(text, max(0, start - 24), start) is not None
