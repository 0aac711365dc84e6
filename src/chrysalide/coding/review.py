"""Human review: a queue of the least certain codes plus a random audit, and recorded decisions.

A decision is a ``codes`` row with origin ``human``, coder = the reviewer's name, in a run of stage
``review``; the ``current_codes`` view then prefers it over every automatic code. The audit sample (random
messages, whatever their confidence) lets a team estimate the coder's accuracy on confident codes too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from chrysalide.coding.codebook import CODES
from chrysalide.errors import InputError
from chrysalide.store.db import Store, utcnow
from chrysalide.text import analyze

KEYS = {"1": "individual", "2": "community", "3": "collaborative", "4": "societal", "5": "other"}


def queue(store: Store, n: int = 20, audit: int = 5, seed: int = 0) -> pd.DataFrame:
    """Messages to review: the ``n`` least certain automatic codes, then ``audit`` random others.

    The codes flagged ``needs_review`` by the coding run (confidence below its threshold) come first, least
    confident first, then the other codes by confidence. Messages that already have a human decision are left
    out. Column ``reason`` is ``uncertain`` or ``audit``.
    """
    base = """
        SELECT c.message_id, m.native_id AS uid, m.text, m.lang, c.primary_code, c.secondary_codes,
               c.decentered, c.score_individual, c.score_community, c.score_collaborative, c.score_societal,
               c.score_other, c.confidence, c.needs_review, c.origin, c.coder
        FROM current_codes c JOIN messages m USING (message_id)
        WHERE c.origin <> 'human'
    """
    uncertain = store.con.execute(
        f"{base} ORDER BY coalesce(c.needs_review, false) DESC, c.confidence NULLS FIRST, c.message_id LIMIT ?",
        [max(n, 0)],
    ).df()
    uncertain["reason"] = "uncertain"
    # hash(id + seed) gives a reproducible random order without a session-wide random state.
    sample = store.con.execute(
        f"SELECT * FROM ({base}) q WHERE message_id NOT IN (SELECT unnest(?::BIGINT[])) "
        "ORDER BY hash(message_id + ?), message_id LIMIT ?",
        [uncertain["message_id"].astype("int64").tolist(), int(seed), max(audit, 0)],
    ).df()
    sample["reason"] = "audit"
    frames = [f for f in (uncertain, sample) if len(f)]
    out = pd.concat(frames, ignore_index=True) if frames else uncertain
    out["secondary_codes"] = out["secondary_codes"].map(lambda v: [] if v is None else list(v))
    return out


def decide(store: Store, message_id: int, primary: str, secondary: Sequence[str] = (), reviewer: str = "reviewer",
           decentered: bool | None = None) -> int:  # fmt: skip
    """Record a reviewer's code for one message; returns the run id.

    ``decentered`` defaults to the codebook's rule: primary ``collaborative`` and no first-person reference
    to the author's own health (from the text layer).
    """
    if primary not in CODES:
        raise InputError(f"unknown code {primary!r} (allowed: {', '.join(CODES)})")
    secondary = [s for s in dict.fromkeys(secondary) if s != primary]
    bad = [s for s in secondary if s not in CODES]
    if bad:
        raise InputError(f"unknown secondary code {bad[0]!r} (allowed: {', '.join(CODES)})")
    if not reviewer.strip():
        raise InputError("the reviewer needs a name")
    row = store.con.execute("SELECT text, lang FROM messages WHERE message_id = ?", [int(message_id)]).fetchone()
    if row is None:
        raise InputError(f"no message with id {message_id} in {store.path}")
    if decentered is None:
        decentered = primary == "collaborative" and not analyze(row[0] or "", row[1]).person.own_health
    scores = [1.0 if code == primary else 0.0 for code in CODES]
    with store.run("review", "review", {"reviewer": reviewer, "message_id": int(message_id)}) as run:
        store.con.execute(
            "INSERT INTO codes (run_id, message_id, primary_code, secondary_codes, decentered, score_individual, "
            "score_community, score_collaborative, score_societal, score_other, confidence, origin, coder, "
            "decided_at, needs_review) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1.0, 'human', ?, ?, false)",
            [run.run_id, int(message_id), primary, secondary, bool(decentered), *scores, reviewer, utcnow()],
        )
        run.summary.update({"primary": primary})
    return run.run_id


def review(store: Store, answer: Callable[[dict[str, Any]], str], *, reviewer: str, n: int = 20, audit: int = 5,
           seed: int = 0) -> dict[str, int]:  # fmt: skip
    """Walk the queue: ``answer(item)`` returns a key (a accept, 1-5 a code, s skip, q quit) for each message.

    Unknown keys are asked again (``answer`` sees ``item['retry']`` = True).
    """
    counts = {"accepted": 0, "changed": 0, "skipped": 0}
    # into=dict: pandas-stubs type the default record as dict[Hashable, Any]; the keys are column names
    for item in queue(store, n=n, audit=audit, seed=seed).to_dict("records", into=dict):
        item["retry"] = False
        while True:
            key = answer(item).strip().lower()
            if key in {"a", "s", "q"} or key in KEYS:
                break
            item["retry"] = True
        if key == "q":
            break
        if key == "s":
            counts["skipped"] += 1
            continue
        current = item["primary_code"]
        chosen = current if key == "a" else KEYS[key]
        secondary = [s for s in item["secondary_codes"] if s != chosen]
        decide(store, int(item["message_id"]), chosen, secondary, reviewer=reviewer)
        counts["accepted" if chosen == current else "changed"] += 1
    return counts
