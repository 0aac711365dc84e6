"""The ``community`` step: per-period dynamics, newcomer response and reply network, stored.

Each run writes ``community_metrics``, ``newcomer_responses`` (one row per newcomer) and ``member_network``
under its id; earlier runs stay (history), and readers take the newest (``store.latest("community")``). On
unchanged data with the same parameters the newest run is returned (``StepResult.up_to_date``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chrysalide.coding.codebook import CODES
from chrysalide.community.boards import by_board, newcomer_boards
from chrysalide.community.network import ReplyNetwork, reply_edges
from chrysalide.community.responses import (
    PERIOD_UNITS,
    arrivals,
    burn_in_warning,
    follow_up,
    near_end_note,
    opens_no_thread,
    period_metrics,
    response_summary,
    responses,
    source_structure,
    threads_apart,
    uncoded_openers_warning,
)
from chrysalide.errors import ConfigError
from chrysalide.ingest.sampled import NEWCOMERS_COUNTED, undeclared_caveat, undeclared_selections
from chrysalide.store import Store
from chrysalide.store.bots import bot_counts
from chrysalide.store.db import Run
from chrysalide.store.histories import count_histories, history_messages
from chrysalide.store.step import Params, Rows, Step, StepResult, run_step
from chrysalide.units import dated_by_day

#: The figures per period of activity and response (``community_metrics``), without the stage mix.
RESPONSE_COLUMNS = [
    "period", "messages", "active_members", "new_members", "newcomers_answered", "newcomers_answered_known",
    "newcomers_answered_within_3h", "newcomers_within_3h_known", "newcomer_first_reply_median_hours",
    "newcomer_first_reply_p90_hours", "newcomer_answered_within_3h_share", "requests", "requests_answered",
    "requests_answered_known", "requests_answered_within_3h", "requests_within_3h_known",
    "request_first_reply_median_hours", "threads_started", "threads_unanswered", "threads_answered_known",
    "threads_answered_within_3h", "threads_within_3h_known", "thread_first_reply_median_hours",
    "thread_first_reply_p90_hours", "thread_answered_within_3h_share",
]  # fmt: skip
#: The stage mix per period: coded messages, primary codes (``n_<stage>``), corrected shares (``share_<stage>``).
#: The dashboard draws the stage mix over time by the report's period rule instead, and its table by period
#: reads :data:`RESPONSE_COLUMNS` only.
MIX_COLUMNS = ["coded", *(f"n_{code}" for code in CODES), *(f"share_{code}" for code in CODES)]
METRIC_COLUMNS = [*RESPONSE_COLUMNS, *MIX_COLUMNS]


@dataclass(frozen=True)
class CommunityParams(Params):
    """``period`` of the metrics (week, month, year); ``participation_weight`` of an inferred reply edge (the
    previous message of a flat thread, the submission of a comment without parent); ``k_samples`` pivots and
    ``seed`` of the sampled betweenness."""

    period: str = "month"
    participation_weight: float = 0.5
    k_samples: int = 200
    seed: int = 0

    def __post_init__(self) -> None:
        if self.period not in PERIOD_UNITS:
            raise ConfigError(f"--period must be one of {', '.join(PERIOD_UNITS)}, got {self.period!r}")
        if not 0 <= self.participation_weight <= 1 or self.k_samples < 1:
            raise ConfigError("participation_weight must be in [0, 1] and k_samples >= 1")


class CommunityStep(Step[CommunityParams]):
    """Newcomer response (per newcomer and per period), messages and stage mix per period; the reply network and
    its core. Bot accounts are left out of all of them (:mod:`chrysalide.store.bots`; the summary counts them)."""

    name = "community"
    # /6: a request is a thread-opening first message coded individual, no longer any (0022): no older run reused
    # /7: newcomers are members whose arrival the record shows (burn-in after the record's start, 0023); a removed
    # first message is no opener that does not ask
    # /8: the summary says how many newcomers, requests and threads the within-3-hours shares rest on; bot accounts
    # also those that post one long template (0024); a table without thread ids (each message stored as its own
    # thread) starts no thread, its threads None when no source names a thread
    # /9: a newcomer's first message in a table without thread ids neither opens a thread nor is a request: both
    # unknown (NULL, 0025), counted apart (newcomers_thread_unknown); requests None when no source names a thread
    # /10: a table declared thread starts at import opens a thread with each message (0028); the record of a member
    # of a source whose boards were collected apart starts with their first message's board's (0029)
    # /11: the summary gives the newcomers' and requests' figures by the board of their first message, and how many
    # newcomers and messages are of members whose own history the source holds (migration 0033)
    # /12: a source's declared 0 replies is not read where its collected thread starts contradict it (ZEROS_MIN)
    # /13: per period, how many newcomers, requests and threads could be seen answered or not (``*_known``,
    # migration 0036); a newcomer's or thread's ``answered`` is NULL where that cannot be seen, not false; threads
    # and requests None also where every source holds replies to posts it lacks (none opens a thread)
    # /14: the summary says how many messages the threads without their opening hold (the overview's words), how many
    # replies of the network are inferred, and names the sources not declared a selection of threads that look like
    # one (``undeclared_selections``), with a warning: their newcomers may be old members
    # /15: a message posted less than its source's follow-up window (95% of the first answers to its thread starts)
    # before the end of its collection is not judged, answered or not: ``answered`` NULL (``near_end``, summary
    # ``*_near_end``, ``near_end_note``; migration 0038); per period, threads answered within 3 hours and the count
    # they are out of
    version = "reply-tree/15"
    reads = ("messages", "members", "threads", "thread_order", "newcomers", "first_answers", "reply_targets", "reply_collection",
             "declared_replies", "current_codes", "bot_accounts", "member_arrivals",
             "unreadable_messages", "unthreaded_sources")  # fmt: skip
    after = ("text", "coding")
    writes = ("community_metrics", "newcomer_responses", "member_network")

    def __init__(self, params: CommunityParams) -> None:
        self.params = params

    def compute(self, store: Store, run: Run) -> Iterable[tuple[str, Rows]]:
        p = self.params
        threads, newcomers = responses(store)
        periods = period_metrics(store, threads, newcomers, period=p.period)[METRIC_COLUMNS]
        edges = reply_edges(store, p.participation_weight)
        network = ReplyNetwork(k_samples=p.k_samples, seed=p.seed).fit(edges)
        nodes = network.nodes_
        uncoded = store.con.execute(
            "SELECT count(*) FROM messages WHERE message_id NOT IN (SELECT message_id FROM current_codes)"
        ).fetchone()
        run.summary.update(response_summary(threads, newcomers))
        run.summary["newcomers_by_board"] = by_board(newcomers, newcomer_boards(store, newcomers))
        # Newcomers whose own history the source holds: chosen for the record (chrysalide.store.histories).
        run.summary["newcomers_histories"] = count_histories(store, newcomers["member_id"])
        run.summary["messages_by_histories"], run.summary["messages_with_histories"] = history_messages(store)
        run.summary.update(threads_apart(store))
        run.summary.update(arrivals(store))  # first seen, not counted as newcomers
        run.summary.update(bot_counts(store))  # left out of every figure
        run.summary["sources"] = source_structure(store)
        # A selection not declared at import: its members' first messages are counted as arrivals, said beside them.
        run.summary["undeclared_selections"] = undeclared_selections(store.con)
        if opens_no_thread(run.summary):  # its threads are not 0 but unknown: no message is known to open one
            run.summary["threads"] = None
            run.summary["requests"] = None  # nothing says which messages open threads: requests cannot be told
        # Too near the end of collection to be judged, answered or not: said where the figures are read.
        run.summary["follow_up"] = follow_up(store)
        run.summary["near_end_note"] = near_end_note(run.summary, by_day=dated_by_day(run.summary))
        warnings = [w for w in (uncoded_openers_warning(run.summary), burn_in_warning(run.summary),
                                undeclared_caveat(run.summary["undeclared_selections"], NEWCOMERS_COUNTED)) if w]  # fmt: skip
        if warnings:  # printed by `chrysalide community` and `pipeline`, said by the report
            run.summary["warnings"] = warnings
        run.summary.update({
            "messages": int(periods["messages"].sum()) if len(periods) else 0,
            "messages_uncoded": int(uncoded[0]) if uncoded else 0,
            "periods": len(periods),
            "network_members": len(nodes),
            "network_edges": network.n_edges_,  # pairs linked either way; ordered pairs below (ReplyNetwork)
            "network_answering_pairs": network.n_answering_pairs_,
            # The answering messages that make the edges, and those whose member answered is inferred (weighed
            # participation_weight; the k-core counts them as any other).
            "network_replies": len(edges),
            "network_inferred_replies": int((~edges["explicit"].astype(bool)).sum()),
            "main_core_k": int(network.main_core_k_),
            "core_members": int(nodes["is_core"].sum()) if len(nodes) else 0,
        })  # fmt: skip
        yield "community_metrics", periods
        yield "newcomer_responses", newcomers
        yield "member_network", nodes


def community(
    store: Store, params: CommunityParams | None = None, *, force: bool = False, **options: Any
) -> StepResult:
    """Compute and store the community metrics (``options``: :class:`CommunityParams` fields)."""
    return run_step(store, CommunityStep(Params.build(CommunityParams, params, options)), force=force)


def periods(store: Store, run_id: int) -> Any:
    """The per-period table of a community run, in period order."""
    return store.con.execute(
        f"SELECT {', '.join(METRIC_COLUMNS)} FROM community_metrics WHERE run_id = ? ORDER BY period", [run_id]
    ).df()


def core_members(store: Store, run_id: int) -> Any:
    """The core members of a community run's network (main k-core), by betweenness."""
    return store.con.execute(
        "SELECT * EXCLUDE (run_id) FROM member_network WHERE run_id = ? AND is_core"
        " ORDER BY betweenness DESC, member_id",
        [run_id],
    ).df()
