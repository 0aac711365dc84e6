"""The ``text`` step: fill ``text_features`` and ``segments`` for the messages not processed yet.

Segments hold the member's own prose only (``chrysalide.text.prose``), without the closing lines its writer
ends many messages with (``chrysalide.text.signatures``, decided over every message of the writer before the
messages are processed); the run's summary counts, per reason, the messages left out of the segments
(``messages_left_out``) and those with a part taken out (``messages_with_parts_removed``), and the closing lines
left out (``closing_lines``).

Closing lines depend on the writer's other messages: when new messages of a writer arrive, the writer's messages
processed before whose closing lines may have changed (those with some now, or with some before) are processed
again in the same run. Each message's last lines are read where the messages are processed
(:func:`chrysalide.text.signatures.ending_rows`, on the same backend, before them); this process only decides
over each writer's endings.

Every backend of :func:`chrysalide.distributed.map_frames` runs the same pure function,
:func:`chrysalide.text.frame.process_frame`, on chunks of messages: in this process, in a pool of
processes, or as Dask tasks over Parquet partitions; all write the same rows. Messages whose ``lang`` is
NULL get the detected language (:meth:`TextStep.finish`), marked ``lang_detected`` (migration 0020): each time
the step processes them again (``--all``, new rules) it detects their language again, and a message whose language
changes gets its tokens, lemmas and segments in that language in the same run. A language the source gave is
never detected. A message too thin to tell takes the dominant language of its source (:func:`source_languages`,
``language.detect``'s context).

The step's component names the version of its rules (:attr:`TextStep.version`): when the stored rows were written
under another, the run processes every message again (``store.step.older_rows``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import pandas as pd

from chrysalide.distributed import Execution, map_frames
from chrysalide.errors import ConfigError
from chrysalide.store import Store, bots
from chrysalide.store.db import Run
from chrysalide.store.step import PER_MESSAGE, Params, Relation, Rows, Step, StepResult, forget, run_step
from chrysalide.text.frame import process_frame
from chrysalide.text.language import detect, dominant
from chrysalide.text.normalize import normalize
from chrysalide.text.person import health_words_digest
from chrysalide.text.signatures import LEAST, REASON, closings, ending_rows

_CLOSING = "_text_closing"  # temporary table: (message_id, lines) of the messages with closing lines
_ENDINGS = "_text_endings"  # temporary table: signatures.ending_rows of the writers' messages
_CONTEXT = "_text_context"  # temporary table: (source_id, lang) of source_languages
# The language a message's source gave (NULL where the step detected it, to detect again): only the source's stands.
_GIVEN = "CASE WHEN {0}lang_detected THEN NULL ELSE {0}lang END AS lang"
_PENDING = (
    f"SELECT m.message_id, m.text, {_GIVEN.format('m.')},"
    f" coalesce(c.lines, 0) AS closing, x.lang AS context FROM messages m LEFT JOIN {_CLOSING} c USING (message_id)"
    f" LEFT JOIN {_CONTEXT} x ON x.source_id = m.source_id"
    " WHERE NOT EXISTS (SELECT 1 FROM text_features f WHERE f.message_id = m.message_id)"
    " ORDER BY m.message_id"
)
# Messages per source whose languages tell its dominant one: a fixed scatter of them (hash order), so that a run
# reads the same ones whatever the order the messages were imported in.
SOURCE_SAMPLE = 2000
_SOURCE_SAMPLE = f"""
    SELECT source_id, text, {_GIVEN.format("")} FROM messages
    QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY hash(message_id), message_id) <= {SOURCE_SAMPLE}
"""
# The messages whose closing lines this run decides: every message of a member with a message to process, and every
# message without a member when one of them is to process (their writer is told by their last lines).
_WRITERS = """
    WITH pending AS (SELECT member_id FROM messages m
                     WHERE NOT EXISTS (SELECT 1 FROM text_features f WHERE f.message_id = m.message_id))
    SELECT message_id, member_id, text FROM messages
    WHERE member_id IN (SELECT member_id FROM pending)
       OR (member_id IS NULL AND EXISTS (SELECT 1 FROM pending WHERE member_id IS NULL))
"""
# Whose endings are read: a member with fewer than LEAST messages has no closing line (signatures.LEAST).
_ENDING_TEXTS = f"""
    SELECT message_id, text FROM ({_WRITERS})
    WHERE member_id IS NULL OR member_id IN (SELECT member_id FROM messages GROUP BY 1 HAVING count(*) >= {LEAST})
"""


def ending_partition(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``ending_rows`` in the shape of ``map_frames``."""
    return {_ENDINGS: ending_rows(frame)}


def text_partition(frame: pd.DataFrame, *, segment_size: int = 40) -> dict[str, pd.DataFrame]:
    """``process_frame`` in the shape of ``map_frames``: output tables by name."""
    feats, segs = process_frame(frame, segment_size=segment_size)
    return {"text_features": feats, "segments": segs}


