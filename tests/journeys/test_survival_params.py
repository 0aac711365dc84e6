"""SurvivalParams refuses what would stop or overflow the Cox fit: a penalty past PENALIZER_MAX, inf, nan."""

import pytest

from chrysalide.errors import ConfigError
from chrysalide.journeys.survival import SurvivalParams


@pytest.mark.parametrize("penalizer", [-0.5, 1e308, float("inf"), float("nan")])
def test_penalizer_out_of_range_inf_or_nan_is_refused(penalizer):
    """inf stopped the fit (lifelines: "delta contains nan value(s)"), 1e308 overflowed, nan passed the check."""
    with pytest.raises(ConfigError, match="--penalizer must be from 0 to 1,000,000"):
        SurvivalParams(penalizer=penalizer)


def test_penalizer_bounds_are_accepted():
    assert SurvivalParams(penalizer=0.0).penalizer == 0.0 and SurvivalParams(penalizer=1e6).penalizer == 1e6
