"""Coding inside the store: SQL context, incremental runs, both coders, review queue and decisions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from coding_fixtures import T0, fill  # type: ignore[import-not-found]

from chrysalide.coding import code, train
from chrysalide.coding.context import CONTEXT_SQL, read_as_coded
from chrysalide.coding.reasons import ReviewReasons, review_reasons
from chrysalide.coding.review import decide, queue, review
from chrysalide.coding.run import language_warnings
from chrysalide.coding.training import review_decisions
from chrysalide.errors import ConfigError, InputError
from chrysalide.store import Store


@pytest.fixture
def filled(store: Store) -> Store:
    fill(store)
    return store


def test_context_sql(filled: Store) -> None:
    ctx = filled.con.execute(f"{CONTEXT_SQL} ORDER BY message_id").df().set_index("message_id")
    assert ctx["kind"].tolist() == ["thread_start", "reply", "reply", "thread_start", "reply", "thread_start"]
    assert ctx["is_first_post"].tolist() == [True, True, False, False, False, True]
    assert ctx["reply_to_other"].tolist() == [False, True, True, False, True, False]
    assert ctx["own_thread"].tolist() == [True, False, True, True, False, True]
    assert ctx.loc[6, "text"] == "Pétition pour le remboursement"  # removed body: code the title


def test_a_thread_a_guest_opened_is_nobodys_own(filled: Store) -> None:
    """Regression: ``threads.starter_id`` is the first *member* to post, so member 1 answering a guest's question
    (thread 4: the guest's message 7, member 1's answer 8) was coded as posting in their own thread. A thread whose
    opening message the store lacks (thread 5: message 9 replies to a missing parent) keeps the starter its source
    names (member 2), who is in their own thread there."""
    con = filled.con
    for thread, starter in ((4, 1), (5, 2)):
        con.execute("INSERT INTO threads (thread_id, source_id, native_id, title, starter_id) VALUES (?, 's', ?, 'x', ?)",
                    [thread, f"t{thread}", starter])  # fmt: skip
    for mid, thread, member, reply, minutes in ((7, 4, None, None, 50), (8, 4, 1, 7, 55), (9, 5, 2, None, 60)):
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, reply_to_id, posted_at,"
            " text, lang, content_hash, meta) VALUES (?, 's', ?, ?, ?, ?, ?, 'Un message.', 'fr', 'h', ?)",
            [mid, f"n{mid}", thread, member, reply, T0 + timedelta(minutes=minutes),
             '{"reply_to_native": "t1_gone"}' if mid == 9 else None],
        )  # fmt: skip
    ctx = con.execute(f"{CONTEXT_SQL} ORDER BY message_id").df().set_index("message_id")
    assert ctx.loc[[7, 8], "own_thread"].tolist() == [False, False]
    assert ctx.loc[9, "kind"] == "reply" and ctx.loc[9, "own_thread"]


def test_code_both_coders_incrementally(filled: Store) -> None:
    (first,) = code(filled, "lexicon")
    assert first.summary["coded"] == 6
    (again,) = code(filled, "lexicon")
    assert again.up_to_date and again.run_id == first.run_id  # nothing new for this coder
    assert code(filled, "model")[0].summary["coded"] == 6
    current = filled.con.execute(
        "SELECT message_id, primary_code, origin, decentered FROM current_codes ORDER BY message_id"
    ).df()
    assert (current["origin"] == "model").all()
    assert current["primary_code"].tolist()[:4] == ["individual", "collaborative", "community", "societal"]
    assert current["decentered"].tolist()[1]
    runs = filled.con.execute("SELECT count(*) FROM runs WHERE stage = 'coding' AND status = 'ok'").fetchone()
    assert runs == (2,)  # the second lexicon call was up to date: no run
    fill_more = "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, text, content_hash)"
    filled.con.execute(f"{fill_more} VALUES (7, 's', 'n7', 2, 3, 'Merci à tous !', 'h')")
    assert code(filled, "lexicon")[0].summary["coded"] == 1


def test_code_with_a_custom_codebook_is_another_coder(filled: Store, tmp_path: Path) -> None:
    from chrysalide.coding import copy_codebook

    code(filled, "lexicon")
    mine = copy_codebook(tmp_path / "mine.yaml")
    mine.write_text(mine.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.0-local"'), "utf-8")
    assert code(filled, "lexicon", codebook=mine)[0].summary["coded"] == 6
    with pytest.raises(ConfigError, match="--codebook applies"):
        code(filled, "model", codebook=mine)


def test_codes_made_with_other_health_words_are_made_again(filled: Store) -> None:
    """The coders read the own-health flag, so the health word lists are part of what names a coder: a store coded
    with earlier lists (their digest in the name) is coded again, and the new codes are the current ones."""
    from chrysalide.text.person import health_words_digest

    (first,) = code(filled, "lexicon")
    name = first.summary["coder"]
    assert f"+health-{health_words_digest()}+" in name and len(health_words_digest()) == 8
    filled.con.execute("UPDATE codes SET coder = replace(coder, ?, '+health-00000000')", [health_words_digest()])
    (again,) = code(filled, "lexicon")
    assert not again.up_to_date and again.summary["coded"] == 6
    current = filled.con.execute("SELECT DISTINCT coder FROM current_codes").fetchall()
    assert current == [(name,)]


def test_codes_made_under_other_text_rules_are_made_again(filled: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The coders read lemmas and person features through the text rules, so the rules' version names a coder too:
    after a rules change (here a version bump) every message is coded again, once."""
    from chrysalide.coding import partition
    from chrysalide.text import step as text_step

    (first,) = code(filled, "model")
    assert "+text-rules/" in first.summary["coder"]
    monkeypatch.setattr(text_step, "RULES", "rules/999")
    monkeypatch.setattr(partition, "_LOADED", {})  # a new release is a new process: nothing loaded yet
    (again,) = code(filled, "model")
    assert not again.up_to_date and again.summary["coded"] == 6
    assert again.summary["coder"] == first.summary["coder"].replace(text_step.TextStep.version, "rules/999")
    (third,) = code(filled, "model")
    assert third.up_to_date


