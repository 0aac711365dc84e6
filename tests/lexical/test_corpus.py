"""What the lexical step classifies: language, boilerplate, active and supplementary forms, lexical outliers."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from regression_data import lexical  # the step's result as one dict

from chrysalide.errors import ConfigError, StoreError
from chrysalide.lexical import ReinertClassifier
from chrysalide.store import Store

EN = ["thyroid dose levothyroxine nodule doctor blood test result", "thank forum support courage hug welcome friend"]
FR = "thyroïde dose nodule médecin analyse résultat".split()


def fill(
    store: Store, *, en: int = 60, fr: int = 20, und: int = 5, boiler: int = 0, light: bool = False, authors: int = 1
) -> None:
    """Messages of one segment each: English on two topics, French, undetermined, and a repeated template.

    The ``boiler`` copies of the template are written by ``authors`` members in turn.
    """
    rng = np.random.default_rng(0)
    con = store.con
    con.execute("INSERT INTO sources VALUES ('s', 'jsonl', 'x', now()::TIMESTAMP, NULL, false)")
    con.execute("INSERT INTO threads VALUES (1, 's', '1', 'b', 't', NULL, NULL)")
    for m in range(authors):
        con.execute("INSERT INTO members VALUES (?, 's', ?, NULL, 'member', NULL)", [m, f"p{m}"])
    rows = []
    for i in range(en):
        # light words go with the first topic, tool words with the second: both characterise a class
        words = list(rng.choice(EN[i % 2].split(), 6, replace=False)) + (["really", "get"] if light and i % 2 else [])
        tools = ("the a" if i % 2 == 0 else "i") if light else None
        rows.append(("en", " ".join(words), tools, " ".join(words)))
    rows += [("fr", " ".join(rng.choice(FR, 5, replace=False)), None, "x") for _ in range(fr)]
    rows += [("und", "lol ok", None, "lol ok") for _ in range(und)]
    for k in range(boiler):  # a moderator's template: same words, another member's pseudonym each time
        text = f"Hello M-00000000{k:02d}! Please read the rules of this forum before posting here."
        rows.append(("en", "hello read rule forum post", None, text))
    first_copy = len(rows) - boiler
    for i, (lang, terms, tools, shown) in enumerate(rows):
        author = (i - first_copy) % authors if i >= first_copy else None
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, text, lang, content_hash)"
            " VALUES (?, 's', ?, 1, ?, ?, ?, 'h')",
            [i, str(i), author, shown, lang],
        )
        con.execute(
            "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms, tool_terms)"
            " VALUES (?, ?, 0, 0, ?, ?, ?)",
            [1000 + i, i, shown, terms, tools],
        )


def test_main_language_by_default_and_what_is_left_out(store: Store) -> None:
    fill(store)
    result = lexical(store, k=2, min_docfreq=3)
    assert result["lang"] == "en" and result["segments"] == 60
    left = result["left_out"]
    assert (left["other_languages"], left["undetermined_language"]) == (20, 5)
    assert left["segments_per_language"] == {"en": 60, "fr": 20, "und": 5}
    assert sorted(c["size"] for c in result["classes"]) == [30, 30]


def test_one_language_or_all(store: Store) -> None:
    fill(store)
    assert lexical(store, k=2, min_docfreq=3, lang="fr")["segments"] == 20
    everything = lexical(store, k=2, min_docfreq=3, lang="all")
    assert everything["lang"] == "all" and everything["segments"] == 85
    assert everything["left_out"]["other_languages"] == everything["left_out"]["undetermined_language"] == 0
    with pytest.raises(StoreError, match="no segment of a message in language 'de'.*en \\(60\\)"):
        lexical(store, lang="de")


def test_boilerplate_is_left_unclassified(store: Store) -> None:
    fill(store, boiler=6)
    result = lexical(store, k=2, min_docfreq=3)
    assert result["left_out"]["boilerplate"] == 6
    left = store.con.execute(
        "SELECT segment_id - 1000, class, left_out FROM segment_classes WHERE run_id = ? AND left_out IS NOT NULL"
        " ORDER BY 1",
        [result["run_id"]],
    ).fetchall()
    assert left == [(85 + k, -1, "boilerplate") for k in range(6)]
    terms = {t["term"] for c in result["classes"] for t in c["terms"]}
    assert not terms & {"hello", "rule"}
    kept = lexical(store, k=2, min_docfreq=3, boilerplate=0)
    assert kept["left_out"]["boilerplate"] == 0 and kept["classified"] == 66


def test_a_formula_members_write_once_each_is_not_boilerplate(store: Store) -> None:
    fill(store, boiler=6, authors=6)  # six members, one copy each: their own words
    assert lexical(store, k=2, min_docfreq=3)["left_out"]["boilerplate"] == 0


def test_a_corpus_of_boilerplate_only_says_so(store: Store) -> None:
    fill(store, en=0, fr=0, und=0, boiler=6)
    with pytest.raises(ConfigError, match="0 of 6 segments of language 'en' keep a term; 6 are boilerplate"):
        lexical(store, k=2, min_docfreq=3)


def test_boilerplate_needs_enough_messages_and_words(store: Store) -> None:
    fill(store, boiler=4)  # four copies: below the default of five messages
    assert lexical(store, k=2, min_docfreq=3)["left_out"]["boilerplate"] == 0
    assert lexical(store, k=2, min_docfreq=3, boilerplate=4)["left_out"]["boilerplate"] == 4


def test_light_words_and_tool_words_are_supplementary(store: Store) -> None:
    fill(store, light=True)
    run = lexical(store, k=2, min_docfreq=3)["run_id"]
    active = {t for (t,) in store.con.execute("SELECT term FROM class_terms WHERE run_id = ?", [run]).fetchall()}
    supplementary = {
        t for (t,) in store.con.execute("SELECT term FROM class_supplementary_terms WHERE run_id = ?", [run]).fetchall()
    }
    assert not active & {"really", "get", "the", "i", "a"}
    assert {"really", "get", "the", "a", "i"} <= supplementary and not supplementary & set(" ".join(EN).split())
    # the profile counts, per class, the classified segments holding the form
    expected: dict[tuple[int, str], int] = {}
    for cls, terms, tools in store.con.execute(
        "SELECT c.class, s.terms, s.tool_terms FROM segment_classes c JOIN segments s USING (segment_id)"
        " WHERE c.run_id = ? AND c.class IS NOT NULL",
        [run],
    ).fetchall():
        for word in {*terms.split(), *(tools or "").split()} & {"really", "get", "the", "a", "i"}:
            expected[cls, word] = expected.get((cls, word), 0) + 1
    got = store.con.execute(
        "SELECT class, term, freq_in_class FROM class_supplementary_terms WHERE run_id = ?"
        " AND term IN ('really', 'get', 'the', 'a', 'i')",
        [run],
    ).fetchall()
    assert {(c, t): int(n) for c, t, n in got if n} == expected
    full = lexical(store, k=2, min_docfreq=3, forms="full")["run_id"]
    terms = {t for (t,) in store.con.execute("SELECT term FROM class_terms WHERE run_id = ?", [full]).fetchall()}
    assert {"really", "get"} <= terms


def test_small_side_of_a_split_is_set_aside() -> None:
    """Two topics of 60 rows and 5 rows sharing words of their own: the 5 make a class unless set aside.

    The two topics share one word (23), so the 120 rows hang together and the 5 are the only part apart: with
    three unconnected parts the first factor would be any vector of a two-dimensional eigenspace, and which
    one LAPACK returns differs between CPUs."""
    rng = np.random.default_rng(1)
    rows = [np.append(rng.choice(np.arange(10 * (i % 2), 10 * (i % 2) + 10), 5, replace=False), 23)
            for i in range(120)]  # fmt: skip
    rows += [np.array([20, 21, 22]) for _ in range(5)]
    X = sp.csr_matrix((np.ones(sum(len(r) for r in rows)), (np.repeat(np.arange(125), [len(r) for r in rows]),
                                                            np.concatenate(rows))), shape=(125, 24))  # fmt: skip
    plain = ReinertClassifier(k=3, min_split_members=3).fit(X)
    assert sorted(np.bincount(plain.labels_[plain.labels_ >= 0])) == [5, 60, 60]
    model = ReinertClassifier(k=2, min_split_members=3, min_class_share=0.05).fit(X)
    assert model.outlier_.tolist() == [False] * 120 + [True] * 5
    assert [g["rows"] for g in model.outliers_] == [5]
    assert model.n_classes_ == 2 and sorted(np.bincount(model.labels_[model.labels_ >= 0])) == [60, 60]
    assert all((lab[120:] == -1).all() for lab in model.levels_.values())


def test_outliers_are_recorded_by_the_step(store: Store) -> None:
    fill(store, fr=0, und=0)
    con = store.con
    for i in range(5):  # five messages about something else entirely
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, text, lang, content_hash)"
            " VALUES (?, 's', ?, 1, 'x', 'en', 'h')",
            [500 + i, str(500 + i)],
        )
        con.execute(
            "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms) VALUES (?, ?, 0, 0, ?, ?)",
            [5000 + i, 500 + i, f"fantasy football {i}", "fantasy football waiver draft"],
        )
    result = lexical(store, k=2, min_docfreq=3, min_class_share=0.1)
    assert result["left_out"]["outliers"] == 5 and result["left_out"]["outlier_groups"] == [5]
    assert sorted(c["size"] for c in result["classes"]) == [30, 30]
    assert store.con.execute(
        "SELECT count(*) FROM segment_classes WHERE run_id = ? AND left_out = 'outlier' AND class = -1",
        [result["run_id"]],
    ).fetchone() == (5,)


def test_a_bot_accounts_unsigned_messages_are_left_out(store: Store) -> None:
    """A member whose messages are nearly all left out as bot-signed is a bot: its other segments go too."""
    fill(store, fr=0, und=0)
    con = store.con
    con.execute("INSERT INTO members VALUES (7, 's', 'M-0000000007', NULL, 'member', NULL)")
    for i in range(10):  # nine signed messages (no segment), one scheduled announcement with a segment
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, text, lang, content_hash)"
            " VALUES (?, 's', ?, 1, 7, 'x', 'en', 'h')",
            [700 + i, str(700 + i)],
        )
        con.execute(
            "INSERT INTO text_features VALUES (?, 0, 'en', 1, 0, 0, 0, 0, false, ?, ?)",
            [700 + i, "bot" if i else None, "bot" if i else ""],
        )
    con.execute(
        "INSERT INTO segments (segment_id, message_id, seq, run_id, text, terms) VALUES (7000, 700, 0, 0, 'x', ?)",
        ["moderator wanted modmail apply moderator"],
    )
    result = lexical(store, k=2, min_docfreq=3)
    assert (result["left_out"]["bot_accounts"], result["left_out"]["bot_account_segments"]) == (1, 1)
    assert result["left_out"]["messages_left_out"] == {"bot": 9}
    assert not con.execute("SELECT count(*) FROM segment_classes WHERE segment_id = 7000").fetchone()[0]
