"""Time and peak memory of the journeys and community stages on a study-size generated corpus.

Usage: .venv/bin/python benchmarks/journeys_community.py [--messages 485000] [--threads 54305] [--members 5000]

The corpus is generated in SQL (seeded): heavy-tailed member activity (the busiest member writes
about 6% of the messages, ~28,000 at study size), threads of geometric length, stage codes and
pronoun counts filled synthetically, and a crisis burst of "levothyrox" messages in 2017.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from chrysalide.community import alerts, community
from chrysalide.journeys import journeys, survival
from chrysalide.store import Store


def generate(store: Store, messages: int, threads: int, members: int) -> None:
    con = store.con
    con.execute("SELECT setseed(0.42)")
    con.execute(
        "INSERT INTO members SELECT i, 'bench', 'm' || i, NULL, CASE WHEN i < 5 THEN 'moderator' ELSE 'member' END,"
        " NULL FROM range(?) t(i)",
        [members],
    )
    con.execute(
        "INSERT INTO threads SELECT i, 'bench', i::VARCHAR, 'board' || (i % 6), 't' || i, NULL, NULL FROM range(?) t(i)",
        [threads],
    )
    con.execute(
        """
        CREATE TEMP TABLE gen AS
        SELECT i AS message_id, (i % ?) AS thread_id, floor(pow(random(), 3) * ?)::BIGINT AS member_id,
               TIMESTAMP '2005-01-01' + to_seconds(((i % ?) * 1.0 / ?) * 15 * 365 * 86400)
                 + to_seconds(pow(i // ?, 1.3) * 3600 * random()) AS posted_at, random() AS u
        FROM range(?) t(i)
        """,
        [threads, members, threads, threads, threads, messages],
    )
    con.execute(
        """
        INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, reply_to_id, posted_at,
                              position_in_thread, text, quoted_text, title, lang, record_no, content_hash, meta)
        SELECT message_id, 'bench', message_id::VARCHAR, thread_id,
               CASE WHEN u < 0.02 THEN NULL ELSE member_id END, NULL, posted_at, NULL,
               CASE WHEN posted_at BETWEEN '2017-06-01' AND '2017-09-01' AND u < 0.3
                    THEN 'levothyrox nouvelle formule vertiges crampes merci'
                    ELSE 'je suis fatiguée, ma dose de levo et mon nodule, merci pour vos conseils' END,
               NULL, NULL, 'fr', message_id, message_id::VARCHAR, NULL
        FROM gen
        """
    )
    con.execute(
        """
        INSERT INTO codes (run_id, message_id, primary_code, secondary_codes, decentered, origin, coder, decided_at)
        SELECT 0, message_id, CASE WHEN u < 0.35 THEN 'individual' WHEN u < 0.55 THEN 'community'
               WHEN u < 0.85 THEN 'collaborative' WHEN u < 0.9 THEN 'societal' ELSE 'other' END,
               []::VARCHAR[], u BETWEEN 0.55 AND 0.7, 'lexicon', 'bench', TIMESTAMP '2024-01-01'
        FROM gen
        """
    )
    con.execute(
        """
        INSERT INTO text_features (message_id, run_id, lang, n_tokens, first_singular, first_plural,
                                   second_informal, second_formal, own_health, left_out, removed)
        SELECT message_id, 0, 'fr', 14, (random() * 4)::INT, (random() * 2)::INT,
               (random() * 2)::INT, (random() * 2)::INT, u < 0.4, NULL, '' FROM gen
        """
    )
    con.execute("DROP TABLE gen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=485_000)
    parser.add_argument("--threads", type=int, default=54_305)
    parser.add_argument("--members", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        generate(store, args.messages, args.threads, args.members)
        busiest = store.con.execute(
            "SELECT max(c) FROM (SELECT count(*) c FROM messages GROUP BY member_id)"
        ).fetchone()
        print(f"corpus: {args.messages:,} messages, {args.threads:,} threads, {args.members:,} members "
              f"(busiest {busiest[0]:,} messages); generated in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        for name, stage in (
            ("journeys", lambda: journeys(store)),
            ("survival", lambda: survival(store)),
            ("community", lambda: community(store)),
            ("alerts", lambda: alerts(store, watch=["levothyrox"])),
        ):
            t = time.perf_counter()
            stage()
            wall = time.perf_counter() - t
            print(f"{name:10s} {wall:7.1f} s  {args.messages / wall:12,.0f} messages/s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (max RSS, whole process incl. DuckDB): {peak:,.0f} MiB")
        store.close()


if __name__ == "__main__":
    main()
