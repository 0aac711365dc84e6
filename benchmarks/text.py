"""Throughput of the text layer: tokens/s and messages/s, one core, and peak memory.

    .venv/bin/python benchmarks/text.py [--size 100000] [--source corpora|generated] [--store]

Messages come from ../shared/corpora (French Doctissimo and PMA forum posts, English Reddit
comments, German ADFD posts; cycled up to --size) or, without them or with --source generated,
from a seeded Zipfian generator over a French/English vocabulary. Three measures:

1. core: tokenize + lemmatize + person_features on normalised text with a known language (the
   issue's target: >= 1M tokens/s per core), with cold then warm lemma caches;
2. frame: ``process_frame`` (normalise, detect, segments, terms, person features) per message;
3. store (--store): ``process`` into a DuckDB file, batches written with INSERT ... SELECT.
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

from chrysalide.text import lemmas as lemmas_module
from chrysalide.text import lemmatize, normalize, person_features, process, process_frame, tokenize
from chrysalide.text.language import detect

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="number of messages")
    parser.add_argument("--source", choices=["corpora", "generated"], default="corpora")
    parser.add_argument("--store", action="store_true", help="also time process() into a DuckDB file")
    args = parser.parse_args()

    base = corpus_messages() if args.source == "corpora" else []
    source = "corpora" if base else "generated"
    if not base:
        base = generated_messages(min(args.size, 20_000))
    pairs = [base[i % len(base)] for i in range(args.size)]
    print(f"source: {source} ({len(base):,} distinct messages, cycled to {len(pairs):,})")

    print(f"load (1e7-iteration Python loop, to compare machines): {calibrate():.2f} s")
    start = time.perf_counter()
    normalised = [normalize(text) for text, _ in pairs]
    t_norm = time.perf_counter() - start
    langs = [lang for _, lang in pairs]
    start = time.perf_counter()
    detected = [detect(text) for text in normalised[: len(base)]]
    t_detect = time.perf_counter() - start
    agree = sum(d == lang for d, (_, lang) in zip(detected, base, strict=False)) / len(detected)
    chars = sum(len(t) for t in normalised)
    print(f"normalize: {len(pairs) / t_norm:,.0f} messages/s ({chars / t_norm / 1e6:.1f} M chars/s)")
    print(f"detect:    {len(detected) / t_detect:,.0f} messages/s, agrees with the corpus language on {agree:.1%}")

    lemmas_module._CACHES.clear()
    gc.collect()
    for label in ("core, cold caches", "core, warm caches"):
        n_tokens, seconds, cpu = core_pass(normalised, langs)
        print(
            f"{label}: {n_tokens:,} tokens in {seconds:.2f} s wall / {cpu:.2f} s CPU ="
            f" {n_tokens / seconds:,.0f} tokens/s wall, {n_tokens / cpu:,.0f} tokens/s CPU,"
            f" {len(pairs) / cpu:,.0f} messages/s CPU"
        )

    frame = pd.DataFrame({"message_id": range(len(pairs)), "text": [t for t, _ in pairs], "lang": [None] * len(pairs)})
    start, cpu = time.perf_counter(), time.process_time()
    feats, segs = process_frame(frame)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"process_frame (normalise+detect+segments+terms+person): {len(pairs) / seconds:,.0f} messages/s wall,"
        f" {len(pairs) / cpu:,.0f} messages/s CPU, {feats['n_tokens'].sum() / cpu:,.0f} tokens/s CPU,"
        f" {len(segs):,} segments"
    )

    if args.store:
        from chrysalide.store import Store

        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
            frame["source_id"], frame["native_id"] = "bench", frame["message_id"].astype(str)
            frame["thread_id"], frame["content_hash"] = 0, ""
            store.con.register("bench_frame", frame)
            store.con.execute("INSERT INTO messages BY NAME SELECT * FROM bench_frame")
            start, cpu = time.perf_counter(), time.process_time()
            counts = process(store)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(
                f"process (store, batches of 5,000): {counts['messages'] / seconds:,.0f} messages/s wall,"
                f" {counts['messages'] / cpu:,.0f} messages/s CPU (DuckDB may use a second thread)"
            )
    print(f"peak memory (max RSS): {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
