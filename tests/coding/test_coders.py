"""Each coder on hand-written FR, EN and DE messages per code, the decision rules, and the shared conformance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chrysalide.coding import CODES, LexiconCoder, ModelCoder
from chrysalide.coding.base import StageCoder
from chrysalide.coding.model import default_model_path

MESSAGES = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "coding" / "messages.csv")


@pytest.fixture(scope="module")
def lexicon() -> LexiconCoder:
    return LexiconCoder().fit()


@pytest.fixture(scope="module")
def model() -> ModelCoder:
    return ModelCoder.load()


@pytest.fixture(scope="module", params=["lexicon", "model"])
def coder(request: pytest.FixtureRequest, lexicon: LexiconCoder, model: ModelCoder) -> StageCoder:
    return lexicon if request.param == "lexicon" else model


@pytest.mark.parametrize("row", MESSAGES.to_dict("records"), ids=lambda r: f"{r['lang']}-{r['code']}")
def test_hand_written_messages(lexicon: LexiconCoder, row: dict) -> None:
    X = pd.DataFrame({"text": [row["text"]], "lang": [row["lang"]]})
    assert lexicon.predict(X)[0] == row["code"]


def test_model_on_hand_written_messages_flags_what_it_misses(model: ModelCoder) -> None:
    """The model learned from real messages: it may miss a textbook case, but then it is unsure of it."""
    table = model.code(MESSAGES[["text", "lang"]])
    right = table["primary"].to_numpy() == MESSAGES["code"].to_numpy()
    assert right.mean() >= 0.8
    assert table.loc[~right, "needs_review"].all()


def test_conformance(coder: StageCoder) -> None:
    X = MESSAGES[["text", "lang"]]
    proba = coder.predict_proba(X)
    assert proba.shape == (len(X), len(CODES)) and list(coder.classes_) == list(CODES)
    assert np.allclose(proba.sum(axis=1), 1.0) and (proba >= 0).all()
    assert np.array_equal(coder.predict_proba(X), proba)  # deterministic
    table = coder.code(X)
    assert (coder.predict(X) == table["primary"].to_numpy()).all()
    index = [CODES.index(c) for c in table["primary"]]
    assert np.allclose(table["confidence"], proba[np.arange(len(X)), index])  # the primary code's probability
    assert set(table["primary"]) <= set(CODES)
    assert all(
        set(s) <= set(CODES[:4]) and row not in s for s, row in zip(table["secondary"], table["primary"], strict=True)
    )
    assert (table["decentered"] <= (table["primary"] == "collaborative")).all()
    assert coder.fit(X, MESSAGES["code"]) is coder if isinstance(coder, LexiconCoder) else True


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_gets_a_valid_code(lexicon: LexiconCoder, text: str) -> None:
    table = lexicon.code([text])
    assert table["primary"][0] in CODES and np.isclose(table.filter(like="score_").sum(axis=1)[0], 1.0)


def test_hostile_input(coder: StageCoder) -> None:
    texts = ["", "<script>alert(1)</script>", "[b][url=x]y[/url][/b]", "merci " * 20000, "😀" * 50, None]
    table = coder.code(pd.DataFrame({"text": texts}))
    assert len(table) == len(texts) and set(table["primary"]) <= set(CODES)
    assert table["primary"][0] == "other"


def test_decentered_flag(lexicon: LexiconCoder) -> None:
    helper = "Tu devrais demander une prise de sang, c'est normal au début. Courage, prends soin de toi !"
    mixed = "Moi j'ai un nodule aussi et ma TSH est haute. Tu devrais demander une prise de sang. Courage !"
    table = lexicon.code(pd.DataFrame({"text": [helper, mixed], "lang": ["fr", "fr"]}))
    assert table["primary"].tolist() == ["collaborative", "collaborative"]
    assert table["decentered"].tolist() == [True, False]


def test_rule_1_request_beats_thanks(lexicon: LexiconCoder) -> None:
    text = "Merci beaucoup pour vos réponses ! Ma TSH est à 6, est-ce normal ? Quelqu'un sait ce que je dois faire ?"
    table = lexicon.code(pd.DataFrame({"text": [text], "lang": ["fr"]}))
    assert table["primary"][0] == "individual"  # the thanks only closes the request: not even secondary


def test_decision_rules_on_scores(lexicon: LexiconCoder) -> None:
    def decide(ind: float, com: float, col: float, soc: float, oth: float = 0.0, request: bool = False):  # type: ignore[no-untyped-def]
        return lexicon.decide(np.array([ind, com, col, soc, oth]), request, 50)

    assert decide(5, 3, 0, 0, request=True) == ("individual", ("community",))  # rule 1
    assert decide(2, 0, 6, 0, request=True)[0] == "collaborative"  # helping dominates a side question
    assert decide(0, 4, 4, 0)[0] == "collaborative"  # ties go to the later stage
    assert decide(0, 0, 3.9, 4.0)[0] == "societal"
    assert decide(0, 4, 1.5, 0) == ("community", ())  # secondary needs half the primary's score
    assert decide(0.2, 0.5, 0, 0) == ("other", ())  # nothing reaches min_score
    assert decide(0, 0, 0, 0, oth=5) == ("other", ())


def test_context_moves_the_lexicon(lexicon: LexiconCoder) -> None:
    text = "J'ai une question sur la dose."
    base = lexicon.code(pd.DataFrame({"text": [text], "lang": ["fr"]}))
    first = lexicon.code(pd.DataFrame({"text": [text], "lang": ["fr"], "kind": ["thread_start"],
                                       "is_first_post": [1]}))  # fmt: skip
    assert first["score_individual"][0] > base["score_individual"][0]


def test_explain_lists_markers(lexicon: LexiconCoder) -> None:
    found = lexicon.explain("Signez la pétition et prenez soin de vous", "fr")
    assert {"collective_action", "encouragement"} <= set(found["group"])


def test_german_is_coded_with_german_markers(lexicon: LexiconCoder) -> None:
    text = "Hat jemand Erfahrung mit dem Ausschleichen? Ich habe solche Angst vor den Absetzsymptomen. Danke im Voraus!"
    spanish = "Hola a todas, ¿alguien ha dejado la paroxetina? Tengo mucho miedo de los síntomas de abstinencia."
    table = lexicon.code(pd.DataFrame({"text": [text, spanish]}))  # languages detected
    assert table["lang"].tolist() == ["de", "es"]
    assert table["lang_supported"].tolist() == [True, False]  # Spanish: no markers in the codebook
    found = lexicon.explain(text, "de")
    # Lemmas of the German expressions: 'hat jemand', 'habe solche Angst', 'Danke im Voraus', 'absetzsymptom*'.
    assert {"haben jemand", "haben solcher angst", "danken im voraus", "absetzsymptom"} <= set(found["marker"])
    assert set(found.loc[found["group"] == "request", "marker"]) == {"haben jemand", "danken im voraus"}
    assert table["primary"][0] == "individual"


def test_model_fit_save_load_round_trip(tmp_path: Path) -> None:
    X = MESSAGES[["text", "lang"]]
    y = MESSAGES["code"]
    fitted = ModelCoder(settings={"min_df": 1}).fit(X, y)
    assert (fitted.predict(X) == y).mean() >= 0.9
    loaded = ModelCoder.load(fitted.save(tmp_path / "m.npz"))
    assert np.allclose(loaded.predict_proba(X), fitted.predict_proba(X))
    assert loaded.codebook_.version == fitted.codebook_.version and loaded.training_["n"] == len(X)


def test_model_codes_with_balanced_weights_and_calibrates_to_real_frequencies() -> None:
    """The code is the argmax of the predictor's output (stage biases removed), the probabilities carry them."""
    X, y = MESSAGES[["text", "lang"]], MESSAGES["code"]
    fitted = ModelCoder(settings={"min_df": 1, "encoder": "never", "cv_folds": 2}).fit(X, y)
    assert fitted.bias_fast_[0] == 0 and np.abs(fitted.bias_fast_).max() > 0
    proba = fitted.predict_proba(X)
    undone = np.log(proba) - fitted.bias_fast_
    assert list(fitted.predict(X)) == [CODES[i] for i in undone.argmax(axis=1)]


