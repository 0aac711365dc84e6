"""Throughput of the text layer: tokens/s and messages/s, one core, and peak memory.

    .venv/bin/python benchmarks/text.py [--size 100000] [--source corpora|demo|generated]
        [--store] [--executors local,pool,dask] [--workers 2]

Messages come from ../shared/corpora (French Doctissimo and PMA forum posts, English Reddit
comments, German ADFD posts; cycled up to --size), from the demo forum (``chrysalide.demo``,
the study's shape, ingested with ``chrysalide.ingest``) or from a seeded Zipfian generator.
Measures (CPU time next to wall time: the machine may be shared):

1. core: tokenize + lemmatize + person_features on normalised text with a known language (the
   issue's target: >= 1M tokens/s per core), with cold then warm caches; then the stage's fused
   per-word path (``words.word_codes`` + segment terms) on the same texts;
2. frame: ``process_frame`` (normalise, detect, segments, terms, person features) per message,
   with the languages given and with every language detected;
3. store (--store): ``process`` into a DuckDB file with each executor of --executors (``pool`` is
   the local executor with --workers processes, ``dask`` a LocalCluster of --workers).
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from chrysalide.distributed import Execution
from chrysalide.text import lemmas as lemmas_module
from chrysalide.text import lemmatize, normalize, person_features, process, process_frame, tokenize
from chrysalide.text.language import detect
from chrysalide.text.person import counts_from_codes
from chrysalide.text.words import segment_terms, word_codes

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
_BBCODE = re.compile(r"\[/?[a-z*]+(?:=[^\]]*)?\]", re.IGNORECASE)


def corpus_messages() -> list[tuple[str, str]]:
    """(text, lang) pairs from the shared corpora; empty when they are absent."""
    out: list[tuple[str, str]] = []
    brut = CORPORA / "doctissimo_intentions_fr/data/corpus_brut.txt"
    if brut.exists():
        posts = re.split(r"\n=+\n", brut.read_text(encoding="utf-8"))
        out += [(p, "fr") for p in posts if p.strip()]
    pma = CORPORA / "fivfr_pma_forum_fr/assets/data_psychopma.csv"
    if pma.exists():
        out += [(t, "fr") for t in pd.read_csv(pma)["Contenu"].dropna().drop_duplicates()]
    reddit = CORPORA / "reddit_mentalhealth_comments_en/reddit_post_comments.csv"
    if reddit.exists():
        out += [(t, "en") for t in pd.read_csv(reddit)["body"].dropna().head(3000)]
    adfd = CORPORA / "adfd_phpbb_antidepressant_de/content/imported"
    if adfd.exists():
        for path in sorted(adfd.rglob("*.bb"))[:800]:
            out.append((_BBCODE.sub(" ", path.read_text(encoding="utf-8", errors="replace")), "de"))
    return out


_VOCAB = (
    "je j'ai mon ma mes nous vous tu le la les un une des de du et à pour avec pas que qui est suis "
    "thyroïde nodule traitement médecin dose levothyrox fatigue analyses résultats merci courage "
    "prends soin toi I my we you the a and to of is was thyroid doctor dose tired thanks help"
).split()


def generated_messages(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """Seeded messages: Zipfian word choice, heavy-tailed lengths, some punctuation."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(_VOCAB))]
    out = []
    for _ in range(n):
        length = min(2000, int(rng.paretovariate(1.2) * 20))
        words = rng.choices(_VOCAB, weights, k=length)
        for i in range(7, length, rng.randint(5, 15)):
            words[i] += rng.choice(".,?!")
        out.append((" ".join(words), "fr"))
    return out


def calibrate() -> float:
    """Wall seconds of a fixed pure-Python loop: ~0.4 s on an idle recent core."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def peak_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def core_pass(texts: list[str], langs: list[str]) -> tuple[int, float, float]:
    """Tokens, wall seconds and CPU seconds of tokenize + lemmatize + person_features."""
    n_tokens = 0
    start, cpu = time.perf_counter(), time.process_time()
    for text, lang in zip(texts, langs, strict=True):
        tokens = tokenize(text, lang)
        lemmatize(tokens, lang)
        person_features(tokens, lang)
        n_tokens += len(tokens)
    return n_tokens, time.perf_counter() - start, time.process_time() - cpu


def demo_messages(n: int) -> list[tuple[str, str]]:
    """(text, lang) of a generated demo forum of ``n`` messages, ingested as the pipeline does."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import corpus

    from chrysalide.ingest import ingest
    from chrysalide.store import Store

    with Store(":memory:") as store:
        ingest(store, corpus(n))
        rows = store.con.execute("SELECT text, lang FROM messages ORDER BY message_id").fetchall()
    return [(text, lang) for text, lang in rows]


