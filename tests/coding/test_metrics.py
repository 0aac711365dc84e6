"""Agreement and accuracy statistics against values computed by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrysalide.coding.metrics import classification_report, cohen_kappa, confusion, krippendorff_alpha


def test_kappa_by_hand() -> None:
    # p_o = 3/4; p_e = (2/4)(1/4) + (2/4)(3/4) = 1/2; kappa = (3/4 - 1/2) / (1 - 1/2) = 0.5
    assert cohen_kappa(list("xxyy"), list("xyyy")) == pytest.approx(0.5)


def test_alpha_two_coders_by_hand() -> None:
    # Coincidences: o_xx = 2, o_xy = o_yx = 1, o_yy = 4; n_x = 3, n_y = 5, n = 8.
    # alpha = ((n-1) sum o_cc - sum n_c(n_c-1)) / (n(n-1) - sum n_c(n_c-1)) = (7*6 - 26) / (56 - 26) = 16/30
    assert krippendorff_alpha(list(zip("xxyy", "xyyy", strict=True))) == pytest.approx(16 / 30)


def test_alpha_krippendorff_2011_example() -> None:
    # Krippendorff (2011), section C: 4 observers, 12 units, missing values; nominal alpha = 0.743.
    n = None
    data = [[1, 1, n, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
            [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [n, 5, 5, 5], [n, n, 1, 1], [n, 3, n, n]]  # fmt: skip
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)


def test_perfect_and_degenerate_agreement() -> None:
    assert cohen_kappa(list("abc"), list("abc")) == pytest.approx(1.0)
    assert cohen_kappa(list("aaa"), list("aaa")) == 1.0
    assert krippendorff_alpha([["a", "a"], ["a", "a"]]) == 1.0
    assert math.isnan(krippendorff_alpha([["a", None]]))


def test_report_by_hand() -> None:
    gold = ["individual", "individual", "community", "collaborative", "societal"]
    pred = ["individual", "community", "community", "collaborative", "collaborative"]
    r = classification_report(gold, pred)
    assert r["per_class"]["individual"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert r["per_class"]["community"]["precision"] == 0.5
    assert r["per_class"]["collaborative"]["f1"] == pytest.approx(2 / 3)
    assert r["per_class"]["societal"]["f1"] == 0.0
    # 'other' appears nowhere, so it is left out of the macro average: (2/3 + 2/3 + 2/3 + 0) / 4
    assert r["macro_f1"] == pytest.approx(0.5)
    assert r["confusion"][0] == [1, 1, 0, 0, 0]
    assert r["accuracy"] == pytest.approx(3 / 5)


def test_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown code"):
        classification_report(["individual"], ["helper"])


codes = st.sampled_from(["individual", "community", "collaborative", "societal", "other"])


@given(st.lists(st.tuples(codes, codes), min_size=2, max_size=40))
def test_alpha_and_kappa_properties(pairs: list[tuple[str, str]]) -> None:
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    kappa, alpha = cohen_kappa(a, b), krippendorff_alpha(pairs)
    assert kappa <= 1.0 + 1e-12 and alpha <= 1.0 + 1e-12
    assert cohen_kappa(b, a) == pytest.approx(kappa)  # symmetric in the coders
    assert confusion(a, b).sum() == len(pairs)
    if a == b:
        assert alpha == pytest.approx(1.0)
