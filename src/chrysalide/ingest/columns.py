"""The columns of a table that no field reads, and the field a column's name suggests.

A generic table (``csv``, ``jsonl``: ``formats/tabular.py``) reads its fields from columns of their own names
unless ``--map FIELD=COLUMN`` renames them. A column of another name is not read, and nothing else says so: a
Reddit table whose columns are ``user_id, timestamp, text`` imports as messages without author or date, and
its identical texts (every ``[removed]``) collapse into one, their ids derived from the content alone. The notice
here names the columns left unread, what the missing fields cost, and the ``--map`` a column's name suggests
(a suggestion only: ``user_id`` may be a name or a number, ``date`` a posting or an edit date; the user decides).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping

#: Column names (folded: lower case, letters and digits only) that commonly hold a field, in the words of the
#: exports researchers meet: Reddit's and Pushshift's (``created_utc``, ``link_id``, ``parent_id``, ``selftext``),
#: ConvoKit's (``speaker``, ``conversation_id``), forums' and spreadsheets' (``date``, ``username``, ``topic``),
#: French ones (``auteur``, ``sujet``, ``texte``), SPARQL results' (Doctissimo's ``?contentPost``).
SUGGESTED: dict[str, tuple[str, ...]] = {
    "text": ("body", "content", "message", "messagetext", "selftext", "comment", "post", "posttext", "texte",
             "contenu", "textbody", "contentpost", "postcontent"),
    "author": ("user", "username", "userid", "name", "authorname", "poster", "speaker", "by", "pseudo",
               "auteur", "utilisateur", "member", "membre", "screenname"),
    "posted_at": ("date", "datetime", "time", "timestamp", "created", "createdat", "createdutc", "published",
                  "postdate", "dateposted", "posted", "postedat", "creationdate", "heure"),
    "thread_id": ("thread", "threadid", "topic", "topicid", "linkid", "conversationid", "conversation",
                  "submissionid", "discussionid", "sujetid", "postid"),
    "message_id": ("id", "commentid", "messageid", "msgid", "utteranceid", "replyid", "postid"),
    "reply_to": ("parentid", "parent", "inreplyto", "replytoid", "replyto"),
    "title": ("subject", "posttitle", "sujet", "titre", "topictitle"),
    "board": ("subreddit", "forum", "forumname", "category", "section", "community"),
}  # fmt: skip
#: The order fields take their suggested columns in, each column going to one field: a message's id before its
#: thread's, so that "post_id" is a post's id unless a column names comments ("comment_id": Reddit's comment
#: tables, where "post_id" names the submission a comment answers, its thread).
_ORDER = ("message_id", "thread_id")
#: What a message lacks without the field: said of ``author`` and ``posted_at`` always, of the others when a column
#: looks like theirs.
COST = {
    "author": "belongs to no member",
    "posted_at": "is undated",
    "thread_id": "is a thread of its own",
    "message_id": "has an id derived from its content (identical texts are taken for one message)",
    "reply_to": "answers no message",
    "title": "has no title",
    "board": "is in no board (sub-forum, subreddit)",
}
#: Fields that describe where a message sits in a thread: a table declared thread starts has none of them.
_PLACEMENT = ("thread_id", "reply_to")
_SHOWN = 12


def folded(name: str) -> str:
    """A column name compared by its letters and digits only, in lower case: ``Created UTC`` -> ``createdutc``."""
    return re.sub(r"[\W_]+", "", name.casefold())


def suggestion(field: str, found: Iterable[str]) -> str | None:
    """The column of ``found`` whose name suggests ``field`` most (its own name in another case first, then the
    names of :data:`SUGGESTED` in their order; the first such column of ``found`` among equals)."""
    names = [field.replace("_", ""), *SUGGESTED.get(field, ())]
    ranked = [(names.index(folded(column)), i, column) for i, column in enumerate(found) if folded(column) in names]
    return min(ranked)[2] if ranked else None


def map_options(maps: Mapping[str, str]) -> str:
    """``--map FIELD=COLUMN`` options as a shell would take them (a column name with a space quoted)."""
    return " ".join(f"--map {shlex.quote(f'{f}={c}')}" for f, c in maps.items())


def suggested_maps(columns: Mapping[str, str], found: Iterable[str], fields: Iterable[str]) -> dict[str, str]:
    """Field -> the column of ``found`` its name suggests, for the ``fields`` whose column (``columns``) is not
    among ``found``; a column already read by a field is suggested for no other."""
    found, fields = list(dict.fromkeys(found)), list(fields)
    read = set(columns.values())
    free = [c for c in found if c not in read]
    maps: dict[str, str] = {}
    for f in sorted(fields, key=lambda f: _ORDER.index(f) if f in _ORDER else len(_ORDER)):
        if columns[f] not in found and (c := suggestion(f, [c for c in free if c not in maps.values()])):
            maps[f] = c
    return {f: maps[f] for f in fields if f in maps}  # in the order asked


def unread_notice(name: str, columns: Mapping[str, str], found: Iterable[str], *, thread_starts: bool) -> str | None:
    """A warning naming the columns of ``found`` that no field reads (``columns``: field -> its column), what the
    fields no column gives cost the messages, and the ``--map`` their names suggest; None when every column is read.
    """
    found = list(dict.fromkeys(found))
    read = set(columns.values())
    unread = [column for column in found if column.strip() and column not in read]
    if not unread:
        return None
    missing = [f for f in COST if columns[f] not in found and not (thread_starts and f in _PLACEMENT)]
    maps = suggested_maps(columns, found, missing)
    shown = ", ".join(map(repr, unread[:_SHOWN])) + (
        f" and {len(unread) - _SHOWN} more" if len(unread) > _SHOWN else ""
    )
    notice = f"{name}: {len(unread)} column(s) left out, as no field reads them: {shown}"
    lacking = [f for f in missing if f in maps or f in ("author", "posted_at")]
    if lacking:
        costs = "; ".join(f"without {f!r} each message {COST[f]}" for f in lacking)
        notice += f". No column is named {' or '.join(map(repr, lacking))}: {costs}"
    if maps:
        notice += (f". If those columns hold them, import the file into a new database with {map_options(maps)} (a "
                   "source is read one way)")  # fmt: skip
    return notice + " (docs/importers.md)"
