"""The external-labels study's readers give each labelled message once, with the structure the files describe.

``benchmarks/external_labels.py`` codes EPITOME and AlzConnected with the shipped model (docs/coding.md, "On
forums it never learned from"); its figures are only as good as the rows it imports. Expected counts are the
corpora's PROVENANCE.md counts, or counted here over the raw files with the csv module.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import external_labels  # noqa: E402 - a script of benchmarks/, not a package

pytestmark = pytest.mark.corpora


def test_epitome_seekers_once_and_responses_answering_them(corpora: Path) -> None:
    rows, levels = external_labels.epitome_rows(corpora / external_labels.EPITOME)
    seekers = [r for r in rows if r[2] == ""]
    responses = [r for r in rows if r[2] != ""]
    assert (len(seekers), len(responses)) == (2979, 3023)  # PROVENANCE.md: distinct seeker posts, response ids
    assert all(r[1] == r[2] for r in responses) and {r[2] for r in responses} <= {r[0] for r in seekers}
    with open(corpora / external_labels.EPITOME / "emotional-reactions-reddit.csv", encoding="utf-8") as f:
        first = {r["rp_id"]: int(r["level"]) for r in csv.DictReader(f)}
    assert dict(zip(levels["native_id"], levels["emotional-reactions"], strict=True)) == first


def test_alzconnected_replies_and_their_support(corpora: Path) -> None:
    rows, support = external_labels.alz_rows(corpora / external_labels.ALZ)
    assert len(rows) == len(support) == 2200 and all(r[2] == r[1] + ".0" for r in rows)
    counts = Counter(support["support"])
    with open(corpora / external_labels.ALZ / "test.csv", encoding="utf-8") as f:
        test = Counter((r["label_e"], r["label_n"]) for r in csv.DictReader(f))
    # sample.csv (PROVENANCE.md): both 913, emotional 1,105 in all, non-emotional 1,803 in all, neither 5
    assert counts["both"] == 913 + test[("1", "1")]
    assert counts["emotional only"] == 1105 - 913 + test[("1", "0")]
    assert counts["information only"] == 1803 - 913 + test[("0", "1")]
    assert counts["neither"] == 5 + test[("0", "0")]