@dataclass(frozen=True)
class TextParams(Params):
    """``segment_size``: words per Reinert segment (rainette's ``segment_size``, IRaMuTeQ's 40)."""

    segment_size: int = 40

    def __post_init__(self) -> None:
        if self.segment_size < 1:
            raise ConfigError(f"--segment-size must be at least 1, got {self.segment_size}")


# The version of the text rules: bump it whenever a rule changes what the step writes (normalisation and
# placeholders, tokens, lemmas and tool words, person features, own prose, closing lines, segments). A store
# whose rows an older version wrote is then processed again whole, never mixed (store.step.older_rows).
# 2: mailto: targets are links; 3: simplemma's lemma errors (English; French full words); 4: language detection
# (forum words of each language; a thin message takes its source's language); 5: "pred" (prednisone) was "pre";
# 6: German nouns that simplemma read as verbs or adjectives ("Tag" -> "tagen", data/lemma_overrides_de.txt);
# 7: a Reddit spoiler (">!...!<" opening a line) is the writer's own words, not a quote; 8: German "sich" is its
# own lemma (simplemma's capitalised look-up gave the full word "er|es|sie"); 9: a pseudonym joined to a word by a
# hyphen ("ex-M-0123456789") and a link glued to the word before it ("surhttps://...") are placeholders
RULES = "rules/9"


def rules_key() -> str:
    """The text rules in force: their version and the own-health word lists' digest. The text step's rows and
    the coders' codes (which read lemmas, person features and the own-health flag through these rules) are
    named by it, so a change of either makes both again."""
    return f"{RULES}+health-{health_words_digest()}"


class TextStep(Step[TextParams]):
    """Language, tokens, pronoun features and ~40-word segments of every message not processed yet."""

    name = "text"
    version = RULES
    reads = ("messages",)
    writes = PER_MESSAGE[name]
    incremental = True

    def __init__(self, params: TextParams, *, execution: Execution | None = None, batch_size: int = 5000) -> None:
        if batch_size < 1:
            raise ConfigError(f"--batch-size must be at least 1, got {batch_size}")
        self.params = params
        self.execution = execution or Execution()
        self.batch_size = batch_size

    @property
    def component(self) -> str:
        """:func:`rules_key`, which the coders' names carry too: lists edited without a version bump still
        process every message again."""
        return f"chrysalide.{self.name}/{rules_key()}"

    def compute(self, store: Store, run: Run) -> Iterable[tuple[str, Rows]]:
        run.summary["closing_lines"] = find_closings(store, execution=self.execution, batch_size=self.batch_size)
        store.con.execute(f"CREATE OR REPLACE TEMP TABLE {_CONTEXT} (source_id VARCHAR, lang VARCHAR)")
        contexts = list(source_languages(store).items())
        if contexts:
            store.con.executemany(f"INSERT INTO {_CONTEXT} VALUES (?, ?)", contexts)
        row = store.con.execute(f"SELECT count(*) FROM ({_PENDING})").fetchone()
        task = partial(text_partition, segment_size=self.params.segment_size)
        with map_frames(store, _PENDING, task, execution=self.execution, total=int(row[0]) if row else 0,
                        chunk_rows=self.batch_size, partition_rows=self.batch_size) as results:  # fmt: skip
            for result in results:
                yield from result.items()

    def finish(self, store: Store, run: Run) -> None:
        con = store.con
        con.execute(f"DROP TABLE IF EXISTS {_CLOSING}")
        con.execute(f"DROP TABLE IF EXISTS {_CONTEXT}")
        changed = con.execute(
            "UPDATE messages SET lang = f.lang FROM text_features f WHERE messages.message_id = f.message_id"
            " AND f.run_id = ? AND messages.lang_detected AND messages.lang IS DISTINCT FROM f.lang",
            [run.run_id],
        ).fetchone()
        filled = con.execute(
            "UPDATE messages SET lang = f.lang, lang_detected = true FROM text_features f"
            " WHERE messages.message_id = f.message_id AND f.run_id = ? AND messages.lang IS NULL",
            [run.run_id],
        ).fetchone()
        stats = con.execute(
            "SELECT lang, count(*), coalesce(sum(n_tokens), 0) FROM text_features WHERE run_id = ?"
            " GROUP BY lang ORDER BY 2 DESC, 1",
            [run.run_id],
        ).fetchall()
        segments = con.execute("SELECT count(*) FROM segments WHERE run_id = ?", [run.run_id]).fetchone()
        run.summary.update({
            "messages": sum(int(n) for _, n, _ in stats), "segments": int(segments[0]) if segments else 0,
            "tokens": sum(int(t) for _, _, t in stats), "lang_filled": int(filled[0]) if filled else 0,
            "lang_changed": int(changed[0]) if changed else 0,
            "languages": {str(lang): int(n) for lang, n, _ in stats}, "executor": self.execution.executor,
        })  # fmt: skip
        prose = prose_counts(store, run.run_id)
        run.summary.update(messages_left_out=prose["messages_left_out"],
                           messages_with_parts_removed=prose["messages_with_parts_removed"])  # fmt: skip
        bots.refresh(store)  # the step wrote what the bot rule reads: the dashboard reads the table as left here