def test_model_with_two_codes_still_gives_five_columns() -> None:
    X = pd.DataFrame({"text": ["merci à toutes", "merci beaucoup", "courage à toi", "tu devrais essayer"]})
    fitted = ModelCoder(settings={"min_df": 1}).fit(X, ["community", "community", "collaborative", "collaborative"])
    proba = fitted.predict_proba(X)
    assert proba.shape == (4, 5) and np.allclose(proba.sum(axis=1), 1)
    assert list(fitted.predict(X)) == ["community", "community", "collaborative", "collaborative"]


def test_shipped_model_has_no_stored_texts() -> None:
    with np.load(default_model_path(), allow_pickle=False) as data:
        longest = max(len(s) for s in data["vocab"])
    assert longest < 80  # n-grams only, never a message


def test_out_of_fold_codes_leave_each_group_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """With groups, each message is coded by a model that saw none of its group."""
    from chrysalide.coding import training

    seen: list[set[str]] = []

    class Recorder(ModelCoder):
        def fit(self, X, y=None, *, measured=None, sample_weight=None):  # type: ignore[no-untyped-def]
            seen.append(set(X.langs))
            return super().fit(X, y, measured=measured, sample_weight=sample_weight)

    monkeypatch.setattr(training, "ModelCoder", Recorder)
    frame = MESSAGES.rename(columns={"code": "primary"})
    pred = training.out_of_fold_codes(frame, groups="lang", settings={"min_df": 1, "encoder": "never", "cv_folds": 0})
    langs = set(MESSAGES["lang"])
    # One fold per language, trained on the others.
    assert sorted(map(sorted, seen)) == sorted(sorted(langs - {held_out}) for held_out in langs)
    assert len(pred) == len(frame) and set(pred) <= set(CODES)


