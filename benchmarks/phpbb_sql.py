"""Throughput of the phpbb importer on a synthetic MySQL dump (posts in huge one-line INSERTs).

Usage: .venv/bin/python benchmarks/phpbb_sql.py [--posts 200000] [--rows-per-insert 5000]
Prints the dump size, wall time, throughput and peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from chrysalide.ingest.formats.phpbb import PhpbbImporter
from chrysalide.ingest.records import MessageRecord

WORDS = "je suis fatiguée depuis la hausse du levothyrox merci pour vos réponses l'endocrino dit".split()


def _post(i: int, rng: random.Random) -> str:
    body = " ".join(rng.choices(WORDS, k=rng.randint(20, 200))).replace("'", "\\'")
    if i % 5 == 0:
        body = f"[quote=&quot;user{i % 97}&quot;:abc12345]{body[:80]}[/quote:abc12345]\\n[b:abc12345]ok[/b:abc12345] {body}"
    return f"({i},{i // 10 + 1},1,{i % 500 + 2},{1262347200 + i * 60},'','Re: sujet','{body}','abc12345',1)"


def write_dump(path: Path, posts: int, per_insert: int) -> None:
    rng = random.Random(0)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("CREATE TABLE `phpbb_forums` (`forum_id` int, `forum_name` varchar(255));\n")
        fh.write("INSERT INTO `phpbb_forums` VALUES (1,'Forum');\n")
        fh.write(
            "CREATE TABLE `phpbb_posts` (`post_id` int, `topic_id` int, `forum_id` int, `poster_id` int,"
            " `post_time` int, `post_username` varchar(255), `post_subject` varchar(255), `post_text` text,"
            " `bbcode_uid` varchar(8), `post_visibility` tinyint);\n"
        )
        for start in range(1, posts + 1, per_insert):
            # Written row by row so that generating a huge line does not inflate the peak memory measured.
            fh.write("INSERT INTO `phpbb_posts` VALUES ")
            for i in range(start, min(start + per_insert, posts + 1)):
                fh.write(("" if i == start else ",") + _post(i, rng))
            fh.write(";\n")
        fh.write("CREATE TABLE `phpbb_topics` (`topic_id` int, `forum_id` int, `topic_title` varchar(255));\n")
        topics = ",".join(f"({t},1,'Sujet {t}')" for t in range(1, posts // 10 + 2))
        fh.write(f"INSERT INTO `phpbb_topics` VALUES {topics};\n")
        fh.write("CREATE TABLE `phpbb_users` (`user_id` int, `user_type` int, `username` varchar(255));\n")
        users = ",".join(f"({u},0,'user{u}')" for u in range(2, 503))
        fh.write(f"INSERT INTO `phpbb_users` VALUES {users};\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--rows-per-insert", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "bench.sql"
        write_dump(dump, args.posts, args.rows_per_insert)
        size = dump.stat().st_size
        start = time.perf_counter()
        messages = sum(isinstance(r, MessageRecord) for r in PhpbbImporter().read(dump))
        wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"dump: {size / 1e6:.1f} MB, {messages} posts (one INSERT line per {args.rows_per_insert} posts)")
    print(f"wall: {wall:.2f} s; {size / 1e6 / wall:.1f} MB/s; {messages / wall:,.0f} posts/s")
    print(f"peak memory (ru_maxrss): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
