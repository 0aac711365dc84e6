"""member_prose: each rule on hand-made messages, and what process_frame records and segments."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrysalide.text import normalize, process_frame
from chrysalide.text.prose import REASONS, member_prose


@pytest.mark.parametrize(
    ("text", "kept", "removed", "left_out"),
    [
        ("[removed]", "", ("removed",), "removed"),
        ("  [deleted]  ", "", ("removed",), "removed"),
        ("[ Removed by moderator ]\n\n[removed]", "", ("removed",), "removed"),
        ("[ Removed by Reddit on account of violating the content policy. ]", "", ("removed",), "removed"),
        ("Coinbase down again?\n\n[removed]", "Coinbase down again?", ("removed",), None),
        ("[message supprimé par l'auteur]", "", ("removed",), "removed"),
        ("[Gelöscht]", "", ("removed",), "removed"),
        ("I removed [removed] stuff", "I removed [removed] stuff", (), None),  # not alone on its line
        ("Welcome!\n\n*I am a bot, and this action was performed automatically.*", "", ("bot",), "bot"),
        ("Your post was removed. This action was performed automatically.", "", ("bot",), "bot"),
        ("RemindMe! 24 hours", "", ("bot_command",), "bot_command"),
        ("!remindme 7 days\n\nGood luck!", "Good luck!", ("bot_command",), None),
        ("> you said this\nand this\n\nI disagree.", "I disagree.", ("quote",), None),
        ("&gt; escaped quote\n\nMine.", "Mine.", ("quote",), None),
        ("> only a quote", "", ("quote",), "quote"),
        # Reddit's spoiler opens a line with ">!": the writer's own words, hidden until clicked.
        (">!I relapsed last week!<", ">!I relapsed last week!<", (), None),
        ("&gt;!mine too!&lt;", "&gt;!mine too!&lt;", (), None),
        ('[quote="Ann"]hers [quote]inner[/quote] still hers[/quote] mine', "mine", ("quote",), None),
        ("![gif](giphy|DGZVi7pqVq7rq)\n\nMe too!!", "Me too!!", ("media",), None),
        ("![gif](giphy|l3nW80pvgCCdhf128)", "", ("media",), "media"),
        ("See https://example.org and ![img](abc123) ok", "See https://example.org and  ok", ("media",), None),
        (
            "A plain message > 5 mg, with [brackets] and ! marks.",
            "A plain message > 5 mg, with [brackets] and ! marks.",
            (),
            None,
        ),  # fmt: skip
    ],
)
def test_rules(text: str, kept: str, removed: tuple[str, ...], left_out: str | None) -> None:
    prose = member_prose(text)
    assert (prose.text, prose.removed, prose.left_out) == (kept, removed, left_out)


def test_reasons_in_order_of_the_rules() -> None:
    prose = member_prose("[removed]\n> quoted\n\n![gif](giphy|x) mine\n!remindme 2 days")
    assert prose.removed == ("removed", "bot_command", "quote", "media") and prose.text == "mine"
    assert set(prose.removed) <= set(REASONS)


@given(st.text(alphabet=st.sampled_from("ab >[]()!\n/quotemindrgif|&;"), max_size=200))
def test_never_crashes_and_says_what_it_removed(text: str) -> None:
    prose = member_prose(text)
    assert list(prose.removed) == [r for r in REASONS if r in prose.removed]  # in the rules' order, no repeat
    if not prose.removed:
        assert prose.text == text and prose.left_out is None
    elif prose.left_out is not None:
        assert prose.text == "" and prose.left_out == prose.removed[0 if prose.left_out != "bot" else -1]
    else:
        assert any(ch.isalnum() or ch == "_" for ch in prose.text)


def test_process_frame_records_and_segments_only_the_members_words() -> None:
    frame = pd.DataFrame(
        {
            "message_id": [1, 2, 3, 4],
            "text": [
                "[removed]",
                "> someone else's words about levothyrox\n\nMy own words about my thyroid.",
                "I am a bot, and this action was performed automatically.",
                "Just mine, 75µg daily, thanks M-0123456789 and u/someone!",
            ],
            "lang": ["en"] * 4,
        }
    )
    feats, segs = process_frame(frame)
    assert feats["left_out"].tolist() == ["removed", None, "bot", None]
    assert feats["removed"].tolist() == ["removed", "quote", "bot", ""]
    # features still count the whole text (coding and journeys read them); segments hold the member's words
    assert feats["n_tokens"].iloc[1] > len("My own words about my thyroid.".split())
    assert segs["message_id"].tolist() == [2, 4]
    assert segs["text"].tolist() == [
        "My own words about my thyroid.",
        "Just mine, 75µg daily, thanks M-0123456789 and u/someone!",
    ]
    assert "levothyrox" not in segs["terms"].iloc[0] and "thyroid" in segs["terms"].iloc[0]
    assert segs["tool_terms"].iloc[0].split() == ["my", "about", "my"]
    assert not any(t.startswith("_") or any(c.isdigit() for c in t) for t in segs["terms"].iloc[1].split())


@given(st.lists(st.sampled_from(["a", "12,5mg", "M-0123456789", "x.", "@bob", "u/ann", "https://x.org", "75µg"]),
                max_size=30).map(" ".join))  # fmt: skip
def test_normalize_works_word_by_word(text: str) -> None:
    assert normalize(text) == " ".join(normalize(word) for word in text.split())