def test_out_of_fold_extra_messages_train_but_are_never_coded(monkeypatch: pytest.MonkeyPatch) -> None:
    """``extra`` messages join every fold's training part; leaving a group out leaves its extra ones out too."""
    from chrysalide.coding import training

    folds: list[tuple[set[tuple[str, str]], set[tuple[str, str]]]] = []  # (text, lang) trained on, coded

    class Recorder(ModelCoder):
        def fit(self, X, y=None, *, measured=None, sample_weight=None):  # type: ignore[no-untyped-def]
            folds.append((set(zip(X.texts, X.langs, strict=True)), set()))
            # Calibration measures on the fold's own messages, not on the extra ones.
            assert [t.startswith("zzextra") for t in X.texts] == [not m for m in measured]
            return super().fit(X, y, measured=measured, sample_weight=sample_weight)

        def predict(self, X):  # type: ignore[no-untyped-def]
            folds[-1][1].update(zip(X.texts, X.langs, strict=True))
            return super().predict(X)

    monkeypatch.setattr(training, "ModelCoder", Recorder)
    frame = MESSAGES.rename(columns={"code": "primary"})
    extra = frame.assign(text="zzextra " + frame["text"])
    settings = {"min_df": 1, "encoder": "never", "cv_folds": 0}
    pred = training.out_of_fold_codes(frame, groups="lang", extra=extra, settings=settings)
    assert len(pred) == len(frame) and len(folds) == frame["lang"].nunique()
    for trained, coded in folds:
        assert coded and not any(text.startswith("zzextra") for text, _ in coded)  # extra ones are never coded
        left_out = {lang for _, lang in coded}
        extra_trained = {lang for text, lang in trained if text.startswith("zzextra")}
        assert extra_trained == set(frame["lang"]) - left_out
        assert not {lang for _, lang in trained} & left_out
    training.out_of_fold_codes(frame, extra=extra, n_splits=2, settings=settings)
    for trained, _ in folds[-2:]:  # stratified: every extra message in every fold's training part
        assert sum(text.startswith("zzextra") for text, _ in trained) == len(
            set(zip(extra["text"], extra["lang"], strict=True))
        )


def test_fit_measures_itself_on_the_measured_messages_only() -> None:
    """Unmeasured messages teach the predictors but leave the confusion matrix and the figures alone."""
    X = MESSAGES[["text", "lang"]]
    taught = X.assign(text="more of it " + X["text"])
    both = pd.concat([X, taught], ignore_index=True)
    y = pd.concat([MESSAGES["code"], MESSAGES["code"]], ignore_index=True)
    settings = {"min_df": 1, "encoder": "never", "cv_folds": 2}
    fitted = ModelCoder(settings=settings).fit(both, y, measured=[True] * len(X) + [False] * len(X))
    assert fitted.training_["n"] == 2 * len(X) and fitted.training_["n_measured"] == len(X)
    assert fitted.confusion_.sum() == len(X)
    assert fitted.confusion_.sum(axis=1).tolist() == [MESSAGES["code"].tolist().count(c) for c in CODES]
    with pytest.raises(ValueError, match="measured and y have different lengths"):
        ModelCoder(settings=settings).fit(both, y, measured=[True])


