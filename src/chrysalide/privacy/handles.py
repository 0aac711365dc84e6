"""@handles, u/handles and Reddit profiles' own subreddits ("u_name"): names of people, members or not.

The @handles and u/handles of anybody who is no member (a member's is their pseudonym already) become
``@[user]``; a Reddit profile's own subreddit ("u_name", a board or "r/u_name" in text) becomes "u_" and the
pseudonym of the name, or ``u_[user]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from chrysalide.privacy.contacts import HANDLE_MARK
from chrysalide.privacy.pseudonyms import PSEUDONYM

# @name or u/name not already replaced (a pseudonym) nor part of an e-mail address or a URL path.
_HANDLE = re.compile(rf"(?<![\w@/.])(@|/?\bu/)(?!{PSEUDONYM}\b)([^\W\d_][\w.\-]*\w|[^\W\d_])")
# A Reddit profile's own subreddit, "u_<user name>" (a board, "r/u_name" in text), names its user: not a
# pseudonym already, nor "u_[user]".
_PROFILE = re.compile(rf"(?<![\w-])u_(?!{PSEUDONYM}(?![\w-]))([A-Za-z0-9_-]{{3,40}})(?![\w-])")


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


def handles(text: str, counts: Counter[str]) -> str:
    """``text`` with the @handles and u/handles that are no pseudonym replaced by ``@[user]``, counted as
    ``handles``."""
    for _ in range(3):  # a replacement can expose another handle ("@u/u/x"): until nothing is left
        text, n = _HANDLE.subn(lambda m: m.group(1) + HANDLE_MARK, text)
        counts["handles"] += n
        if not n:
            break
    return text
