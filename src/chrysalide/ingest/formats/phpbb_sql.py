"""phpBB 3.x MySQL/MariaDB dumps (``.sql``, ``.sql.gz``, ``.sql.zst``): users, topics and posts.

Two streaming passes over the dump, because mysqldump writes tables alphabetically (``posts``
before ``topics`` and ``users``) while a post needs its author's name and its forum's name:
pass 1 keeps the small tables (forums, groups, user_group, users, topics) and skips the posts
without tokenizing them; members and threads are yielded; pass 2 yields the posts.

``record_no`` counts the rows of the tables read (forums, groups, user_group, users, topics,
posts) in dump order, 1-based; a broken row counts as one. Conventions:

- ``poster_id`` 1 is phpBB's ANONYMOUS user: guests, and deleted accounts whose posts were kept
  under their old name (``post_username``), so such posts are ``guest``; a poster with no row in a
  users table that the dump does contain is ``deleted``; a dump without a users table keeps ids;
- role: founder (user_type 3) or member of ADMINISTRATORS -> admin, of GLOBAL_MODERATORS ->
  moderator, else member; bots and ANONYMOUS (user_type 2) are not members;
- posts not publicly visible (post_visibility != 1 in 3.1+, post_approved = 0 in 3.0) are rejects
  naming the state; moved-topic shadows (topic_moved_id != 0) are no threads;
- phpBB is flat: ``reply_to`` is the first quoted ``post_id`` (3.2+ quotes) of a post already read.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chrysalide.errors import InputError
from chrysalide.ingest.bbcode import to_plain
from chrysalide.ingest.formats.phpbb_sqldump import Bad, DumpReader, DumpTruncated, Row, Table
from chrysalide.ingest.records import (
    DELETED,
    GUEST,
    MemberRecord,
    MessageRecord,
    Record,
    Reject,
    ThreadRecord,
)  # fmt: skip
from chrysalide.ingest.textio import head_text, open_binary

ANONYMOUS = 1
USER_IGNORE, USER_FOUNDER = 2, 3
LOOKUPS = ("forums", "groups", "user_group", "users", "topics")
RAW_CAP = 10_000
_VISIBILITY = {0: "unapproved", 2: "soft-deleted", 3: "awaiting re-approval"}
_SNIFF = re.compile(
    r"(?:CREATE TABLE|INSERT INTO)\s+(?:IF NOT EXISTS\s+)?[`\"]?\w*"
    r"(?:acl_groups|acl_options|config|forums|posts|topics|users)[`\"]?",
    re.I,
)


def sniff_sql(path: Path) -> bool:
    """A ``.sql`` file (optionally compressed) whose first bytes name phpBB tables."""
    name = path.name.lower()
    if not path.is_file() or not name.removesuffix(".gz").removesuffix(".zst").endswith(".sql"):
        return False
    head = head_text(path)
    return bool(_SNIFF.search(head)) and ("phpbb" in head.lower() or "posts" in head.lower())


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _raw(values: list[Any]) -> str:
    return json.dumps(values, ensure_ascii=False, default=str)[:RAW_CAP]


class PhpbbSqlReader:
    """Reads a phpBB dump; see the module docstring."""

    def __init__(self, table_prefix: str | None = None) -> None:
        self.table_prefix = table_prefix

    def read(self, path: Path) -> Iterator[Record]:
        self.columns: dict[str, list[str]] = {}
        self.seen_tables: set[str] = set()
        lookups: dict[str, list[dict[str, Any]]] = {}
        cut = None
        try:
            for event in self._events(path, self._pass1_wanted):
                if isinstance(event, Row):
                    row = self._dict(path, event)
                    if row is not None:
                        lookups.setdefault(event.table, []).append(row)
        except DumpTruncated as exc:
            cut = str(exc)
        prefix = self._prefix(path, truncated=cut is not None)
        self._index(prefix, lookups)
        yield from self._members()
        yield from self._threads()
        yield from self._pass2(path, prefix)

    def _events(self, path: Path, wanted: Any) -> Iterator[Table | Row | Bad]:
        with open_binary(path) as fh:
            for event in DumpReader(fh, wanted).events():
                if isinstance(event, Table):
                    self.columns[event.table] = event.columns
                    self.seen_tables.add(event.table)
                yield event

    def _pass1_wanted(self, table: str) -> bool:
        self.seen_tables.add(table)
        if self.table_prefix is not None:
            return table in {self.table_prefix + s for s in LOOKUPS}
        return table.endswith(LOOKUPS)

    def _prefix(self, path: Path, truncated: bool) -> str:
        if self.table_prefix is not None:
            if self.table_prefix + "posts" not in self.seen_tables and not truncated:
                raise InputError(f"{path}: no table {self.table_prefix}posts in this dump")
            self._check_posts(path, self.table_prefix + "posts")
            return self.table_prefix
        found = sorted(t.removesuffix("posts") for t in self.seen_tables if t.endswith("posts"))
        found = [p for p in found if p + "topics" in self.seen_tables] or found
        if len(found) > 1:
            raise InputError(f"{path}: several phpBB table sets ({', '.join(found)}); pass table_prefix")
        if not found:
            if truncated:
                return "phpbb_"
            raise InputError(f"{path}: no phpBB posts table (like phpbb_posts) in this dump")
        self._check_posts(path, found[0] + "posts")
        return found[0]

    def _check_posts(self, path: Path, table: str) -> None:
        """Refuse a posts table without phpBB's columns: another application's dump (WordPress's wp_posts)."""
        columns = set(self.columns.get(table) or [])
        if columns and not {"post_id", "topic_id"} <= columns:
            raise InputError(
                f"{path}: not a phpBB dump: table {table} has no post_id and topic_id columns"
                f" (found {', '.join(sorted(columns)[:6])}); another application's database?"
            )

    def _dict(self, path: Path, row: Row) -> dict[str, Any] | None:
        columns = row.columns or self.columns.get(row.table)
        if columns is None:
            raise InputError(
                f"{path}: statement {row.statement}: table {row.table} has no CREATE TABLE and no column list in its"
                " INSERT (dump the tables' structure too: mysqldump without --no-create-info)"
            )
        if len(columns) != len(row.values):
            return None
        return dict(zip(columns, row.values, strict=True))

    def _index(self, prefix: str, lookups: dict[str, list[dict[str, Any]]]) -> None:
        """Lookup dicts from the small tables of the chosen prefix."""
        rows = {s: lookups.get(prefix + s, []) for s in LOOKUPS}
        self.forums = {_int(r.get("forum_id")): html.unescape(str(r.get("forum_name") or "")) for r in rows["forums"]}
        group_names = {_int(r.get("group_id")): str(r.get("group_name") or "").upper() for r in rows["groups"]}
        groups: dict[int, set[str]] = {}
        for r in rows["user_group"]:
            if not _int(r.get("user_pending")):
                groups.setdefault(_int(r.get("user_id")), set()).add(group_names.get(_int(r.get("group_id")), ""))
        self.has_users = prefix + "users" in self.seen_tables
        self.users: dict[int, tuple[str, str]] = {}
        self.member_rows = []
        for r in rows["users"]:
            uid = _int(r.get("user_id"), -1)
            names = groups.get(uid, set()) | {group_names.get(_int(r.get("group_id")), "")}
            utype = _int(r.get("user_type"))
            if utype == USER_FOUNDER or "ADMINISTRATORS" in names:
                role = "admin"
            elif "GLOBAL_MODERATORS" in names:
                role = "moderator"
            else:
                role = "member"
            name = html.unescape(str(r.get("username") or ""))
            self.users[uid] = (name, role)
            if uid != ANONYMOUS and utype != USER_IGNORE:
                regdate = _int(r.get("user_regdate"))
                self.member_rows.append(MemberRecord(str(uid), name, regdate or None, role))
        self.topics = rows["topics"]

    def _members(self) -> Iterator[MemberRecord]:
        yield from self.member_rows

    def _threads(self) -> Iterator[ThreadRecord]:
        for r in self.topics:
            if _int(r.get("topic_moved_id")):
                continue
            poster = _int(r.get("topic_poster"), ANONYMOUS)
            known = poster != ANONYMOUS and (poster in self.users or not self.has_users)
            yield ThreadRecord(
                native_id=str(r.get("topic_id")),
                title=html.unescape(str(r.get("topic_title") or "")) or None,
                board=self.forums.get(_int(r.get("forum_id"))) or None,
                starter_id=str(poster) if known else None,
            )

    def _pass2(self, path: Path, prefix: str) -> Iterator[Record]:
        tables = {prefix + s for s in (*LOOKUPS, "posts")}
        count = 0
        seen_posts: set[int] = set()
        try:
            for event in self._events(path, lambda t: t in tables):
                if isinstance(event, Table):
                    continue
                count += 1
                if isinstance(event, Bad):
                    yield Reject(count, None, f"{event.reason} (statement {event.statement}); rest of it skipped")
                    continue
                row = self._dict(path, event)
                if row is None:
                    n, m = len(event.values), len(event.columns or self.columns[event.table])
                    yield Reject(count, _raw(event.values), f"row of {event.table} has {n} values, expected {m}")
                elif event.table == prefix + "posts":
                    yield self._post(count, row, seen_posts)
        except DumpTruncated as exc:
            yield Reject(count + 1, None, f"input truncated after record {count}: {exc}")

    def _post(self, record_no: int, row: dict[str, Any], seen: set[int]) -> Record:
        post_id = _int(row.get("post_id"), -1)
        visibility = _int(row.get("post_visibility", row.get("post_approved", 1)), 1)
        if visibility != 1:
            state = _VISIBILITY.get(visibility, str(visibility)) if "post_visibility" in row else "unapproved"
            return Reject(record_no, _raw(list(row.values())), f"post {post_id} is not public ({state})")
        seen.add(post_id)
        parsed = to_plain(str(row.get("post_text") or ""), str(row.get("bbcode_uid") or "") or None)
        poster = _int(row.get("poster_id"), ANONYMOUS)
        guest_name = html.unescape(str(row.get("post_username") or "")) or None
        author, author_id, status, role = guest_name, None, None, None
        if poster == ANONYMOUS:
            status = GUEST
        elif not self.has_users:
            author_id = str(poster)
        elif poster in self.users:
            author, role = self.users[poster]
            author_id = str(poster)
        else:
            status = DELETED
        reply = next((p for p in parsed.quoted_post_ids if int(p) in seen and int(p) != post_id), None)
        return MessageRecord(
            record_no=record_no,
            native_id=str(post_id),
            thread_id=str(row.get("topic_id")),
            text=parsed.text,
            author=author,
            author_id=author_id,
            author_status=status,
            author_role=role,
            posted_at=row.get("post_time"),
            reply_to=reply,
            title=html.unescape(str(row.get("post_subject") or "")) or None,
            board=self.forums.get(_int(row.get("forum_id"))) or None,
            quoted_text=parsed.quoted_text,
            quoted_authors=parsed.quoted_authors,
        )