def test_sample_weight_sets_how_much_each_message_teaches() -> None:
    """Weight 0 teaches nothing; weighted 3 to 1, contradicting codes of the same texts win."""
    X, y = MESSAGES[["text", "lang"]], MESSAGES["code"]
    wrong = y.map(lambda c: CODES[(CODES.index(c) + 1) % len(CODES)])  # every message coded as another stage
    both, codes = pd.concat([X, X], ignore_index=True), pd.concat([y, wrong], ignore_index=True)
    settings = {"min_df": 1, "encoder": "never", "cv_folds": 0}
    alone = ModelCoder(settings=settings).fit(X, y).predict(X)
    ignored = ModelCoder(settings=settings).fit(both, codes, sample_weight=[1.0] * len(X) + [0.0] * len(X))
    outweighed = ModelCoder(settings=settings).fit(both, codes, sample_weight=[1.0] * len(X) + [3.0] * len(X))
    assert list(ignored.predict(X)) == list(alone)
    assert np.mean(outweighed.predict(X) == wrong.to_numpy()) > 0.9
    for bad in ([1.0], [-1.0] * len(codes), [np.nan] * len(codes)):
        with pytest.raises(ValueError, match="sample_weight needs one finite, non-negative weight"):
            ModelCoder(settings=settings).fit(both, codes, sample_weight=bad)


def test_out_of_fold_codes_pass_each_message_its_weight(monkeypatch: pytest.MonkeyPatch) -> None:
    """``weight`` names the column whose values reach ``fit`` with their messages, extra ones included."""
    from chrysalide.coding import training

    given: list[tuple[list[str], list[str], list[float]]] = []

    class Recorder(ModelCoder):
        def fit(self, X, y=None, *, measured=None, sample_weight=None):  # type: ignore[no-untyped-def]
            given.append((list(X.texts), list(X.langs), list(sample_weight)))
            return super().fit(X, y, measured=measured, sample_weight=sample_weight)

    monkeypatch.setattr(training, "ModelCoder", Recorder)
    by_lang = {"en": 0.5, "fr": 1.5, "de": 2.5}
    frame = MESSAGES.rename(columns={"code": "primary"}).assign(w=MESSAGES["lang"].map(by_lang))
    extra = frame.assign(text="zzextra " + frame["text"], w=7.0)
    training.out_of_fold_codes(frame, extra=extra, n_splits=2, weight="w",
                               settings={"min_df": 1, "encoder": "never", "cv_folds": 0})  # fmt: skip
    assert len(given) == 2
    for texts, langs, weights in given:
        assert weights == [
            7.0 if t.startswith("zzextra") else by_lang[lang] for t, lang in zip(texts, langs, strict=True)
        ]


def test_training_counts_the_trained_coders_french_messages_three_times() -> None:
    from chrysalide.coding.train_default import LANGUAGE_WEIGHTS, sample_weights

    frame = pd.DataFrame(
        {"lang_gold": ["fr", "en", "fr", "en"], "coders": ["trained", "trained", "project", "project"]}
    )
    assert LANGUAGE_WEIGHTS == {"fr": 3.0}
    assert sample_weights(frame).tolist() == [3.0, 1.0, 1.0, 1.0]


def test_codes_in_a_language_the_model_never_learned_await_review(monkeypatch: pytest.MonkeyPatch) -> None:
    """German codes of a model trained on English and French are flagged, whatever their confidence."""
    from chrysalide.coding import model as model_module

    monkeypatch.setattr(model_module, "MIN_LANGUAGE_MESSAGES", 5)  # MESSAGES has 5 English, 5 French, 10 German
    X, y = MESSAGES[["text", "lang"]], MESSAGES["code"]
    taught = X["lang"] != "de"
    fitted = ModelCoder(settings={"min_df": 1, "encoder": "never", "cv_folds": 0}).fit(X[taught], y[taught])
    assert fitted.learned_languages() == ("en", "fr")
    table = fitted.code(X, review_below=0.0)  # no code is unsure: only the language flags
    assert table["lang_learned"].tolist() == taught.tolist()
    assert table["needs_review"].tolist() == (~taught).tolist()
    assert table["lang_supported"].all()  # the codebook has German markers: a different flag
    del fitted.training_["languages"]  # a model file from before the count: it vouches for every language
    assert fitted.learned_languages() is None and not fitted.code(X, review_below=0.0)["needs_review"].any()