def process(
    store: Store,
    params: TextParams | None = None,
    *,
    execution: Execution | None = None,
    batch_size: int = 5000,
    refresh: bool = False,
    **options: Any,
) -> StepResult:
    """Run the text step: process the messages without a ``text_features`` row (all again with ``refresh``,
    and when rows of another version of the rules are stored: the summary's ``rules_changed`` says so).

    ``options`` are :class:`TextParams` fields (``segment_size=``); ``batch_size`` is the number of messages
    per chunk or Dask partition.
    """
    step = TextStep(Params.build(TextParams, params, options), execution=execution, batch_size=batch_size)
    return run_step(store, step, refresh=refresh)


def source_languages(store: Store) -> dict[str, str]:
    """The dominant language of each source (``language.dominant``): over :data:`SOURCE_SAMPLE` of its messages,
    the language its source gave, else the one detected on the message alone."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for source_id, text, lang in store.con.execute(_SOURCE_SAMPLE).fetchall():
        votes[source_id][lang or detect(normalize(text or ""))] += 1
    return {source_id: dominant(langs) for source_id, langs in sorted(votes.items())}


def find_closings(store: Store, *, execution: Execution | None = None, batch_size: int = 5000) -> int:
    """Fill the temporary table of closing lines for the messages this run processes (:data:`_WRITERS`), and
    make the processed messages whose closing lines may have changed to process again; return the lines found.

    The writers' messages' endings are read by ``execution`` in chunks of ``batch_size`` (without its progress,
    which counts the messages processed), and stored in a temporary table; the decision reads them back in member
    order. Deletes rows of earlier runs: it runs in the step's transaction, before the messages are read.
    """
    con = store.con
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_ENDINGS} (message_id BIGINT, forms VARCHAR, body BIGINT)")
    quiet = replace(execution or Execution(), progress=None)
    with map_frames(store, _ENDING_TEXTS, ending_partition, execution=quiet,
                    chunk_rows=batch_size, partition_rows=batch_size) as results:  # fmt: skip
        for result in results:
            for rows in result.values():
                _insert(store, _ENDINGS, rows)
    cursor = con.execute(
        f"SELECT e.message_id, m.member_id, e.forms, e.body FROM {_ENDINGS} e JOIN messages m USING (message_id)"
        " ORDER BY m.member_id NULLS LAST, e.message_id"
    )
    found = closings(row for rows in iter(lambda: cursor.fetchmany(10_000), []) for row in rows)
    con.execute(f"DROP TABLE {_ENDINGS}")
    frame = pd.DataFrame({"message_id": list(found), "lines": list(found.values())}, dtype="int64")
    store.register("_closing_rows", frame)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_CLOSING} AS SELECT * FROM _closing_rows")
    con.unregister("_closing_rows")
    again = (
        f"SELECT f.message_id FROM text_features f JOIN ({_WRITERS}) w USING (message_id)"
        f" WHERE f.message_id IN (SELECT message_id FROM {_CLOSING}) OR f.removed LIKE '%{REASON}%'"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE _text_again AS {again}")
    forget(store, TextStep.name, TextStep.writes, "_text_again")
    con.execute("DROP TABLE _text_again")
    return int(frame["lines"].sum())


def _insert(store: Store, table: str, rows: Rows) -> None:
    """Add a chunk's rows (a frame, or a relation over Dask's results) to a temporary table, columns by name."""
    if isinstance(rows, Relation):
        store.con.execute(f"INSERT INTO {table} BY NAME {rows.sql}")
        return
    store.register("_text_rows", rows)
    store.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _text_rows")
    store.con.unregister("_text_rows")


def prose_counts(store: Store, run_id: int | None = None) -> dict[str, Any]:
    """Per reason, the messages whose own prose is empty and those with a part taken out, by the text step's
    run ``run_id`` or by all its runs.

    ``not_checked`` counts the messages processed before the text step kept the member's prose apart (rows of
    older rules, which the next text run processes again).
    """
    runs, args = ("run_id = ? AND", [run_id]) if run_id is not None else ("", [])
    con = store.con
    left = con.execute(
        f"SELECT left_out, count(*) FROM text_features WHERE {runs} left_out IS NOT NULL GROUP BY 1 ORDER BY 1", args
    ).fetchall()
    parts = con.execute(
        "SELECT part, count(*) FROM (SELECT unnest(string_split(removed, ',')) AS part FROM text_features"
        f" WHERE {runs} removed <> '') GROUP BY 1 ORDER BY 1",
        args,
    ).fetchall()
    row = con.execute(f"SELECT count(*) FROM text_features WHERE {runs} removed IS NULL", args).fetchone()
    return {
        "messages_left_out": {str(r): int(k) for r, k in left},
        "messages_with_parts_removed": {str(r): int(k) for r, k in parts},
        "not_checked": int(row[0]) if row else 0,
    }
