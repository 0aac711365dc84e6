"""Write a generated forum in the source formats Chrysalide imports, for the ingest benchmark.

The generator emits the generic JSONL layout; these converters re-shape the same rows into a
Reddit (Pushshift-style) ndjson file and a phpBB MySQL dump, so every importer reads the same corpus.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path


def rows(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


def to_csv(source: Path, out: Path) -> Path:
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = None
        for row in rows(source):
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
    return out


def to_reddit(source: Path, out: Path) -> Path:
    """Thread starts become submissions (t3_), replies comments (t1_) with link_id and parent_id."""
    with out.open("w", encoding="utf-8") as fh:
        starts: set[str] = set()
        for row in rows(source):
            created = _epoch(row["posted_at"])
            if row["reply_to"] is None and row["thread_id"] not in starts:
                starts.add(row["thread_id"])
                obj = {
                    "id": row["thread_id"],
                    "title": row["title"] or "",
                    "selftext": row["text"],
                    "author": row["author"],
                    "created_utc": created,
                    "subreddit": row["board"],
                    "num_comments": 0,
                }
            else:
                parent = (
                    f"t1_{row['reply_to']}"
                    if row["reply_to"] and row["reply_to"] != _first.get(row["thread_id"])
                    else f"t3_{row['thread_id']}"
                )
                obj = {
                    "id": row["message_id"],
                    "body": row["text"],
                    "author": row["author"],
                    "created_utc": created,
                    "link_id": f"t3_{row['thread_id']}",
                    "parent_id": parent,
                    "subreddit": row["board"],
                }
            _first.setdefault(row["thread_id"], row["message_id"])
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return out


_first: dict[str, str] = {}


def _sql(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
    return f"'{escaped}'"


def to_phpbb(source: Path, out: Path, batch: int = 500) -> Path:
    """A MySQL dump with phpbb_forums, phpbb_users, phpbb_topics and phpbb_posts (positional INSERTs)."""
    users: dict[str, int] = {}
    forums: dict[str, int] = {}
    topics: dict[str, tuple[int, int, str, int, int]] = {}
    posts: list[str] = []
    with out.open("w", encoding="utf-8") as fh:
        fh.write(
            "CREATE TABLE `phpbb_posts` (\n  `post_id` int,\n  `topic_id` int,\n  `forum_id` int,\n  `poster_id` int,\n"
            "  `post_time` int,\n  `post_username` varchar(255),\n  `post_subject` varchar(255),\n  `post_text` mediumtext,\n"
            "  `bbcode_uid` varchar(8)\n);\n"
        )
        for row in rows(source):
            user_id = users.setdefault(row["author"], len(users) + 2)
            forum_id = forums.setdefault(row["board"], len(forums) + 1)
            topic_no = int(row["thread_id"].lstrip("t"))
            post_id = int(row["message_id"].lstrip("m"))
            created = _epoch(row["posted_at"])
            topics.setdefault(row["thread_id"], (topic_no, forum_id, row["title"] or "", user_id, created))
            posts.append(
                f"({post_id},{topic_no},{forum_id},{user_id},{created},'',{_sql(row['title'] or '')},{_sql(row['text'])},'')"
            )
            if len(posts) >= batch:
                fh.write("INSERT INTO `phpbb_posts` VALUES " + ",".join(posts) + ";\n")
                posts.clear()
        if posts:
            fh.write("INSERT INTO `phpbb_posts` VALUES " + ",".join(posts) + ";\n")
        fh.write(
            "CREATE TABLE `phpbb_users` (\n  `user_id` int,\n  `user_type` int,\n  `username` varchar(255),\n  `user_regdate` int\n);\n"
        )
        values = [f"({uid},0,{_sql(name)},1300000000)" for name, uid in users.items()]
        for i in range(0, len(values), batch):
            fh.write("INSERT INTO `phpbb_users` VALUES " + ",".join(values[i : i + batch]) + ";\n")
        fh.write("CREATE TABLE `phpbb_forums` (\n  `forum_id` int,\n  `forum_name` varchar(255)\n);\n")
        fh.write(
            "INSERT INTO `phpbb_forums` VALUES "
            + ",".join(f"({fid},{_sql(name)})" for name, fid in forums.items())
            + ";\n"
        )
        fh.write(
            "CREATE TABLE `phpbb_topics` (\n  `topic_id` int,\n  `forum_id` int,\n  `topic_title` varchar(255),\n  `topic_poster` int,\n  `topic_time` int\n);\n"
        )
        values = [f"({t[0]},{t[1]},{_sql(t[2])},{t[3]},{t[4]})" for t in topics.values()]
        for i in range(0, len(values), batch):
            fh.write("INSERT INTO `phpbb_topics` VALUES " + ",".join(values[i : i + batch]) + ";\n")
    return out
