"""Coding in practice: code a CSV file, or code every message of the store a coder has not coded yet."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from chrysalide.coding.codebook import CODES, Codebook
from chrysalide.coding.context import CONTEXT_SQL, read_as_coded
from chrysalide.coding.model import MIN_LANGUAGE_MESSAGES
from chrysalide.coding.partition import code_partition, worker_coder
from chrysalide.coding.quantify import probability_average, round_shares
from chrysalide.coding.registry import coder_kinds, make_coder
from chrysalide.coding.shares import store_shares
from chrysalide.coding.tables import read_table
from chrysalide.distributed import Execution, map_frames
from chrysalide.errors import ConfigError, InputError
from chrysalide.outputs import output_file, writing
from chrysalide.store.db import Run, Store, utcnow
from chrysalide.store.step import PER_MESSAGE, Params, Rows, Step, StepResult, forget, run_step

PARTITION_ROWS = 50_000  # messages per Dask partition
CHUNK_ROWS = 1024  # messages per local chunk: at the model's ~200 messages/s, a progress report every ~5 s


def _read_messages_csv(path: Path) -> pd.DataFrame:
    frame = read_table(path, ("uid", "text"), "uid,text; optional lang, kind, is_first_post, title")
    kinds = set(frame["kind"]) - {"", "thread_start", "reply", "unknown"} if "kind" in frame else set()
    if kinds:
        raise InputError(f"{path}: column 'kind': unknown value {sorted(kinds)[0]!r} (thread_start, reply or unknown)")
    if "lang" in frame:
        frame["lang"] = frame["lang"].replace("", None)
    return read_as_coded(frame)


def output_table(uids: pd.Series, coded: pd.DataFrame) -> pd.DataFrame:
    """The CSV layout: uid, primary, secondary ('|'-separated), decentered (0/1), score_<code>, confidence,
    needs_review (0/1), lang_supported (0/1)."""
    out = pd.DataFrame({"uid": uids.to_numpy(), "primary": coded["primary"].to_numpy()})
    out["secondary"] = ["|".join(s) for s in coded["secondary"]]
    out["decentered"] = coded["decentered"].astype(int).to_numpy()
    for code in CODES:
        out[f"score_{code}"] = coded[f"score_{code}"].round(4).to_numpy()
    out["confidence"] = coded["confidence"].round(4).to_numpy()
    out["needs_review"] = coded["needs_review"].astype(int).to_numpy()
    out["lang_supported"] = coded["lang_supported"].astype(int).to_numpy()
    return out


def apply(
    input: str | Path,
    out: str | Path,
    *,
    coder: str = "model",
    model: str | Path | None = None,
    codebook: str | Path | None = None,
    review_below: float | None = None,
) -> dict[str, Any]:
    """Code the messages of a CSV file (``uid,text`` [,lang,kind,is_first_post,title]) into a CSV file; no database.

    A thread start's ``title`` is read with its text as in a database (:func:`chrysalide.coding.context.read_as_coded`).

    The summary gives the raw ``primary_counts`` and the ``estimated_shares`` {stage: share} corrected by
    probability averaging (:mod:`chrysalide.coding.quantify`).
    """
    source, dest = Path(input), output_file(out)
    frame = _read_messages_csv(source)
    fitted, name = make_coder(coder, model, codebook)
    if len(frame):
        table = output_table(frame["uid"], fitted.code(frame, review_below=review_below))
    else:
        empty = pd.DataFrame({"primary": [], "secondary": [], "decentered": [], **{f"score_{c}": [] for c in CODES},
                              "confidence": [], "needs_review": [], "lang_supported": []})  # fmt: skip
        table = output_table(pd.Series([], dtype=str), empty)
    with writing(dest) as part:
        table.to_csv(part, index=False)
    proba = table[[f"score_{c}" for c in CODES]].to_numpy(dtype=float)
    return {"coder": name, "messages": len(table), "out": str(dest),
            "primary_counts": table["primary"].value_counts().to_dict(),
            "estimated_shares": round_shares(probability_average(proba)) if len(table) else {},
            "needs_review": int(table["needs_review"].sum())}  # fmt: skip


@dataclass(frozen=True)
class CodeParams(Params):
    """Which coder: its kind (a registered name), its model file and its codebook (None: the packaged ones)."""

    coder: str = "model"
    model: str | None = None
    codebook: str | None = None
    #: Codes whose confidence is below this await review (None: the coder's own; the model's is chosen by
    #: cross-validation, docs/coding.md). A confidence, from 0 to 1.
    review_below: float | None = None

    def __post_init__(self) -> None:
        if self.review_below is not None and not 0 <= self.review_below <= 1:  # nan too
            raise ConfigError(f"--review-below must be a confidence from 0 to 1, got {self.review_below}")


class CodeStep(Step[CodeParams]):
    """Code every message that this coder (same kind, codebook / model-file digest) has not coded yet, and again
    those whose context changed since they were coded (:func:`forget_changed_context`).

    The structural context comes from SQL (:mod:`chrysalide.coding.context`); each message is coded by
    :func:`~chrysalide.coding.partition.code_partition` on the backend the execution names. One run per coder;
    runs are incremental, so a new codebook or model file is a new coder that codes everything.
    """

    name = "coding"
    reads = ("messages", "threads", "thread_order", "reply_targets", "member_firsts")
    writes = PER_MESSAGE[name]
    incremental = True
    side_by_side = True  # each coder codes every message; another coder's codes are no older rules
    QUERY: ClassVar[str] = (
        f"WITH ctx AS ({CONTEXT_SQL}) SELECT ctx.* FROM ctx WHERE message_id NOT IN "
        "(SELECT message_id FROM codes WHERE origin = ? AND coder = ?) ORDER BY message_id"
    )

    def __init__(
        self, params: CodeParams, *, execution: Execution | None = None, codebook: Codebook | None = None
    ) -> None:
        self.params = params
        self.execution = execution or Execution()
        # A codebook object (tests, notebooks) codes as given; its digest names the coder.
        self._codebook: str | Codebook | None = codebook if codebook is not None else params.codebook
        # This process loads the coder first: a bad model or codebook fails here, once, not in every worker.
        coder, self.coder_name = worker_coder(params.coder, params.model, self._codebook)
        self.fallback: str | None = getattr(coder, "fallback_language", None)

    @property
    def component(self) -> str:
        return self.coder_name

    def compute(self, store: Store, run: Run) -> Iterable[tuple[str, Rows]]:
        kind, name = self.params.coder, self.coder_name
        run.summary["coded_again"] = forget_changed_context(store)
        pending = store.con.execute(
            "SELECT count(*) FROM messages WHERE message_id NOT IN "
            "(SELECT message_id FROM codes WHERE origin = ? AND coder = ?)",
            [kind, name],
        ).fetchone()
        task = partial(code_partition, coder=kind, model=self.params.model, codebook=self._codebook, name=name,
                       decided_at=utcnow(), review_below=self.params.review_below)  # fmt: skip
        languages: dict[str, int] = {}
        unlearned: dict[str, int] = {}
        with map_frames(store, self.QUERY, task, params=[kind, name], execution=self.execution,
                        total=int(pending[0]) if pending else 0, chunk_rows=CHUNK_ROWS,
                        partition_rows=PARTITION_ROWS) as results:  # fmt: skip
            for result in results:
                for counts, key in ((languages, "languages"), (unlearned, "unlearned")):
                    for lang, n in _languages(store, result.get(key)):
                        counts[lang] = counts.get(lang, 0) + n
                yield "codes", result["codes"]
        run.summary["coder"] = name
        run.summary["unsupported_languages"] = languages
        run.summary["unlearned_languages"] = unlearned
        run.summary["warnings"] = language_warnings(languages, unlearned, self.fallback)

    def finish(self, store: Store, run: Run) -> None:
        counts = store.con.execute(
            "SELECT primary_code, count(*) FROM codes WHERE run_id = ? GROUP BY 1 ORDER BY 1", [run.run_id]
        ).fetchall()
        run.summary["primary_counts"] = {str(code): int(n) for code, n in counts}
        run.summary["coded"] = sum(run.summary["primary_counts"].values())
        review = store.con.execute("SELECT count(*) FILTER (needs_review) FROM codes WHERE run_id = ?", [run.run_id])
        run.summary["needs_review"] = int(review.fetchone()[0] or 0)  # type: ignore[index]
        run.summary["estimated_shares"] = round_shares(store_shares(store, run_id=run.run_id))
        run.summary["executor"] = self.execution.executor


def forget_changed_context(store: Store) -> int:
    """Make the coders code again the messages whose context changed since they were coded (a code's ``context``
    against :data:`~chrysalide.coding.context.CONTEXT_SQL`'s): their coding rows are deleted, as those of a message
    whose text changed (:func:`~chrysalide.store.step.forget`). How many messages.

    A later import can change an earlier message's context: it brings the member's earlier message (the message
    is no longer their first), its thread's opening message, or a second message in a thread of a flat source. The
    context is no coder's own, so every coder's code of such a message goes. Codes made before the context was kept
    (NULL) stand. A reviewer's codes are never deleted.
    """
    con = store.con
    if con.execute("SELECT 1 FROM codes WHERE context IS NOT NULL LIMIT 1").fetchone() is None:
        return 0  # nothing coded with a context yet (a first run): the context of no message is read twice
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE chrys_context_changed AS WITH ctx AS ({CONTEXT_SQL})"
        " SELECT DISTINCT c.message_id FROM codes c JOIN ctx USING (message_id)"
        " WHERE c.context IS NOT NULL AND c.context <> ctx.context"
    )
    try:
        row = con.execute("SELECT count(*) FROM chrys_context_changed").fetchone()
        forget(store, CodeStep.name, PER_MESSAGE[CodeStep.name], "chrys_context_changed")
    finally:
        con.execute("DROP TABLE chrys_context_changed")
    return int(row[0]) if row else 0


def _languages(store: Store, part: Any) -> list[tuple[str, int]]:
    """(language, messages) pairs of a partition result: a frame here, a Parquet relation on Dask."""
    if part is None:
        return []
    if not isinstance(part, pd.DataFrame):
        part = store.con.execute(f"SELECT lang, sum(n) AS n FROM ({part.sql}) GROUP BY lang").df()
    return [(str(lang), int(n)) for lang, n in zip(part["lang"], part["n"], strict=True)]


def language_warnings(unsupported: dict[str, int], unlearned: dict[str, int], fallback: str | None = None) -> list[str]:
    """The warnings of a run about its languages: one per language, by language code.

    ``unsupported``: messages by language the codebook has no markers for; ``unlearned``: by language the model
    learned from fewer than :data:`MIN_LANGUAGE_MESSAGES` coded messages (the same messages, for a language
    that is both, are named once). ``fallback``: the language whose markers the coder matched the unsupported
    ones with instead (the lexicon's); None for a coder that codes them from its multilingual features (the model).
    """
    how = (f"matched with the '{fallback}' markers" if fallback
           else "coded from the multilingual features only")  # fmt: skip
    markers = f"{how} and flagged lang_supported = false"
    learned = "their confidence is unmeasured there, so all of them are flagged needs_review"
    no_markers = "which the codebook has no markers for"
    too_few = f"the model learned from fewer than {MIN_LANGUAGE_MESSAGES} coded messages"
    out = []
    for lang in sorted(unsupported.keys() | unlearned.keys()):
        n, m = unsupported.get(lang), unlearned.get(lang)
        named = f"message(s) in language '{lang}'"
        if n is not None and n == m:
            out.append(f"{n} {named}, {no_markers} and {too_few}: {markers}; {learned}")
            continue
        parts = [f"{n} {named}, {no_markers}: {markers}"] if n is not None else []
        parts += [f"{m} {named}, which {too_few}: {learned}"] if m is not None else []
        out.append("; ".join(parts))
    return out


def code(
    store: Store,
    coders: str | Sequence[str] = ("model",),
    *,
    model: str | Path | None = None,
    codebook: str | Path | Codebook | None = None,
    execution: Execution | None = None,
    review_below: float | None = None,
) -> list[StepResult]:
    """Code every message each of ``coders`` has not coded yet: one run, and one result, per coder.

    ``model`` goes to the model coder and ``codebook`` to the lexicon coder (a coder refuses what it
    does not take). ``review_below``: confidence under which codes are flagged ``needs_review`` (None: each
    coder's own threshold; the lexicon has none).
    """
    kinds = [coders] if isinstance(coders, str) else list(dict.fromkeys(coders))
    if not kinds:
        raise ConfigError("give at least one coder")
    unknown = [kind for kind in kinds if kind not in coder_kinds()]
    if unknown:  # before any coder runs
        raise ConfigError(f"unknown coder {unknown[0]!r} (choose one of: {', '.join(coder_kinds())})")
    if model is not None and "model" not in kinds:
        raise ConfigError("--model applies to the model coder, which is not among the coders")
    if codebook is not None and "lexicon" not in kinds:
        raise ConfigError("--codebook applies to the lexicon coder, which is not among the coders")
    book = codebook if isinstance(codebook, Codebook) else None
    results = []
    for kind in kinds:
        params = CodeParams(
            coder=kind,
            model=str(model) if model is not None and kind == "model" else None,
            codebook=str(codebook) if codebook is not None and book is None and kind == "lexicon" else None,
            review_below=review_below,
        )
        step = CodeStep(params, execution=execution, codebook=book if kind == "lexicon" else None)
        results.append(run_step(store, step))
    return results
