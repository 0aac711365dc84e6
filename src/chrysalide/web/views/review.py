"""The review queue: least certain codes, then an audit sample, each with its author, thread and parent message.

The queue is :func:`chrysalide.coding.review.queue`'s (the ``n`` least certain current automatic codes,
then ``audit`` random others in the order of ``hash(message_id + seed)``), computed without evaluating
``current_codes`` for the whole corpus (about 2 s at the study's size): candidates are read from the
``codes`` table in the queue's own order, then kept when they are the message's current code, which
DuckDB finds in milliseconds for a list of ids. A test checks both give the same messages. Identical
texts (cross-posts) are shown once; a decision applies to all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Cookie, Query

from chrysalide.web.pages import page
from chrysalide.web.reader import Db
from chrysalide.web.views.common import codes_of, messages_by_id

REVIEWER_COOKIE = "chrysalide_reviewer"
SEED = 0  # the queue's default seed (coding.review.queue)
PARENT_CHARS = 600  # characters of the parent message shown beside an item
CACHE_CAP = 20_000  # parents kept in memory before the cache starts again


def _key(flagged: bool | None, confidence: float | None, message_id: int) -> tuple[int, int, float, int]:
    """The queue's order, ``needs_review DESC, confidence NULLS FIRST, message_id``, as a Python key."""
    if confidence is None:
        return (0 if flagged else 1, 0, 0.0, message_id)
    return (0 if flagged else 1, 1, confidence, message_id)


def flags(db: Db) -> bool:
    """Whether the coders flag codes that need review (column ``codes.needs_review``): the queue starts with them."""
    return bool(
        db.cached(
            "codes.needs_review",
            lambda: db.value(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'codes' AND column_name = 'needs_review'"
            ),
        )
    )


def queue(db: Db, n: int, audit: int) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """``coding.review.queue(store, n, audit)``'s items, and the current code of every candidate read.

    Uncertain: the ``k`` first automatic code rows in the queue's order (codes flagged ``needs_review`` first,
    when the coders flag them, then least confidence) are candidates; every current code ordered before the
    k-th is one of theirs, so the first ``n`` current ones found are exact (else ``k`` grows).
    Audit: messages in ``hash(message_id + seed)`` order, kept when their current code is automatic.
    """
    totals = db.one("SELECT (SELECT count(*) FROM codes WHERE origin <> 'human'), (SELECT count(*) FROM messages)")
    flagged = flags(db)
    flag = "coalesce(needs_review, false)" if flagged else "false"
    first = f"{flag} DESC, " if flagged else ""
    k = max(4 * (n + audit), 256)
    while True:
        rows = db.execute(
            f"SELECT {flag}, confidence, message_id FROM codes WHERE origin <> 'human'"
            f" ORDER BY {first}confidence NULLS FIRST, message_id LIMIT ?",
            [k],
        ).fetchall()
        drawn = [r[0] for r in db.execute(
            "SELECT message_id FROM messages ORDER BY hash(message_id + ?), message_id LIMIT ?", [SEED, k]
        ).fetchall()]  # fmt: skip
        current = codes_of(db.cursor, list({r[2] for r in rows} | set(drawn)), ("needs_review",) if flagged else ())
        automatic = {m: c for m, c in current.items() if c["origin"] != "human"}

        keys = {m: _key(c.get("needs_review"), c["confidence"], m) for m, c in automatic.items()}
        boundary = _key(*rows[-1]) if rows else (2, 0, 0.0, 0)
        uncertain = sorted((m for m in keys if keys[m] <= boundary), key=keys.__getitem__)[:n]
        sample = [m for m in drawn if m in automatic and m not in set(uncertain)][:audit]
        if (len(uncertain) >= n or k >= totals[0]) and (len(sample) >= audit or k >= totals[1]):
            break
        k *= 8
    items = [{"message_id": m, **automatic[m], "reason": "uncertain"} for m in uncertain]
    items += [{"message_id": m, **automatic[m], "reason": "audit"} for m in sample]
    return items, current


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
    """One item per distinct text, the others listed in its ``duplicates``."""
    first: dict[str, dict[str, Any]] = {}
    out = []
    for item in items:
        text = (texts.get(item["message_id"]) or "").strip()
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
) -> dict[str, Any]:
    """The review queue with each item's author, thread, position, parent message and current code."""
    audit = max(1, n // 4)
    # A cross-post fills several places of the queue: ask for more, fold identical texts, keep n + audit.
    candidates, codes = queue(db, 3 * n, 3 * audit)
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
    out = []
    for c in items:
        m = info[c["message_id"]]
        pos, size = order.get(c["message_id"], (None, None))
        out.append({**m, **c, "pos": pos, "thread_size": size, "parent": found_parents.get(c["message_id"])})
    return {"queue": out, "n": n, "saved": saved, "reviewer": reviewer or ""}
