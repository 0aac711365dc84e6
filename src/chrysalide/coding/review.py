"""Human review: a queue of the least certain codes plus a random audit, and recorded decisions.

A decision is a ``codes`` row with origin ``human``, coder = the reviewer's name, in a run of stage
``review``; the ``current_codes`` view then prefers it over every automatic code. The audit sample (random
messages, whatever their confidence) lets a team estimate the coder's accuracy on confident codes too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from chrysalide.coding.audit import AUDIT, COPY, UNCERTAIN
from chrysalide.coding.codebook import CODES
from chrysalide.coding.reasons import awaits, reason_of
from chrysalide.errors import InputError, StoreError
from chrysalide.store.codes import uncoded
from chrysalide.store.db import Store, utcnow
from chrysalide.text import analyze

#: The parts of the queue a decision may come from (:func:`decide`'s ``sample``).
DECIDED_SAMPLES = (AUDIT, UNCERTAIN, COPY)
KEYS = {"1": "individual", "2": "community", "3": "collaborative", "4": "societal", "5": "other"}


#: The columns of a current code that the review shows (``current_codes``).
CODE_COLUMNS = ("primary_code", "secondary_codes", "decentered", "confidence", "origin", "coder")
SCORE_COLUMNS = tuple(f"score_{code}" for code in CODES)


def current_codes_of(con: Any, message_ids: Sequence[int], extra: Sequence[str] = ()) -> dict[int, dict[str, Any]]:
    """The current code of each message (view ``current_codes``), read for these messages only.

    DuckDB pushes the id filter through the view's window, so this costs milliseconds where evaluating the
    view for the whole corpus takes seconds at the study's size. ``con``: a connection or a cursor; ``extra``:
    more columns of the view, or expressions over it (``expression AS name``).
    """
    if not message_ids:
        return {}
    columns = ", ".join([*CODE_COLUMNS, *extra])
    result = con.execute(
        f"SELECT message_id, {columns} FROM current_codes WHERE message_id = ANY(?::BIGINT[])", [list(message_ids)]
    )
    names = [d[0] for d in result.description][1:]
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in result.fetchall()}


def flags_review(con: Any) -> bool:
    """Whether the store's codes carry ``needs_review`` (migration 0009; a dashboard may read an older store)."""
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'codes' AND column_name = 'needs_review'"
    ).fetchone()[0])  # fmt: skip


def _order(flagged: bool | None, confidence: float | None, message_id: int) -> tuple[int, int, float, int]:
    """The queue's order, ``needs_review DESC, confidence NULLS FIRST, message_id``, as a Python key."""
    if confidence is None:
        return (0 if flagged else 1, 0, 0.0, message_id)
    return (0 if flagged else 1, 1, confidence, message_id)


