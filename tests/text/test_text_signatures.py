"""Habitual closing lines (chrysalide.text.signatures): hand-built writers, expected counts derived in comments."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from chrysalide.ingest import ingest
from chrysalide.text import process, process_frame
from chrysalide.text.prose import member_prose
from chrysalide.text.signatures import closings, ending, ending_rows, line_form, without_closing

SIGNED = "Strength and Health\n\n[**Rest Is Best**](https://podcasts.example/rest-is-best)\n\n."


@pytest.mark.parametrize(
    ("line", "form"),
    [
        ("[**Rest Is Best**](https://podcasts.example/id1000000001)", "rest is best"),
        ("Rest Is Best [profile-url] .", "rest is best"),
        ("Bien cordialement,", "bien cordialement"),
        ("Dr A.Lemaire", "dr a lemaire"),
        ("see https://x.example/a?b=1 now", "see now"),
        ("  .  ", ""),
    ],
)
def test_line_form(line: str, form: str) -> None:
    assert line_form(line) == form


def _writer(member: int | None, texts: list[str], first_id: int) -> list[tuple[int, int | None, str, int]]:
    """The rows ``closings`` reads for one writer's messages: their endings (``ending_rows``) and the member."""
    endings = ending_rows(pd.DataFrame({"message_id": range(first_id, first_id + len(texts)), "text": texts}))
    return [(message_id, member, forms, body) for message_id, forms, body in endings.itertuples(index=False)]


def test_a_sign_off_block_grows_upwards_and_a_rare_closing_stays() -> None:
    """Member 1, 12 distinct messages (12 longest lines): 4 end with the block, 1 with 'Strength and Health' alone,
    2 with 'Thanks', 5 are one line. First pass: at least max(3, 12/10) = 3 messages: the COVID line (4) is a
    closing line, 'Thanks' (2) and 'Strength and Health' (1) are not. Second pass, over the 4 signed messages: their
    last line is 'Strength and Health' in all 4 (at least 3): taken too. Third: their first line is their own."""
    texts = [f"Episode {i} is about pacing and rest days." + "\n\n" + SIGNED for i in range(4)]
    texts += ["Short update on my heart rate.\nStrength and Health"]
    texts += [f"Good point about the {w}.\nThanks" for w in ("doctor", "tilt test")]
    texts += [f"A one-line comment number {i}." for i in range(5)]
    found = closings(_writer(1, texts, 100))
    assert found == {100: 2, 101: 2, 102: 2, 103: 2}


def test_a_closing_must_end_a_tenth_of_the_writers_messages() -> None:
    """'Thanks' ends 3 messages: a closing line among 30 messages (3 >= 30/10), not among 31 (3 < 3.1)."""
    thanks = [f"Reply {i} about my symptoms.\nThanks" for i in range(3)]
    for others, expected in ((27, 3), (28, 0)):
        texts = thanks + [f"Other message {i}." for i in range(others)]
        assert len(closings(_writer(1, texts, 0))) == expected, others


def test_a_message_pasted_again_is_one_message_and_a_line_alone_stays() -> None:
    """Member 2 posts one question in 3 threads under different greetings: one longest line, one message, so its
    last line ends 1 distinct message. Member 3's 3 messages are each the sign-off alone: never a message's only
    line."""
    question = "I have had reactive arthritis since July 2012 and my left foot is swollen, what helped you?"
    pasted = [f"{hello}\n{question}\nIs this condition for life?" for hello in ("Hi,", "Dear all,", "Hello")]
    alone = ["Rest Is Best", "Rest Is Best!", "[Rest Is Best](https://x.example)"]
    assert closings(_writer(2, pasted, 0) + _writer(3, alone, 10)) == {}


def test_an_ending_is_the_same_in_every_process() -> None:
    """Worker processes read the endings, spawned ones too (macOS, a cluster), each with its own string hashing: a
    message pasted again must have the same body in every one, or it counts as several messages."""
    text = "Hi,\nIs this condition for life?"
    code = f"from chrysalide.text.signatures import ending; print(ending({text!r}).body)"
    other = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": "random"},
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert int(other.stdout) == ending(text).body


def test_messages_without_a_member_are_grouped_by_their_last_two_lines() -> None:
    """Doctissimo has no authors: 3 posts end with the doctor's two lines (taken: both), 3 with 'Merci d'avance'
    after different lines (their last two lines differ: three writers of one message each)."""
    doctor = [f"Réponse {i} sur le coronavirus.\nBien cordialement\nDr A.Lemaire" for i in range(3)]
    askers = [f"Question {i} sur la PPC.\nJe dors mal.\nMerci d'avance" for i in range(3)]
    askers = [t.replace("Je dors mal.", f"Je dors mal depuis {i} mois.") for i, t in enumerate(askers)]
    assert closings(_writer(None, doctor + askers, 0)) == {0: 2, 1: 2, 2: 2}


def test_without_closing_keeps_the_rest_and_says_so() -> None:
    prose = member_prose("My update.\n\nStrength and Health\n\nRest Is Best\n\n.")
    cut = without_closing(prose, 2)
    assert (cut.text, cut.removed, cut.left_out) == ("My update.", ("signature",), None)
    assert without_closing(prose, 0) is prose


def test_process_frame_leaves_the_closing_lines_out_of_the_segments_only() -> None:
    frame = pd.DataFrame({"message_id": [1, 2], "text": ["Pacing helps me.\nRest Is Best"] * 2,
                          "lang": ["en", "en"], "closing": [1, 0]})  # fmt: skip
    feats, segs = process_frame(frame)
    assert segs["text"].tolist() == ["Pacing helps me.", "Pacing helps me. Rest Is Best"]
    assert feats["removed"].tolist() == ["signature", ""]
    assert feats["n_tokens"].tolist() == [6, 6]  # the features count the whole text


def test_the_text_step_finds_closings_again_when_a_writer_posts_more(store, tmp_path) -> None:
    """Two signed posts by ann: fewer than 3, the sign-off stays. Two more: 4 of ann's 4 messages end with it, and the
    text step takes it off all four, the two processed before included; bob's one message is untouched."""
    header = "message_id,thread_id,author,posted_at,text\n"
    rows = [f'{i},t{i},ann,2024-01-0{i} 10:00,"Day {i} of pacing.\nRest Is Best"\n' for i in (1, 2)]
    first = tmp_path / "first.csv"
    first.write_text(header + "".join(rows) + '9,t9,bob,2024-01-01 11:00,"Hello.\nRest Is Best"\n')
    ingest(store, first, source_name="forum")
    assert process(store).summary["closing_lines"] == 0
    assert store.con.execute("SELECT count(*) FROM segments WHERE text LIKE '%Is Best%'").fetchone()[0] == 3
    more = tmp_path / "more.csv"
    more.write_text(header + "".join(f'{i},t{i},ann,2024-01-0{i} 10:00,"Day {i} of pacing.\nRest Is Best"\n'
                                     for i in (3, 4)))  # fmt: skip
    ingest(store, more, source_name="forum")
    second = process(store).summary
    assert second["closing_lines"] == 4 and second["messages"] == 4  # ann's 2 new and 2 processed again
    kept = store.con.execute(
        "SELECT native_id FROM segments s JOIN messages USING (message_id) WHERE s.text LIKE '%Is Best%'"
    )
    assert kept.fetchall() == [("9",)]
    removed = store.con.execute("SELECT count(*) FROM text_features WHERE removed = 'signature'").fetchone()[0]
    assert removed == 4 and store.count("text_features") == 5 and store.count("segments") == 5
