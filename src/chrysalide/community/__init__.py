"""Community dynamics: newcomer response, stage mix over time, reply network, core members, crisis alerts.

>>> from chrysalide.community import community, alerts   # doctest: +SKIP
>>> community(store).summary["newcomers_answered_share"]  # doctest: +SKIP
"""

from chrysalide.community.alerts import AlertsParams, AlertsStep, alerts, detect, stored_alerts, weekly_series
from chrysalide.community.bursts import Burst, BurstDetector
from chrysalide.community.network import ReplyNetwork, core_by_period, reply_edges
from chrysalide.community.responses import (
    newcomer_responses,
    period_metrics,
    response_summary,
    responses,
    source_structure,
    thread_responses,
)
from chrysalide.community.step import CommunityParams, CommunityStep, community, core_members, periods

__all__ = [
    "AlertsParams",
    "AlertsStep",
    "CommunityParams",
    "CommunityStep",
    "Burst",
    "BurstDetector",
    "ReplyNetwork",
    "alerts",
    "community",
    "core_members",
    "core_by_period",
    "detect",
    "newcomer_responses",
    "period_metrics",
    "periods",
    "reply_edges",
    "response_summary",
    "responses",
    "source_structure",
    "stored_alerts",
    "thread_responses",
    "weekly_series",
]
