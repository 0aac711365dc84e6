"""The lexical classes of the newest Reinert run: one partition at a chosen k, with characteristic terms.

The run stores every level k = 1..K of the dendrogram (or each crossed partition of a double
classification), but characteristic terms and typical segments only for its final partition (K classes).
At a coarser level of a simple classification each class is a union of final classes (the dendrogram's
``parent`` links), and the page lists those with their terms; a crossed partition of a double
classification other than the final one has sizes only.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import HTTPException, Query

from chrysalide.lexical.writers import ONE_VOICE, WRITERS_SQL
from chrysalide.web.pages import page
from chrysalide.web.reader import Db
from chrysalide.web.views.common import consent_of, latest, shown

TYPICAL = 3  # typical segments shown per class


def _ancestors(classes: list[dict[str, Any]], final_k: int, k: int) -> dict[int, int]:
    """Final class -> its class at level ``k`` (simple classification: following ``parent`` up the levels)."""
    parent = {(c["k"], c["class"]): c["parent"] for c in classes}
    out = {}
    for final in (c["class"] for c in classes if c["k"] == final_k):
        cls = final
        for level in range(final_k, k, -1):
            cls = parent.get((level, cls))
            if cls is None:
                break
        if cls is not None:
            out[final] = cls
    return out


def _typical(db: Db, run_id: int) -> dict[int, list[dict[str, Any]]]:
    rows = db.rows(
        """SELECT t.class, t.rank, t.segment_id, s.message_id, s.text, m.member_id, m.thread_id,
                  cs.status AS consent_status, cs.scope AS consent_scope
           FROM typical_segments t JOIN segments s USING (segment_id) JOIN messages m ON m.message_id = s.message_id
           LEFT JOIN consent cs ON cs.member_id = m.member_id
           WHERE t.run_id = ? AND t.rank <= ? ORDER BY t.class, t.rank""",
        [run_id, TYPICAL],
    )
    out: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        marks = consent_of(r.pop("consent_status"), r.pop("consent_scope"))
        r.update(marks, text=shown(r["member_id"], r["text"], marks))
        out.setdefault(r["class"], []).append(r)
    return out


@page("/lexical", "lexical.html")
def lexical(
    db: Db,
    k: Annotated[int | None, Query(ge=1, le=1000)] = None,
    top: Annotated[int, Query(ge=1, le=50)] = 15,
) -> dict[str, Any]:
    """One partition of the newest lexical run (``k``, default its final one) with each class's top terms.

    Cached per ``k`` and ``top`` until a run changes the data (typical segments depend on consent, a run too).
    """
    return db.cached(f"lexical_page:{k}:{top}", lambda: _lexical(db, k, top))


def _lexical(db: Db, k: int | None, top: int) -> dict[str, Any]:
    run_id = latest(db, "lexical", "lexical_classes")
    if run_id is None:
        return {"run_id": None, "k": None, "final_k": None, "levels": [], "classes": [], "params": {}, "top": top}
    params = json.loads(db.value("SELECT params FROM runs WHERE run_id = ?", [run_id]) or "{}")
    classes = db.rows("SELECT * EXCLUDE (run_id) FROM lexical_classes WHERE run_id = ? ORDER BY k, class", [run_id])
    levels = sorted({c["k"] for c in classes})
    final_k = db.value("SELECT max(class) FROM class_terms WHERE run_id = ?", [run_id]) or max(levels)
    k = final_k if k is None else k
    if k not in levels:
        raise HTTPException(
            422, f"k={k}: the newest lexical run (#{run_id}) has partitions k = {', '.join(map(str, levels))}"
        )
    terms: dict[int, list[dict[str, Any]]] = {}
    for t in db.rows(
        "SELECT class, term, chi2, freq_in_class, share_in_class, pct FROM class_terms WHERE run_id = ? AND chi2 > 0"
        " QUALIFY row_number() OVER (PARTITION BY class ORDER BY chi2 DESC, term) <= ? ORDER BY class, chi2 DESC, term",
        [run_id, top],
    ):
        terms.setdefault(t.pop("class"), []).append(t)
    typical = _typical(db, run_id)
    writers = {w.pop("class"): w for w in db.rows(WRITERS_SQL, [run_id])}
    simple = all(c["crossed"] is None for c in classes)
    parts = _ancestors(classes, final_k, k) if simple and k != final_k else {}
    shown_classes = []
    for c in (c for c in classes if c["k"] == k):
        c = dict(c)
        if k == final_k:
            c.update(
                terms=terms.get(c["class"], []),
                typical=typical.get(c["class"], []),
                contains=[],
                writers=writers.get(c["class"]),
            )
        else:
            finals = sorted(f for f, a in parts.items() if a == c["class"])
            c.update(
                terms=[],
                typical=[],
                contains=[{"class": f, "terms": terms.get(f, [])[:8]} for f in finals],
                writers=None,
            )  # counted for the final classes only
        shown_classes.append(c)
    return {"run_id": run_id, "k": k, "final_k": final_k, "levels": levels, "simple": simple, "params": params,
            "top": top, "classes": shown_classes, "one_voice": ONE_VOICE}  # fmt: skip
