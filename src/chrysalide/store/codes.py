"""Whether the store holds stage codes: a step that reads them, run before ``chrysalide code``, says so."""

from __future__ import annotations

from chrysalide.store.bots import Connected


def coded(store: Connected) -> bool:
    """Whether any message has a stage code (``chrysalide code`` ran and coded something, or a reviewer decided)."""
    row = store.con.execute("SELECT EXISTS (FROM codes)").fetchone()
    return bool(row and row[0])


def uncoded(store: Connected, reads: str, then: str = "") -> str:
    """'no message is coded yet, and {reads}: run `chrysalide code` first' when no message has a stage code (a step
    run out of order); empty when some message is coded. ``reads``: what reads the codes, as "the journeys read
    the stage codes"; ``then``: the command to run after coding, when one must be run again."""
    if coded(store):
        return ""
    return f"no message is coded yet, and {reads}: run `chrysalide code`" + (f", then `{then}`" if then else " first")