def queue_items(con: Any, n: int = 20, audit: int = 5, seed: int = 0, *, extra: Sequence[str] = (),
                flagged: bool | None = None, awaiting: str | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """The review queue: the ``n`` least certain current automatic codes, then ``audit`` random others.

    Uncertain: the codes flagged ``needs_review`` by the coding run (confidence below its threshold) first,
    then by confidence, least first (``needs_review DESC, confidence NULLS FIRST, message_id``). Audit: messages
    in the order of ``hash(message_id + seed)`` (reproducible, whatever their confidence), kept when their
    current code is automatic. Messages with a human decision are left out. Each item is the message's
    current code (:data:`CODE_COLUMNS`, ``extra`` columns, ``needs_review`` and ``review_reason`` (a key of
    :data:`chrysalide.coding.reasons.REASONS`, None for a code not awaiting review) when the store flags codes)
    with ``message_id`` and ``reason`` (``uncertain`` or ``audit``). ``awaiting``: only the codes awaiting review
    for this reason (:func:`chrysalide.coding.reasons.awaits`), in the same order, and no audit sample.

    Computed without evaluating ``current_codes`` for the whole corpus: the ``k`` first automatic code rows in
    the queue's order are candidates, and every current code ordered before the k-th is one of theirs, so the
    first ``n`` current ones found among them are exact (else ``k`` grows); ``current_codes`` is read for the
    candidates only. ``flagged``: whether codes carry ``needs_review`` (default: asked of the store).
    """
    n, audit = max(n, 0), max(audit, 0)
    flagged = flags_review(con) if flagged is None else flagged
    if awaiting is not None and not flagged:  # a store coded before codes were flagged: none awaits review
        return []
    flag = "coalesce(needs_review, false)" if flagged else "false"
    first = f"{flag} DESC, " if flagged else ""
    # A current code is one of the message's rows of ``codes``: its reason is that row's.
    only = f" AND coalesce({awaits(awaiting, 'codes')}, false)" if awaiting is not None else ""
    if awaiting is not None:
        audit = 0
    automatic_rows, all_messages = con.execute(
        f"SELECT (SELECT count(*) FROM codes WHERE origin <> 'human'{only}), (SELECT count(*) FROM messages)"
    ).fetchone()
    extra = (*extra, "needs_review", f"{reason_of('current_codes')} AS review_reason") if flagged else tuple(extra)
    k = max(4 * (n + audit), 256)
    while True:
        rows = con.execute(
            f"SELECT {flag}, confidence, message_id FROM codes WHERE origin <> 'human'{only}"
            f" ORDER BY {first}confidence NULLS FIRST, message_id LIMIT ?",
            [k],
        ).fetchall()
        drawn = [r[0] for r in con.execute(
            "SELECT message_id FROM messages ORDER BY hash(message_id + ?), message_id LIMIT ?", [int(seed), k]
        ).fetchall()] if audit else []  # fmt: skip
        current = current_codes_of(con, list({r[2] for r in rows} | set(drawn)), extra)
        automatic = {m: c for m, c in current.items()
                     if c["origin"] != "human" and (awaiting is None or c.get("review_reason") == awaiting)}  # fmt: skip
        keys = {m: _order(c.get("needs_review"), c["confidence"], m) for m, c in automatic.items()}
        boundary = _order(*rows[-1]) if rows else (2, 0, 0.0, 0)
        uncertain = sorted((m for m in keys if keys[m] <= boundary), key=keys.__getitem__)[:n]
        chosen = set(uncertain)
        sample = [m for m in drawn if m in automatic and m not in chosen][:audit]
        if (len(uncertain) >= n or k >= automatic_rows) and (len(sample) >= audit or k >= all_messages):
            break
        k *= 8
    return [{"message_id": m, **automatic[m], "reason": "uncertain"} for m in uncertain] + [
        {"message_id": m, **automatic[m], "reason": "audit"} for m in sample
    ]


def queue(store: Store, n: int = 20, audit: int = 5, seed: int = 0) -> pd.DataFrame:
    """:func:`queue_items` as a frame, with each message's ``uid`` (native id), ``text`` and ``lang``."""
    items = queue_items(store.con, n, audit, seed, extra=SCORE_COLUMNS)
    columns = ["message_id", "uid", "text", "lang", *CODE_COLUMNS[:3], *SCORE_COLUMNS, "confidence",
               "needs_review", "origin", "coder", "reason"]  # fmt: skip
    if not items:
        return pd.DataFrame(columns=columns)
    ids = pd.DataFrame({"message_id": [int(i["message_id"]) for i in items]})
    store.con.register("chrys_review_ids", ids)
    try:
        texts = store.con.execute(
            "SELECT message_id, native_id AS uid, text, lang FROM messages JOIN chrys_review_ids USING (message_id)"
        ).df()
    finally:
        store.con.unregister("chrys_review_ids")
    out = pd.DataFrame(items).merge(texts, on="message_id", how="left")[columns]
    out["secondary_codes"] = out["secondary_codes"].map(lambda v: [] if v is None else list(v))
    return out


def copy_key(text: str | None) -> str:
    """What makes two messages identical copies for the review (the queue folds them, a decision covers them all):
    the same text but for the white space around it."""
    return (text or "").strip()


def check_copies(con: Any, message_id: int, copies: Sequence[int]) -> None:
    """Raise :class:`InputError` unless the message and each of ``copies`` exist and every copy is an identical
    copy of it (:func:`copy_key`): a decision is written for them only once all are known good."""
    ids = [int(message_id), *map(int, copies)]
    texts = dict(con.execute(
        "SELECT message_id, text FROM messages WHERE message_id IN (SELECT unnest(?::BIGINT[]))", [ids]
    ).fetchall())  # fmt: skip
    for m in ids:
        if m not in texts:
            raise InputError(f"no message with id {m}")
        if m != message_id and copy_key(texts[m]) != copy_key(texts[message_id]):
            raise InputError(f"message {m} is not an identical copy of message {message_id}: nothing was saved")


def decide(store: Store, message_id: int, primary: str, secondary: Sequence[str] = (), reviewer: str = "reviewer",
           decentered: bool | None = None, sample: str | None = None, seed: int = 0) -> int:  # fmt: skip
    """Record a reviewer's code for one message; returns the run id.

    ``decentered`` defaults to the codebook's rule: primary ``collaborative`` and no first-person reference
    to the author's own health (from the text layer). ``sample``: the part of the review queue the message came
    from, ``audit`` (the random sample) or ``uncertain`` (the least certain codes), or ``copy`` for an identical
    copy decided with it; kept in the run's parameters with the audit's ``seed`` (:func:`queue_items`), it tells the
    decisions that measure the coder on this database (:mod:`chrysalide.coding.audit`).
    """
    if sample is not None and sample not in DECIDED_SAMPLES:
        raise InputError(f"unknown review sample {sample[:40]!r} (allowed: {', '.join(DECIDED_SAMPLES)})")
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
    params: dict[str, Any] = {"reviewer": reviewer, "message_id": int(message_id)}
    if sample is not None:
        params["sample"] = sample
    if sample == AUDIT:
        params["seed"] = int(seed)
    with store.run("review", "review", params) as run:
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

    Unknown keys are asked again (``answer`` sees ``item['retry']`` = True). A store where no message is coded
    is refused: there is nothing to review.
    """
    missing = uncoded(store, "the review shows the stage codes to accept or change")
    if missing:
        raise StoreError(f"{store.path}: {missing}")
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
        decide(store, int(item["message_id"]), chosen, secondary, reviewer=reviewer, sample=item["reason"], seed=seed)
        counts["accepted" if chosen == current else "changed"] += 1
    return counts
