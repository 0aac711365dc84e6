"""Write the demo forum to one file in the generic import format (JSONL or CSV), streaming."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from json.encoder import encode_basestring as _encode
from pathlib import Path
from typing import TYPE_CHECKING

from chrysalide.demo.clock import iso_paris
from chrysalide.demo.forum import DECENTERED_KINDS, Forum, Message
from chrysalide.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("message_id", "thread_id", "author", "posted_at", "text", "reply_to", "title", "board", "author_role",
           "lang")  # fmt: skip
TRUTH_COLUMNS = ("message_id", "intended_stage", "kind", "decentered")
STUDY_SIZE = dict(messages=485_000, threads=54_305)
"""Size of the study's forum (Fayn et al. 2021: 485,000 messages in 54,305 threads)."""
PRESETS: dict[str, dict[str, int]] = {"demo": dict(messages=6000, threads=672), "study": STUDY_SIZE}
"""Named sizes: ``demo`` runs through the whole pipeline in seconds, ``study`` matches the paper."""
_LINE = "{" + ", ".join(f'"{c}": %s' for c in COLUMNS) + "}\n"
LANGUAGES = ("fr", "en")
FORMATS = ("jsonl", "csv")


def _check(messages: int, threads: int | None, languages: Sequence[str], fmt: str) -> tuple[int, tuple[str, ...]]:
    if messages < 1:
        raise ConfigError(f"demo: messages must be at least 1, got {messages}")
    if threads is None:
        threads = max(1, round(messages * STUDY_SIZE["threads"] / STUDY_SIZE["messages"]))
    if not 1 <= threads <= messages:
        raise ConfigError(f"demo: threads must be between 1 and messages ({messages}), got {threads}")
    langs = tuple(dict.fromkeys(languages))
    if not langs or any(code not in LANGUAGES for code in langs):
        raise ConfigError(f"demo: languages must be a non-empty subset of {LANGUAGES}, got {tuple(languages)}")
    if fmt not in FORMATS:
        raise ConfigError(f"demo: fmt must be one of {FORMATS}, got {fmt!r}")
    return threads, langs


def _row(m: Message) -> tuple[str | None, ...]:
    return (m.message_id, m.thread_id, m.author, iso_paris(m.posted_at), m.text, m.reply_to, m.title, m.board,
            m.author_role, m.lang)  # fmt: skip


def _json_line(row: tuple[str | None, ...]) -> str:
    # json.dumps builds an encoder per call; the C string encoder alone is several times faster.
    return _LINE % tuple("null" if v is None else _encode(v) for v in row)


def _truth(m: Message) -> tuple[str, ...]:
    return (m.message_id, m.stage, m.kind, "true" if m.kind in DECENTERED_KINDS else "false")


def iter_messages(
    messages: int = 6000, *, threads: int | None = None, seed: int = 7, languages: Sequence[str] = LANGUAGES
) -> Iterator[Message]:
    """Generated messages one by one, thread after thread (the engine behind :func:`generate`)."""
    n_threads, langs = _check(messages, threads, languages, "jsonl")
    yield from Forum(messages, n_threads, seed, langs)


def generate(
    out: Path | str,
    *,
    messages: int = 6000,
    threads: int | None = None,
    seed: int = 7,
    languages: Sequence[str] = LANGUAGES,
    fmt: str = "jsonl",
    truth: bool = False,
) -> Path:
    """Write a synthetic thyroid patient forum shaped like the study's to ``out`` and return its path.

    Parameters:
        out: file to write (overwritten). Parent folders are created.
        messages: number of messages, exactly. ``PRESETS["study"]`` gives the paper's 485,000.
        threads: number of threads; by default the study's ratio (about 8.9 messages per thread).
        seed: random seed; the same seed and sizes give a byte-identical file.
        languages: sub-forums to generate, among ``"fr"`` and ``"en"``; with both, about 70% of
            threads are French. Each language is a separate set of boards and members.
        fmt: ``"jsonl"`` (one JSON object per line; missing ``reply_to``/``title`` are ``null``) or
            ``"csv"`` (header row; missing values are empty cells; texts may span lines, quoted).
        truth: also write ``<out stem>.truth.csv`` with the stage each message was *generated to
            express* (``intended_stage``, template ``kind``, ``decentered``). It is a property of the
            generator, useful to test later stages on this corpus, not a gold standard of coding.

    Keys/columns: ``message_id, thread_id, author, posted_at, text, reply_to, title, board,
    author_role, lang``. ``posted_at`` is ISO 8601 in Paris local time with its offset. Messages are
    written thread by thread, each thread in time order, so ``reply_to`` always names an earlier line.
    """
    n_threads, langs = _check(messages, threads, languages, fmt)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    truth_path = path.with_suffix(".truth.csv")
    forum = Forum(messages, n_threads, seed, langs)
    with ExitStack() as stack:
        fh = stack.enter_context(path.open("w", encoding="utf-8", newline=""))
        tw = None
        if truth:
            th = stack.enter_context(truth_path.open("w", encoding="utf-8", newline=""))
            tw = csv.writer(th, lineterminator="\n")
            tw.writerow(TRUTH_COLUMNS)
        cw = csv.writer(fh, lineterminator="\n")
        if fmt == "csv":
            cw.writerow(COLUMNS)
        for k in range(len(forum.plan.start)):
            batch = forum.thread(k)
            if fmt == "csv":
                cw.writerows(tuple("" if v is None else v for v in _row(m)) for m in batch)
            else:
                fh.write("".join(_json_line(_row(m)) for m in batch))
            if tw is not None:
                tw.writerows(_truth(m) for m in batch)
    return path


def generate_frame(
    messages: int = 6000,
    *,
    threads: int | None = None,
    seed: int = 7,
    languages: Sequence[str] = LANGUAGES,
    truth: bool = False,
) -> pd.DataFrame:
    """The same corpus as :func:`generate` as a pandas DataFrame (for small sizes, held in memory).

    With ``truth=True`` the frame gains the generator's ``intended_stage``, ``kind`` and
    ``decentered`` columns (see :func:`generate`).
    """
    import pandas as pd

    rows = []
    for m in iter_messages(messages, threads=threads, seed=seed, languages=languages):
        row: dict[str, object] = dict(zip(COLUMNS, _row(m), strict=True))
        if truth:
            row.update(intended_stage=m.stage, kind=m.kind, decentered=m.kind in DECENTERED_KINDS)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS) + (list(TRUTH_COLUMNS[1:]) if truth else []))
