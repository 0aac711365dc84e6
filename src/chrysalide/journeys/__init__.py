"""Member journeys: milestones, stage sequences and transitions, I-to-we trend, RFM panels, survival.

>>> from chrysalide.journeys import journeys, journey, panel, survival   # doctest: +SKIP
>>> journeys(store).summary["reached_decentered"]                        # doctest: +SKIP
"""

from chrysalide.journeys.frame import FRAME_COLUMNS, load_frame
from chrysalide.journeys.journey import journey
from chrysalide.journeys.members import MILESTONES, member_metrics, tu_shift, we_trend
from chrysalide.journeys.panel import rank_panel, score_rfm
from chrysalide.journeys.sequences import stage_runs, transition_counts, transition_matrix
from chrysalide.journeys.step import JourneysParams, JourneysStep, frequency_floor_of, journeys, member_table, panel
from chrysalide.journeys.survival import SurvivalParams, SurvivalStep, entry_table, survival
from chrysalide.journeys.survival_model import ProgressionSurvival

__all__ = [
    "FRAME_COLUMNS",
    "MILESTONES",
    "JourneysParams",
    "JourneysStep",
    "ProgressionSurvival",
    "SurvivalParams",
    "SurvivalStep",
    "entry_table",
    "frequency_floor_of",
    "journey",
    "journeys",
    "load_frame",
    "member_metrics",
    "member_table",
    "panel",
    "rank_panel",
    "score_rfm",
    "stage_runs",
    "survival",
    "transition_counts",
    "transition_matrix",
    "tu_shift",
    "we_trend",
]