def test_codes_made_under_another_context_are_made_again(filled: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the coders read of the context (thread starts with their title since context/2) names a coder too."""
    from chrysalide.coding import partition, registry
    from chrysalide.coding.context import VERSION

    (first,) = code(filled, "lexicon")
    assert first.summary["coder"].endswith(f"+{VERSION}")
    monkeypatch.setattr(registry, "CONTEXT", "context/999")
    monkeypatch.setattr(partition, "_LOADED", {})  # a new release is a new process: nothing loaded yet
    (again,) = code(filled, "lexicon")
    assert not again.up_to_date and again.summary["coded"] == 6
    assert again.summary["coder"] == first.summary["coder"].replace(VERSION, "context/999")


def test_review_queue_and_decide(filled: Store) -> None:
    code(filled, "lexicon")
    q = queue(filled, n=2, audit=2, seed=1)
    assert q["reason"].tolist() == ["uncertain", "uncertain", "audit", "audit"]
    assert q["message_id"].is_unique
    assert q["confidence"].iloc[0] <= q["confidence"].iloc[1]
    assert queue(filled, n=2, audit=2, seed=1)["message_id"].tolist() == q["message_id"].tolist()
    decide(filled, 2, "collaborative", ["individual"], reviewer="ana")
    row = filled.con.execute("SELECT primary_code, origin, coder, decentered, secondary_codes FROM current_codes "
                             "WHERE message_id = 2").fetchone()  # fmt: skip
    assert row == ("collaborative", "human", "ana", True, ["individual"])
    assert 2 not in queue(filled, n=10, audit=0)["message_id"].tolist()
    code(filled, "model")  # a later automatic code does not override the human decision
    assert filled.con.execute("SELECT origin FROM current_codes WHERE message_id = 2").fetchone() == ("human",)
    with pytest.raises(InputError, match="unknown code"):
        decide(filled, 2, "helper", reviewer="ana")
    with pytest.raises(InputError, match="no message"):
        decide(filled, 99, "other", reviewer="ana")


def test_review_walk_and_train_from_review(filled: Store, tmp_path: Path) -> None:
    code(filled, "lexicon")
    answers = iter(["x", "a", "3", "s", "q"])
    counts = review(filled, lambda item: next(answers), reviewer="bo", n=5, audit=0)
    assert counts == {"accepted": 1, "changed": 1, "skipped": 1}
    decisions = review_decisions(filled)
    assert len(decisions) == 2 and set(decisions.columns) >= {"text", "kind", "primary"}
    gold = tmp_path / "gold.csv"
    pd.DataFrame({"uid": ["g1", "g2"], "text": ["merci à toutes", "signez la pétition"],
                  "primary": ["community", "societal"]}).to_csv(gold, index=False)  # fmt: skip
    result = train(gold=gold, store=filled, out=tmp_path / "m.npz", settings={"min_df": 1})
    assert result["n"] == 4 and Path(result["model"]).is_file()
    assert result["cross_validated"] == {} and result["audit"] is None  # 4 codes: no folds; no random audit yet
    assert code(filled, "model", model=tmp_path / "m.npz")[0].summary["coded"] == 6


def _add(store: Store, source: str, rows: list[tuple[int, int, str, str | None, str]]) -> None:
    """Messages (id, thread, text, recorded missing parent, lang) of a source; threads created as needed."""
    store.con.execute("INSERT INTO sources VALUES (?, 'test', 'mem', now()::TIMESTAMP, NULL, false)", [source])
    for mid, thread, text, missing_parent, lang in rows:
        store.con.execute("INSERT INTO threads (thread_id, source_id, native_id) SELECT ?, ?, ? WHERE NOT EXISTS "
                          "(SELECT 1 FROM threads WHERE thread_id = ?)", [thread, source, f"t{thread}", thread])  # fmt: skip
        meta = None if missing_parent is None else f'{{"reply_to_native": "{missing_parent}"}}'
        store.con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, text, lang, content_hash, meta) "
            "VALUES (?, ?, ?, ?, ?, ?, 'h', ?)",
            [mid, source, f"n{mid}", thread, text, lang, meta],
        )


def test_context_of_flat_sources_and_lost_parents(filled: Store) -> None:
    _add(filled, "flat", [(11, 11, "Bonjour à toutes", None, "fr"), (12, 12, "Merci !", None, "fr")])
    _add(filled, "tree", [(21, 21, "A post", None, "en"), (22, 21, "A reply", None, "en"),
                          (23, 23, "Reply to a submission not in the file", "t3_abc", "en")])  # fmt: skip
    ctx = filled.con.execute(f"{CONTEXT_SQL} ORDER BY message_id").df().set_index("message_id")
    # Every thread of 'flat' holds one message: the store cannot tell a thread start from a reply.
    assert ctx.loc[[11, 12], "kind"].tolist() == ["unknown", "unknown"]
    assert ctx.loc[[21, 22, 23], "kind"].tolist() == ["thread_start", "reply", "reply"]


def test_thread_starts_are_read_with_their_title_once(filled: Store) -> None:
    # The trained coders read a thread start's title beside its text; Reddit submissions already open with it.
    _add(filled, "forum", [(31, 31, "Body of the question", None, "en"), (32, 31, "A reply", None, "en"),
                           (33, 33, "  Already titled\n\nbody", None, "en"), (34, 34, "[removed]", None, "en"),
                           (35, 35, "No title here", None, "en")])  # fmt: skip
    titles = {31: "Does anyone else get this?", 32: "Re: Does anyone else get this?", 33: " Already titled ",
              34: "A removed post's title"}  # fmt: skip
    for mid, title in titles.items():
        filled.con.execute("UPDATE messages SET title = ? WHERE message_id = ?", [title, mid])
    ctx = filled.con.execute(f"{CONTEXT_SQL} ORDER BY message_id").df().set_index("message_id")
    assert ctx.loc[[31, 32, 33, 34, 35], "text"].tolist() == [
        "Does anyone else get this?\n\nBody of the question", "A reply", "  Already titled\n\nbody",
        "A removed post's title", "No title here",
    ]  # fmt: skip
    # A CSV coded or learned without a database (code apply, code train --gold) is read by the same rule.
    bodies = filled.con.execute("SELECT message_id, text FROM messages WHERE message_id BETWEEN 31 AND 35").fetchall()
    rows = pd.DataFrame(
        [{"text": body, "kind": ctx.loc[mid, "kind"], "title": titles.get(mid, "")} for mid, body in sorted(bodies)]
    )
    assert read_as_coded(rows)["text"].tolist() == ctx.loc[[31, 32, 33, 34, 35], "text"].tolist()


def test_unsupported_language_is_flagged_with_one_warning(filled: Store) -> None:
    spanish = (
        "Tomo paroxetina desde hace tres años y tengo fuertes síntomas de abstinencia. ¿Alguien tiene experiencia?"
    )
    german = "Ich nehme seit drei Jahren Paroxetin und habe starke Absetzsymptome. Hat jemand Erfahrung damit?"
    _add(filled, "es", [(31, 31, spanish, None, "es"), (32, 31, spanish + " Gracias.", None, "es")])
    _add(filled, "de", [(41, 41, german, None, "de")])  # the shipped model's codebook has German markers
    (result,) = code(filled, "model")
    assert result.summary["unsupported_languages"] == {"es": 2}
    # Nor did the model learn from any Spanish or German coded message: those codes await review, however sure.
    assert result.summary["unlearned_languages"] == {"de": 1, "es": 2}
    # One warning per language, naming both reasons where a language has both.
    german, spanish = result.summary["warnings"]
    assert german == (
        "1 message(s) in language 'de', which the model learned from fewer than 50 coded messages: "
        "their confidence is unmeasured there, so all of them are flagged needs_review"
    )
    assert spanish == (
        "2 message(s) in language 'es', which the codebook has no markers for and the model learned from fewer "
        "than 50 coded messages: coded from the multilingual features only and flagged lang_supported = false; "
        "their confidence is unmeasured there, so all of them are flagged needs_review"
    )
    flags = filled.con.execute("SELECT message_id, lang_supported, needs_review FROM codes ORDER BY 1").fetchall()
    assert [m for m, ok, _ in flags if not ok] == [31, 32]
    assert all(review for m, _, review in flags if m > 30)


def test_language_warnings_name_each_language_once() -> None:
    # The lexicon matches a language without markers with its fallback's; a model that learned Spanish from
    # enough codes but has no Spanish markers warns of the markers only; counts that differ are both given.
    lexicon = language_warnings({"es": 3}, {}, fallback="en")
    assert lexicon == ["3 message(s) in language 'es', which the codebook has no markers for: matched with the 'en' "
                       "markers and flagged lang_supported = false"]  # fmt: skip
    (both,) = language_warnings({"es": 3}, {"es": 2})
    assert both.startswith("3 message(s) in language 'es', which the codebook has no markers for: ")
    assert "; 2 message(s) in language 'es', which the model learned from fewer than 50 coded messages: " in both
    assert [w.split(",")[0] for w in language_warnings({"it": 1}, {"de": 4, "it": 1})] == [
        "4 message(s) in language 'de'",
        "1 message(s) in language 'it'",
    ]


def test_review_reasons_tell_unlearned_languages_from_unsure_codes(filled: Store) -> None:
    # Regression: on ADFD 798 codes awaited review "for a confidence below the threshold", 779 of them for
    # their language (German, which the model did not learn).
    spanish = "Tomo paroxetina desde hace tres años y tengo síntomas de abstinencia. ¿Alguien tiene experiencia?"
    german = "Ich nehme seit drei Jahren Paroxetin und habe starke Absetzsymptome. Hat jemand Erfahrung damit?"
    _add(filled, "es", [(31, 31, spanish, None, "es"), (32, 31, spanish + " Gracias.", None, "es")])
    _add(filled, "de", [(41, 41, german, None, "de")])
    (result,) = code(filled, "model", review_below=0.0)  # no code is unsure: only the languages send codes to review
    stored = filled.con.execute(
        "SELECT message_id, coded_lang, lang_learned FROM codes WHERE message_id > 30 ORDER BY 1"
    )
    assert stored.fetchall() == [(31, "es", False), (32, "es", False), (41, "de", False)]
    reasons = review_reasons(filled.con)
    # By hand: the 6 French messages of the fixture are learned and sure; 2 Spanish and 1 German are not learned,
    # and the codebook has markers for German, not for Spanish.
    assert (reasons.confident, reasons.awaiting, reasons.unsure) == (6, 3, 0)
    assert reasons.unlearned == {"es": 2, "de": 1} and reasons.no_markers == {"es": 2}
    assert ReviewReasons.of_run(result.summary) == reasons
    assert reasons.describe() == (
        "3 codes await review: 3 in a language the model did not learn (es 2, de 1). "
        "2 codes in a language the codebook has no markers for (es 2)"
    )
    decide(filled, 41, "individual", reviewer="ana")  # a human decision awaits nothing
    after = review_reasons(filled.con)
    assert (after.confident, after.awaiting, after.unlearned) == (7, 2, {"es": 2})
    one = ReviewReasons(7, 1, {"es": 1}, {"es": 1})
    assert one.describe() == (  # one code is no "1 codes" (EPITOME's run printed "1 codes in a language ...")
        "1 code awaits review: 1 in a language the model did not learn (es 1). "
        "1 code in a language the codebook has no markers for (es 1)"
    )


def test_lexicon_codes_german_and_warns_once_about_spanish(filled: Store) -> None:
    german = "Ich nehme seit drei Jahren Paroxetin und habe starke Absetzsymptome. Hat jemand Erfahrung damit?"
    spanish = "Hola a todas, ¿alguien ha dejado la paroxetina? Tengo mucho miedo de los síntomas de abstinencia."
    _add(filled, "mixed", [(31, 31, german, None, "de"), (32, 31, spanish, None, "es"),
                           (33, 31, spanish + " Gracias.", None, "es")])  # fmt: skip
    (result,) = code(filled, "lexicon")
    assert result.summary["unsupported_languages"] == {"es": 2}
    (warning,) = result.summary["warnings"]
    assert "2 message(s) in language 'es'" in warning and "'en' markers" in warning
    flags = dict(filled.con.execute("SELECT message_id, lang_supported FROM codes WHERE message_id > 30").fetchall())
    assert flags == {31: True, 32: False, 33: False}


def test_review_below_flags_codes_under_the_threshold(filled: Store) -> None:
    (result,) = code(filled, "model", review_below=0.999)
    rows = filled.con.execute("SELECT confidence, needs_review FROM codes").fetchall()
    assert all(flag == (conf < 0.999) for conf, flag in rows)
    assert result.summary["needs_review"] == sum(flag for _, flag in rows)
    (lexicon,) = code(filled, "lexicon")  # the lexicon has no threshold of its own
    assert lexicon.summary["needs_review"] == 0
    first = queue(filled, n=1, audit=0)
    assert bool(first["needs_review"].iloc[0]) or result.summary["needs_review"] == 0


@pytest.mark.parametrize("value", [-0.1, 1.5, float("inf"), float("nan")])
def test_the_library_refuses_a_review_threshold_that_is_no_confidence(store, value):
    """Only the command line bounded it (0 to 1): from Python, 1.5 flagged every code and nan none, silently."""
    from chrysalide.errors import ConfigError

    with pytest.raises(ConfigError, match="--review-below must be a confidence from 0 to 1"):
        code(store, "lexicon", review_below=value)
