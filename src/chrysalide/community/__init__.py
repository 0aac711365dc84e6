"""Community dynamics: newcomer response, stage mix over time, reply network, core members, crisis alerts.

>>> from chrysalide.community import community, alerts   # doctest: +SKIP
>>> community(store)["summary"]["answered_within_3h_share"]  # doctest: +SKIP
"""

from chrysalide.community.alerts import alerts, detect, weekly_series
from chrysalide.community.bursts import Burst, BurstDetector
from chrysalide.community.network import ReplyNetwork, core_by_period, reply_edges
from chrysalide.community.responses import newcomer_responses, period_metrics, response_summary, thread_responses
from chrysalide.community.stage import community

__all__ = [
    "Burst",
    "BurstDetector",
    "ReplyNetwork",
    "alerts",
    "community",
    "core_by_period",
    "detect",
    "newcomer_responses",
    "period_metrics",
    "reply_edges",
    "response_summary",
    "thread_responses",
    "weekly_series",
]
