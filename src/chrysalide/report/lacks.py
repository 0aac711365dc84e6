"""What a corpus lacks for a step to measure anything, in words: the report's sections and the dashboard's pages
say it where a step ran and stored nothing, instead of asking to run it.

A table without dates or authors (Doctissimo's annotated posts: 161 posts, no author, no date) is coded and
classified, but gives no stage mix over time, no member journey and no newcomer: ``chrysalide journeys`` and
``chrysalide community`` run and store nothing, and "not computed yet: run `chrysalide journeys`" would be false.
"""

from __future__ import annotations

from collections.abc import Iterable

from chrysalide.store.bots import Connected
from chrysalide.store.db import latest_run

#: What a step may need of the corpus, in the order said: ``dates`` (a dated message), ``members`` (a message by a
#: member, not only by unknown authors, guests or deleted accounts).
NEEDS = ("dates", "members")


def _missing(store: Connected, needs: Iterable[str]) -> tuple[int, list[str]]:
    """The corpus' number of messages and which of ``needs`` no message has, in :data:`NEEDS` order (one query)."""
    row = store.con.execute("SELECT count(*), count(posted_at), count(member_id) FROM messages").fetchone()
    total, dated, by_members = row if row else (0, 0, 0)
    has = {"dates": dated, "members": by_members}
    wanted = set(needs)
    return total, [need for need in NEEDS if need in wanted and total and not has[need]]


def _said(total: int, missing: list[str]) -> str:
    words = {"dates": "dated", "members": "by a member"}
    return f"none of the corpus' {total:,} messages is {' or '.join(words[m] for m in missing)}" if missing else ""


def lacking(store: Connected, needs: Iterable[str] = NEEDS) -> str:
    """'none of the corpus' 161 messages is dated or by a member' for what of ``needs`` no message has; empty when
    the corpus has every one, or no message at all."""
    return _said(*_missing(store, needs))


def unmeasured(store: Connected, step: str, never_run: str, needs: Iterable[str] = NEEDS) -> str:
    """What a section or page says when no run of ``step`` stored what it shows: ``never_run`` (run the step) when
    the step has not run; else that its newest run had nothing to measure, and why (:func:`lacking`)."""
    run_id = latest_run(store.con, step)
    if run_id is None:
        return never_run
    why = lacking(store, needs)
    if not why:
        return f"The newest run of `chrysalide {step}` (run {run_id}) stored nothing to show here."
    return f"`chrysalide {step}` ran (run {run_id}) but had nothing to measure: {why}."


def nothing_to_measure(store: Connected) -> str:
    """The note the commands that follow members and time print once, after their figures, on a corpus without
    dates or members; empty when it has both."""
    total, missing = _missing(store, NEEDS)
    if not missing:
        return ""
    return f"{_said(total, missing)}: the figures that need {' and '.join(missing)} (member journeys, newcomers, " \
           "bursts) have nothing to measure (docs/report.md)"  # fmt: skip
