"""How well the automatic codes of a database agree with its reviewers: the measure of the coder on *this* forum.

The accuracy figures of docs/coding.md come from the corpora the model learned from; on a forum of a kind it has
never seen, they fall (leaving a whole corpus out costs about 0.11 kappa). The review decisions measure the coder
where it is used. Each reviewer's decision (:func:`chrysalide.coding.review.decide`) records the part of the queue
its message came from (``sample`` in its run's parameters):

- ``audit``: drawn at random among the messages whose current code is automatic, whatever its confidence, in
  the order of ``hash(message_id + seed)`` (:func:`chrysalide.coding.review.queue_items`). The audit sample is
  every decided message up to the last audited one in that order: the messages decided before from the head of
  the queue (least certain) are skipped by the draw but belong to the sample, which would otherwise leave out the
  hardest codes as the review goes on; messages the reviewer skipped are not in it. Its agreement with the
  automatic codes estimates that of every automatic code of the database (an equal-probability sample; Cohen's
  kappa, Cohen 1960, with its percentile bootstrap interval, Efron & Tibshirani 1993, from :data:`MIN_KAPPA`
  decisions). The codes not awaiting review are also measured apart: the coder's claim that they can be
  trusted, checked on this forum;
- ``uncertain``: the head of the queue, the codes the coder is least sure of: their agreement says how much the
  review corrects, not how good the codes are;
- ``unrecorded``: decisions stored without their part of the queue (by an earlier version, or by a script
  calling ``decide`` without it).

The identical copies of a message that the dashboard decides with it (``copy``) count only where the draw
reached them.

Each decision is compared with the message's current automatic code (the newest model code, else the newest
lexicon code: ``current_codes``' order without the human decisions), so coding again with another model measures
that model. The reviewer sees the automatic code before deciding, which may pull decisions toward it (anchoring):
the trained coders of docs/coding.md coded blind, so the two figures are not strictly comparable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from chrysalide.coding.metrics import bootstrap, cohen_kappa

AUDIT, UNCERTAIN, UNRECORDED, COPY = "audit", "uncertain", "unrecorded", "copy"
#: How a user measures the coder on their own database.
MEASURE_HINT = "`chrysalide review --n 0 --audit 100` reviews 100 random codes and measures the coder on this database"
#: Fewer decisions than this give no kappa (its interval would span most of [-1, 1]).
MIN_KAPPA = 20

#: Each message's newest decision and the part of the queue it came from (``decisions``), and for each seed of an
#: audit the draw order's position of its last audited message (``reached``): every decided message up to it, in
#: the order of ``hash(message_id + seed)``, is in the audit's sample.
DECISIONS_SQL = """
decisions AS (
    SELECT c.message_id, c.primary_code AS reviewed,
           coalesce(json_extract_string(r.params, '$.sample'), 'unrecorded') AS sample,
           coalesce(TRY_CAST(json_extract(r.params, '$.seed') AS BIGINT), 0) AS seed
    FROM codes c JOIN runs r USING (run_id)
    WHERE c.origin = 'human'
    QUALIFY row_number() OVER (PARTITION BY c.message_id ORDER BY c.decided_at DESC, c.run_id DESC) = 1
), reached AS (
    SELECT seed, max(hash(message_id + seed)) AS last FROM decisions WHERE sample = 'audit' GROUP BY seed
)"""
#: Whether the audit's draw reached a decided message ``d``.
DRAWN = "EXISTS (SELECT 1 FROM reached e WHERE hash(d.message_id + e.seed) <= e.last)"
#: Each decision, whether the audit's draw reached it, and the message's current automatic code.
AGREEMENT_SQL = f"""
WITH {DECISIONS_SQL}, automatic AS (
    SELECT message_id, primary_code AS coded, {{flag}} AS awaits_review
    FROM codes
    WHERE origin <> 'human' AND message_id IN (SELECT message_id FROM decisions)
    QUALIFY row_number() OVER (PARTITION BY message_id
                               ORDER BY CASE origin WHEN 'model' THEN 0 ELSE 1 END, decided_at DESC, run_id DESC) = 1
)
SELECT d.sample, {DRAWN} AS drawn, d.reviewed, a.coded, a.awaits_review
FROM decisions d JOIN automatic a USING (message_id)
ORDER BY d.message_id
"""


@dataclass(frozen=True)
class Agreement:
    """The automatic codes against the reviewers' decisions on one part of the queue."""

    sample: str
    n: int
    agreed: int
    #: (point, low, high) from :data:`MIN_KAPPA` decisions, else None.
    kappa: tuple[float, float, float] | None
    #: Of these, the codes that did not await review (None where the store does not flag codes).
    confident_n: int | None = None
    confident_agreed: int | None = None

    @property
    def share(self) -> float:
        """The share of decisions that kept the automatic code."""
        return self.agreed / self.n if self.n else float("nan")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _kappa(gold: list[str], pred: list[str]) -> dict[str, float]:
    return {"kappa": cohen_kappa(gold, pred)}


def review_agreement(con: Any, *, n_boot: int = 1000, seed: int = 0) -> dict[str, Agreement]:
    """The automatic codes against the reviewers' decisions, by part of the queue (the parts with decisions only).

    ``con``: a connection or cursor on the store.
    """
    from chrysalide.coding.review import flags_review

    flag = "needs_review" if flags_review(con) else "NULL::BOOLEAN"
    rows = con.execute(AGREEMENT_SQL.format(flag=flag)).fetchall()
    parts = {AUDIT: [r[2:] for r in rows if r[1]]}
    parts |= {sample: [r[2:] for r in rows if r[0] == sample] for sample in (UNCERTAIN, UNRECORDED)}
    out: dict[str, Agreement] = {}
    for sample, part in parts.items():
        if not part:
            continue
        reviewed, coded = [r[0] for r in part], [r[1] for r in part]
        kappa = bootstrap(reviewed, coded, _kappa, n_boot, seed)["kappa"] if len(part) >= MIN_KAPPA else None
        confident = [r for r in part if r[2] is False]
        flagged = any(r[2] is not None for r in part)
        out[sample] = Agreement(
            sample, len(part), sum(r[0] == r[1] for r in part), kappa,
            len(confident) if flagged else None, sum(r[0] == r[1] for r in confident) if flagged else None,
        )  # fmt: skip
    return out


def describe(agreement: Agreement) -> str:
    """One sentence for a terminal or a report: "random audit: 120 codes, 84% kept, kappa 0.71 [0.61, 0.80] ..."."""
    label = {AUDIT: "random audit", UNCERTAIN: "least certain codes", UNRECORDED: "decisions of unrecorded origin"}
    text = f"{label[agreement.sample]}: {agreement.n:,} code(s) reviewed, {agreement.share:.0%} kept"
    if agreement.kappa is not None:
        point, low, high = agreement.kappa
        text += f", kappa {point:.2f} [{low:.2f}, {high:.2f}]"
    elif agreement.sample == AUDIT:
        text += f" (kappa from {MIN_KAPPA} decisions)"
    if agreement.sample == AUDIT and agreement.confident_n:
        text += (f"; of the {agreement.confident_n:,} not awaiting review, "
                 f"{(agreement.confident_agreed or 0) / agreement.confident_n:.0%} kept")  # fmt: skip
    return text