def fused_pass(texts: list[str], langs: list[str]) -> tuple[int, float, float]:
    """The stage's per-word path: token codes, person counts and the terms of the whole text."""
    n_tokens = 0
    start, cpu = time.perf_counter(), time.process_time()
    for text, lang in zip(texts, langs, strict=True):
        words = text.split(" ") if text else []
        codes, lookups = word_codes(words, lang)
        counts_from_codes(codes, lang, text)
        segment_terms(words, lookups.terms)
        segment_terms(words, lookups.tools)
        n_tokens += len(codes)
    return n_tokens, time.perf_counter() - start, time.process_time() - cpu


def rate(label: str, n: int, unit: str, seconds: float, cpu: float) -> str:
    return f"{label}: {n:,} {unit} in {seconds:.2f} s wall / {cpu:.2f} s CPU = {n / seconds:,.0f} {unit}/s wall, {n / cpu:,.0f} {unit}/s CPU"


def store_runs(frame: pd.DataFrame, executors: list[str], workers: int) -> None:
    from chrysalide.store import Store

    frame = frame.assign(source_id="bench", native_id=frame["message_id"].astype(str), thread_id=0, content_hash="")
    for name in executors:
        execution = {
            "local": Execution(),
            "pool": Execution(workers=workers),
            "dask": Execution("dask", None, workers),
        }[name]
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
            store.con.register("bench_frame", frame)
            store.con.execute("INSERT INTO messages BY NAME SELECT * FROM bench_frame")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start, cpu = time.perf_counter(), time.process_time()
            counts = process(store, execution=execution).summary
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            children = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            print(
                f"process, {name} executor{'' if name == 'local' else f' x{workers}'}:"
                f" {counts['messages']:,} messages in {seconds:.2f} s wall = {counts['messages'] / seconds:,.0f}"
                f" messages/s wall; CPU {cpu:.2f} s here + {children:.2f} s in worker processes"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="number of messages")
    parser.add_argument("--source", choices=["corpora", "demo", "generated"], default="corpora")
    parser.add_argument("--store", action="store_true", help="also time process() into a DuckDB file")
    parser.add_argument("--executors", default="local", help="with --store: comma-separated local,pool,dask")
    parser.add_argument("--workers", type=int, default=2, help="processes of the pool and Dask executors")
    args = parser.parse_args()

    if args.source == "demo":
        pairs = demo_messages(args.size)
        print(f"source: demo forum ({len(pairs):,} generated messages, ingested)")
    else:
        base = corpus_messages() if args.source == "corpora" else []
        if not base:
            base = generated_messages(min(args.size, 20_000))
        pairs = [base[i % len(base)] for i in range(args.size)]
        print(f"source: {args.source} ({len(base):,} distinct messages, cycled to {len(pairs):,})")

    print(f"load (1e7-iteration Python loop, to compare machines): {calibrate():.2f} s")
    start, cpu = time.perf_counter(), time.process_time()
    normalised = [normalize(text) for text, _ in pairs]
    t_norm, c_norm = time.perf_counter() - start, time.process_time() - cpu
    langs = [lang for _, lang in pairs]
    start, cpu = time.perf_counter(), time.process_time()
    detected = [detect(text) for text in normalised]
    t_detect, c_detect = time.perf_counter() - start, time.process_time() - cpu
    agree = sum(d == lang for d, lang in zip(detected, langs, strict=True)) / len(detected)
    chars = sum(len(t) for t in normalised)
    print(rate("normalize", len(pairs), "messages", t_norm, c_norm) + f" ({chars / c_norm / 1e6:.1f} M chars/s CPU)")
    print(rate("detect", len(pairs), "messages", t_detect, c_detect) + f"; agrees with the source on {agree:.1%}")

    lemmas_module._CACHES.clear()
    gc.collect()
    for label in ("core, cold caches", "core, warm caches"):
        n_tokens, seconds, cpu = core_pass(normalised, langs)
        print(rate(label, n_tokens, "tokens", seconds, cpu))
    for label in ("fused per-word path, cold", "fused per-word path, warm"):
        n_tokens, seconds, cpu = fused_pass(normalised, langs)
        print(rate(label, n_tokens, "tokens", seconds, cpu))

    texts = [t for t, _ in pairs]
    frame = pd.DataFrame({"message_id": range(len(pairs)), "text": texts, "lang": langs})
    for label, lang_column in (("languages given", langs), ("languages detected", [None] * len(pairs))):
        frame["lang"] = lang_column
        start, cpu = time.perf_counter(), time.process_time()
        feats, segs = process_frame(frame)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            rate(f"process_frame, {label}", len(pairs), "messages", seconds, cpu)
            + f"; {feats['n_tokens'].sum() / cpu:,.0f} tokens/s CPU, {len(segs):,} segments"
        )

    if args.store:
        store_runs(frame.assign(lang=None), args.executors.split(","), args.workers)
    print(f"peak memory (max RSS): {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
