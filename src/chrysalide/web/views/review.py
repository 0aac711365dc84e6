"""The review queue: least certain codes, then an audit sample, each with its author, thread and parent message.

The queue is the library's (:func:`chrysalide.coding.review.queue_items`: the ``n`` least certain current
automatic codes, then ``audit`` random others in the order of ``hash(message_id + seed)``), which reads
``current_codes`` for its candidates only. Identical texts (cross-posts) are shown once; a decision applies
to all of them. The page counts the codes awaiting review by reason (:func:`chrysalide.coding.reasons.review_reasons`,
as the report does), and ``reason`` narrows the queue to the codes awaiting review for one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Cookie, HTTPException, Query

from chrysalide.coding.audit import MEASURE_HINT, describe, review_agreement
from chrysalide.coding.reasons import REASONS, ReviewReasons, by_language, review_reasons
from chrysalide.coding.review import copy_key, flags_review, queue_items
from chrysalide.community.responses import unthreaded_sources
from chrysalide.web.pages import page
from chrysalide.web.reader import Db
from chrysalide.web.views.common import messages_by_id

REVIEWER_COOKIE = "chrysalide_reviewer"
SEED = 0  # the queue's default seed (coding.review.queue)
PARENT_CHARS = 600  # characters of the parent message shown beside an item
CACHE_CAP = 20_000  # parents kept in memory before the cache starts again


def flagged(db: Db) -> bool:
    """Whether the store's codes carry ``needs_review`` (:func:`chrysalide.coding.review.flags_review`), cached."""
    return bool(db.cached("codes.needs_review", lambda: flags_review(db.cursor)))


def queue(
    db: Db, n: int, audit: int, awaiting: str | None = None
) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """:func:`chrysalide.coding.review.queue_items` (seed :data:`SEED`; ``awaiting``: only the codes awaiting
    review for this reason), and the current code of each item."""
    items = queue_items(db.cursor, n, audit, SEED, flagged=flagged(db), awaiting=awaiting)
    codes = {i["message_id"]: {k: v for k, v in i.items() if k not in ("message_id", "reason")} for i in items}
    return items, codes


def reasons(db: Db) -> dict[str, Any]:
    """How many codes await review, for each reason (with its words) and all together; the codes in a language
    the codebook has no markers for beside. Cached until a run changes the data."""
    if not flagged(db):  # a store read before its codes were flagged: no code awaits review for a reason
        found = ReviewReasons(0, 0)
    else:
        found = db.cached("review_reasons", lambda: review_reasons(db.cursor))
    counts = {"unlearned": found.not_learned, "unsure": found.unsure, "unrecorded": found.unrecorded}
    languages = {"unlearned": by_language(found.unlearned)}
    return {
        "awaiting": found.awaiting,
        "by_reason": [
            {"reason": r, "label": label, "codes": counts[r], "languages": languages.get(r, "")}
            for r, label in REASONS.items()
        ],
        "no_markers": sum(found.no_markers.values()),
        "no_markers_languages": by_language(found.no_markers),
    }


def checked_reason(reason: str | None) -> str | None:
    """``reason`` when it is one of :data:`chrysalide.coding.reasons.REASONS` (or None); else a 400 naming them."""
    if reason is None or reason in REASONS:
        return reason
    known = "; ".join(f"{r}: {label}" for r, label in REASONS.items())
    raise HTTPException(400, f"reason: unknown review reason {reason[:40]!r}; the reasons are: {known}")


