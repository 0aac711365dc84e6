"""RFM scores with tied values: a block of equal values scores in the fifth where it starts (its lowest rank), so
members active in a single week are not scored as more frequent than the members they equal, nor called "lapsing"
(R <= 2, F >= 3) for having posted once long ago; the IRaMuTeQ export names the group of a member without one.

Regression: ties took their average rank, so on r/breastcancer the 1,659 of 1,949 members active in one week all
scored F = 3, and the 700 of them not seen lately were "lapsing".
"""

import pandas as pd
from forum_builder import Forum

from chrysalide.journeys import journeys, score_rfm
from chrysalide.report.export.iramuteq import export_iramuteq, read_corpus


def _ten_members() -> pd.DataFrame:
    """Members 0-9, the last seen longest ago first; 0-7 were active in a single week, 8 in 2 and 9 in 5."""
    return pd.DataFrame({"member_id": range(10), "recency_days": [90, 80, 70, 60, 50, 40, 30, 20, 10, 0],
                         "active_periods": [1] * 8 + [2, 5], "longest_run": [1] * 8 + [2, 3],
                         "words": [1, 2, 3, 3, 3, 3, 4, 5, 6, 7]})  # fmt: skip


def test_members_active_in_one_week_score_the_lowest_frequency():
    """By hand, score = ceil(5 x lowest rank / 10): the 8 one-week members' lowest rank is 1 (F = 1, where the
    average rank 4.5 gave 3), member 8's is 9 (F = 5), member 9's 10 (F = 5). Recency ranks 1-10 from member 0:
    R = 1, 1, 2, 2, 3, 3, 4, 4, 5, 5. So members 0-3 are dormant, not lapsing; 4-5 occasional; 6-7
    recent_infrequent; 8-9 (V = 5, 5) champions."""
    scored = score_rfm(_ten_members())
    assert list(scored["f_score"]) == [1] * 8 + [5, 5]
    assert list(scored["r_score"]) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert list(scored["segment"]) == (["dormant"] * 4 + ["occasional"] * 2 + ["recent_infrequent"] * 2
                                       + ["champion"] * 2)  # fmt: skip
    assert "lapsing" not in set(scored["segment"])


def test_tied_values_score_where_their_block_starts():
    """Words 1, 2, 3, 3, 3, 3, 4, 5, 6, 7: lowest ranks 1, 2, 3, 3, 3, 3, 7, 8, 9, 10, and ceil(rank / 2) gives
    1, 1, 2, 2, 2, 2, 4, 4, 5, 5 (the average rank of the four 3s, 4.5, gave them 3, above member 1's 1)."""
    assert list(score_rfm(_ten_members())["v_score"]) == [1, 1, 2, 2, 2, 2, 4, 4, 5, 5]


def test_a_member_without_a_segment_is_group_none_in_the_iramuteq_export(store, tmp_path):
    """Member 1 writes (the only member scored: R, F, V = 5, a champion); member 2's only message is '[removed]' in a
    thread without a title, so the journeys run gives member 2 no journey and no segment. Their text carried
    '*group_NA', the value of a corpus with no journeys run."""
    f = Forum(store)
    for member in (1, 2):
        f.member(member)
        f.thread(member, title=None)
    f.post(1, 1, "2021-01-01 09:00", "My biopsy is tomorrow, I am scared", code="individual", fs=2)
    f.post(2, 2, "2021-01-02 09:00", "[removed]", code="other", left_out="removed")
    f.save()
    journeys(store, permutations=0)
    export_iramuteq(store, tmp_path / "corpus.txt", quotes="all-pseudonymised")
    corpus = read_corpus(tmp_path / "corpus.txt")
    assert list(corpus["group"]) == ["champion", "none"]
