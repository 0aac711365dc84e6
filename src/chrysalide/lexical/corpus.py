"""What the lexical step classifies: the segments of one language, their active and supplementary forms.

The text step already kept the member's own prose apart (``chrysalide.text.prose``: removed bodies, bots,
quotes, media). Here the corpus-level choices are made:

* **bot accounts**: the messages of a member whose messages are nearly all signed by a bot, or nearly all one
  long template (:mod:`chrysalide.store.bots`, the store table ``bot_accounts``) are left out, its unsigned
  announcements too;
* **language**: one analysis per language, as Alceste and IRaMuTeQ analyse one language at a time (a
  mixed corpus otherwise gives a first axis that only separates the languages). ``lang="main"`` (the
  default) is the language with the most segments, ``und`` (too short to tell) never; ``"all"`` mixes them;
  a code (``fr``) picks that language. Messages of undetermined language are left out of every
  single-language run: they are short (a few words) and their words are neither lemmatised nor sorted into
  full and tool words. So are the segments of the analysed language's messages written in another language
  (:mod:`chrysalide.lexical.segment_language`: an English abstract quoted in a German post);
* **boilerplate**: a segment whose words recur in at least ``boilerplate`` messages, with at least
  ``BOILERPLATE_WORDS`` words, written by at most half as many authors as copies, is left unclassified:
  moderators' templates, signatures, text a member pasted into many threads. A handful of identical
  segments is enough to make a class of its own (REINERT.md, pitfall 5). "Its words" are its lemmas, full
  and tool words, in order: case, punctuation, numbers, links and members' pseudonyms or mentions do not
  count, so a template addressed to each member in turn is caught. A formula many members write once each
  ("thank you for sharing your story") is their own prose and stays;
* **forms** (IRaMuTeQ's "clé d'analyse"): ``"active"`` (the default) classifies on full words minus the
  supplementary ones of ``text/data/supplementary_<lang>.txt``; those and the tool words are supplementary
  forms, reported in the class profiles only. ``"full"`` classifies on every full word, the matrix of
  earlier versions (the one the rainette comparisons use).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from chrysalide.errors import ConfigError, StoreError
from chrysalide.lexical.matrix import WHITESPACE, sql_matrices
from chrysalide.lexical.segment_language import other_language_segments
from chrysalide.store import Store
from chrysalide.store.bots import bot_accounts
from chrysalide.text.lemmas import supplementary_words, tool_words

MAIN, ALL = "main", "all"
FORMS = ("active", "full")
UNDETERMINED = "und"
BOILERPLATE_WORDS = 5  # shorter segments may recur as ordinary speech ("thank you so much")
BOILERPLATE_REPEATS = 2  # copies per author: a template is repeated by its authors, a formula is shared
_ROWS = "_lexical_rows"  # temporary table: the analysed segments in corpus order
_FORMS = "_lexical_forms"  # registered frame: (lang, term) of the supplementary forms
_LABELS = "_lexical_labels"  # registered frame: (segment_id, label) of the classified segments


@dataclass
class Corpus:
    """The analysed segments (corpus order) and their matrices."""

    lang: str  # the analysed language, or "all"
    segments: pd.DataFrame  # segment_id, message_id, boilerplate (bool)
    X: sp.csr_matrix  # active forms: presence
    C: sp.csr_matrix  # active forms: token counts (variant B keyness)
    terms: list[str]
    forms: str  # "active" or "full": which forms are supplementary (supplementary_counts)
    counts: dict[str, Any] = field(default_factory=dict)  # what was left out, for the run's summary


def segment_counts(store: Store, bots: list[int]) -> tuple[dict[str, int], dict[str, int]]:
    """Segments per language, most first, and those of them written by the ``bots`` accounts (one scan)."""
    rows = store.con.execute(
        "SELECT coalesce(m.lang, ?) AS lang, count(*),"
        " count(*) FILTER (WHERE m.member_id IN (SELECT unnest(?::BIGINT[])))"
        " FROM segments s JOIN messages m USING (message_id) GROUP BY 1 ORDER BY 2 DESC, 1",
        [UNDETERMINED, bots],
    ).fetchall()
    return {str(lg): int(n) for lg, n, _ in rows}, {str(lg): int(b) for lg, _, b in rows}


def analysed_language(store: Store, lang: str, per_lang: dict[str, int]) -> str:
    """The language to analyse: ``lang`` resolved against the segments per language (:func:`segment_counts`)."""
    if not per_lang:
        raise StoreError(f"{store.path}: no text segments (run `chrysalide text` first)")
    if lang == ALL:
        return ALL
    if lang == MAIN:
        known = [lg for lg in per_lang if lg != UNDETERMINED]
        return known[0] if known else UNDETERMINED
    if lang not in per_lang:
        found = ", ".join(f"{lg} ({n})" for lg, n in per_lang.items())
        raise StoreError(f"{store.path}: no segment of a message in language {lang!r}; segments per language: {found}")
    return lang


def forms_frame(langs: list[str]) -> pd.DataFrame:
    """(lang, term) of every supplementary form: the listed light full words and the tool words."""
    pairs = [(lg, t) for lg in langs for t in sorted(supplementary_words(lg) | tool_words(lg))]
    return pd.DataFrame(pairs, columns=["lang", "term"], dtype=object)


def load_corpus(
    store: Store,
    lang: str = MAIN,
    *,
    forms: str = "active",
    boilerplate: int = 5,
    min_docfreq: int = 1,
    max_terms: int | None = None,
) -> Corpus:
    """The segments to classify and their active and supplementary matrices (module docstring).

    The terms strings are split and mapped to columns inside DuckDB (``matrix.sql_matrices``): Python
    receives integer arrays only.
    """
    if forms not in FORMS:
        raise ConfigError(f"--forms must be one of {', '.join(FORMS)}, got {forms!r}")
    bots = bot_accounts(store)
    per_lang, by_bots = segment_counts(store, bots)
    resolved = analysed_language(store, lang, per_lang)
    con = store.con
    where: str = ""
    params: list[object] = []
    if resolved != ALL:
        where, params = "WHERE coalesce(m.lang, ?) = ?", [UNDETERMINED, resolved]
    if bots:
        where = f"{where} {'AND' if where else 'WHERE'} coalesce(m.member_id NOT IN (SELECT unnest(?::BIGINT[])), true)"
        params = [*params, bots]
    other: list[int] = []
    if resolved != ALL:
        rows = f"SELECT s.segment_id, s.text FROM segments s JOIN messages m USING (message_id) {where}"
        other = other_language_segments(con, resolved, rows, params)["segment_id"].tolist()
    if other:
        where, params = f"{where} AND s.segment_id NOT IN (SELECT unnest(?::BIGINT[]))", [*params, other]
    key = "NULL::UBIGINT"
    if boilerplate > 0:
        # The segment's lemmas (full and tool words) stand for its words: case, punctuation, numbers, links and
        # members' pseudonyms or mentions aside, so a template addressed to each member in turn is one key.
        words = "concat_ws(' ', nullif(s.terms, ''), nullif(s.tool_terms, ''))"
        key = f"CASE WHEN len(string_split({words}, ' ')) >= {BOILERPLATE_WORDS} THEN hash({words}) END"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {_ROWS} AS SELECT row_number() OVER"
        " (ORDER BY s.message_id, s.seq, s.segment_id) - 1 AS row, s.segment_id, s.message_id, m.member_id,"
        f" coalesce(m.lang, '{UNDETERMINED}') AS lang, {key} AS key"
        f" FROM segments s JOIN messages m USING (message_id) {where}",
        params,
    )
    try:
        if boilerplate > 0:
            # a message without an author counts as written by an author of its own
            con.execute(
                f"UPDATE {_ROWS} SET key = NULL WHERE key NOT IN (SELECT key FROM {_ROWS} WHERE key IS NOT NULL"
                " GROUP BY key HAVING count(DISTINCT message_id) >= ?"
                " AND count(DISTINCT message_id) >= ? * count(DISTINCT coalesce(member_id, -message_id)))",
                [boilerplate, BOILERPLATE_REPEATS],
            )
        segments = con.execute(
            f"SELECT segment_id, message_id, key IS NOT NULL AS boilerplate FROM {_ROWS} ORDER BY row"
        ).df()
        n = len(segments)
        source = f"SELECT r.row, r.lang, {{terms}} AS terms FROM {_ROWS} r JOIN segments s USING (segment_id)"
        active = source.format(terms="CASE WHEN r.key IS NULL THEN s.terms ELSE '' END")
        anti = ""
        if forms == "active":
            store.register(_FORMS, forms_frame(list(per_lang) if resolved == ALL else [resolved]))
            anti = f"ANTI JOIN {_FORMS} f ON f.lang = p.lang AND f.term = p.term"
        try:
            X, C, terms = sql_matrices(con, active, n, min_docfreq=min_docfreq, max_terms=max_terms, join=anti)
        finally:
            if anti:
                con.unregister(_FORMS)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_ROWS}")
    left = {lg: k for lg, k in per_lang.items() if resolved != ALL and lg != resolved}
    counts = dict(
        segments_per_language=per_lang,
        bot_accounts=len(bots),
        bot_account_segments=sum(by_bots.values()) if resolved == ALL else by_bots.get(resolved, 0),
        other_languages=sum(k for lg, k in left.items() if lg != UNDETERMINED),
        undetermined_language=left.get(UNDETERMINED, 0),
        other_language_segments=len(other),
        boilerplate=int(segments["boilerplate"].sum()),
        no_active_form=int(np.count_nonzero((np.diff(X.indptr) == 0) & ~segments["boilerplate"].to_numpy())),
    )
    return Corpus(resolved, segments, X, C, terms, forms, counts)


def supplementary_counts(
    store: Store, corpus: Corpus, labels: np.ndarray, *, min_docfreq: int = 1
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Supplementary forms of the classified segments: ``counts[class, form]``, class sizes and the forms.

    The forms of a segment are its tool words and, with ``forms="active"``, its light full words. Counted in
    DuckDB (distinct forms per segment, then per class), so no segment x form matrix is built: these forms are
    many and frequent (the tool words of 700,000 segments are ten million pairs). Forms in fewer than
    ``min_docfreq`` classified segments are dropped, as for the active forms.
    """
    ok = labels >= 0
    sizes = np.bincount(labels[ok], minlength=int(labels.max()) + 1 if ok.any() else 0)
    if not ok.any():
        return np.zeros((0, 0)), sizes, []
    frame = pd.DataFrame({"segment_id": corpus.segments["segment_id"].to_numpy()[ok], "label": labels[ok]})
    text = "concat_ws(' ', s.terms, s.tool_terms)" if corpus.forms == "active" else "coalesce(s.tool_terms, '')"
    # The languages of the corpus (load_corpus counted its segments per language): no scan of the messages.
    langs = list(corpus.counts.get("segments_per_language", {})) if corpus.lang == ALL else [corpus.lang]
    store.register(_LABELS, frame)
    store.register(_FORMS, forms_frame([str(lg) for lg in langs]))
    try:
        rows = store.con.execute(
            f"SELECT p.label, p.term, count(*) AS n FROM (SELECT c.label, coalesce(m.lang, '{UNDETERMINED}') AS lang,"
            f" unnest(list_distinct(string_split_regex({text}, '{WHITESPACE}'))) AS term FROM {_LABELS} c"
            " JOIN segments s USING (segment_id) JOIN messages m USING (message_id)) p"
            f" SEMI JOIN {_FORMS} f ON f.lang = p.lang AND f.term = p.term GROUP BY 1, 2"
        ).df()
    finally:
        store.con.unregister(_LABELS)
        store.con.unregister(_FORMS)
    table = rows.pivot_table(index="label", columns="term", values="n", aggfunc="sum", fill_value=0)
    table = table.reindex(range(sizes.size), fill_value=0)
    table = table.loc[:, table.sum(axis=0) >= min_docfreq]
    return table.to_numpy(dtype=np.float64), sizes, [str(t) for t in table.columns]