def parents(db: Db, ids: list[int], upcoming: Sequence[int] = ()) -> dict[int, dict[str, Any] | None]:
    """The message each of ``ids`` answers (view ``reply_targets``), cached until the next import.

    The view reads every message to tell reply trees from flat forums (a few hundred milliseconds at the
    study's size), whatever the filter: when one of ``ids`` is missing, one query reads them and the
    ``upcoming`` ones too (the next items of the queue), so that deciding an item does not cost it again.
    """
    cache: dict[int, dict[str, Any] | None] = db.cached("review_parents", dict, steps=("ingest",))
    if any(m not in cache for m in ids):
        missing = list(dict.fromkeys(m for m in [*ids, *upcoming] if m not in cache))
        if len(cache) > CACHE_CAP:
            cache.clear()
        targets = dict(db.execute(
            "SELECT message_id, target_id FROM reply_targets WHERE message_id = ANY(?::BIGINT[])", [missing]
        ).fetchall())  # fmt: skip
        found = [t for t in targets.values() if t is not None]
        by_id = messages_by_id(db, found)
        for m in missing:
            parent = by_id.get(targets.get(m))  # type: ignore[arg-type]
            if parent is not None and parent["text"] and len(parent["text"]) > PARENT_CHARS:
                parent = {**parent, "text": parent["text"][:PARENT_CHARS] + "…"}
            cache[m] = parent
    return {m: cache.get(m) for m in ids}  # .get: another request may have just started the cache again


def _fold(items: list[dict[str, Any]], texts: dict[int, str | None]) -> list[dict[str, Any]]:
    """One item per distinct text (:func:`~chrysalide.coding.review.copy_key`), the others listed in its
    ``duplicates``."""
    first: dict[str, dict[str, Any]] = {}
    out = []
    for item in items:
        text = copy_key(texts.get(item["message_id"]))
        if text and text in first:
            first[text]["duplicates"].append(item["message_id"])
            continue
        item["duplicates"] = []
        first[text] = item
        out.append(item)
    return out


@page("/review", "review.html")
def review(
    db: Db,
    n: Annotated[int, Query(ge=1, le=100, description="items to review")] = 10,
    saved: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    reviewer: Annotated[str | None, Cookie(alias=REVIEWER_COOKIE, max_length=100)] = None,
    reason: Annotated[str | None, Query(max_length=200, description="only the codes awaiting review for it")] = None,
) -> dict[str, Any]:
    """The review queue with each item's author, thread, position, parent message and current code; the codes
    awaiting review counted by reason; with ``reason``, only the codes awaiting review for it (no audit sample)."""
    reason = checked_reason(reason)
    audit = 0 if reason else max(1, n // 4)
    # A cross-post fills several places of the queue: ask for more, fold identical texts, keep n + audit.
    candidates, codes = queue(db, 3 * n, 3 * audit, reason)
    info = messages_by_id(db, [c["message_id"] for c in candidates], codes)
    folded = _fold(candidates, {m: r["text"] for m, r in info.items()})
    items = [c for c in folded if c["reason"] == "uncertain"][:n] + [c for c in folded if c["reason"] == "audit"][
        :audit
    ]
    order = {
        r[0]: (r[1], r[2])
        for r in db.execute(
            "SELECT o.message_id, o.pos, count(*) OVER (PARTITION BY o.thread_id) FROM thread_order o"
            " WHERE o.thread_id = ANY(?::BIGINT[])",
            [list({info[c["message_id"]]["thread_id"] for c in items})],
        ).fetchall()
        if r[0] in info
    }
    shown = [c["message_id"] for c in items]
    found_parents = parents(db, shown, [c["message_id"] for c in folded])
    # A table without thread ids stores each message as a thread of its own: no position to show, no "opens".
    apart = unthreaded_sources(db)
    unthreaded = {r[0] for r in db.execute(
        "SELECT message_id FROM messages WHERE message_id = ANY(?::BIGINT[]) AND source_id = ANY(?::VARCHAR[])",
        [shown, apart]).fetchall()} if apart else set()  # fmt: skip
    out = []
    for c in items:
        m = info[c["message_id"]]
        pos, size = (None, None) if c["message_id"] in unthreaded else order.get(c["message_id"], (None, None))
        out.append({**m, **c, "pos": pos, "thread_size": size, "parent": found_parents.get(c["message_id"]),
                    "unthreaded": c["message_id"] in unthreaded})  # fmt: skip
    agreement = db.cached(
        "review_agreement", lambda: [a.as_dict() | {"text": describe(a)} for a in review_agreement(db.cursor).values()]
    )
    return {"queue": out, "n": n, "saved": saved, "reviewer": reviewer or "", "reason": reason,
            "agreement": agreement, "measure_hint": MEASURE_HINT, **reasons(db)}  # fmt: skip
