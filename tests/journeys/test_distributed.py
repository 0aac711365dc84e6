"""The per-member step on a Dask LocalCluster gives exactly the local result."""

import pandas as pd
import pytest

from chrysalide.coding import code
from chrysalide.demo import generate
from chrysalide.distributed import Execution
from chrysalide.ingest import ingest
from chrysalide.journeys.step import JourneysParams, compute

pytestmark = pytest.mark.slow


def test_dask_local_cluster_matches_local(store, tmp_path):
    ingest(store, generate(tmp_path / "forum.jsonl", messages=800, threads=90, seed=5))
    code(store, "lexicon")
    local = compute(store, JourneysParams(permutations=99))
    dist = compute(store, JourneysParams(permutations=99), execution=Execution("dask"))
    for a, b in zip(local, dist, strict=True):
        keys = [c for c in ("member_id", "seq", "from_stage", "to_stage") if c in a.columns]
        a = a.sort_values(keys).reset_index(drop=True)
        b = b.sort_values(keys).reset_index(drop=True)[a.columns]
        # A missing value is NaN in one backend's object columns and None in the other's: both are stored as NULL.
        a, b = (f.astype(object).where(f.notna(), None) for f in (a, b))
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
