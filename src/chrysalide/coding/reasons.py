"""Why codes await review, told from the coding step's own flags (docs/coding.md, "Languages").

A code awaits review (``needs_review``) for one of two reasons: the coder did not learn the message's language
(``lang_learned`` false: fewer than ``coding.model.MIN_LANGUAGE_MESSAGES`` coded messages of it, so its confidence there was never measured and every such code is flagged, whatever its confidence), or
its confidence is below the review threshold. Codes in a language the codebook has no markers for
(``lang_supported`` false) are counted beside: their lexicon features come from other markers. The ``code``
command reads these counts from its run's summary, the report and the dashboard's review page from the current
codes (:func:`awaits` is the SQL rule of each reason, which both count and the review queue filters by).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The reasons a code awaits review, each with the words the report and the dashboard say it in.
REASONS = {
    "unlearned": "a language the model did not learn",
    "unsure": "confidence below the threshold",
    "unrecorded": "reason not recorded (coded before the store kept each code's language)",
}

# A code awaiting review has exactly one reason: a human decision never awaits review, and a code written before
# migration 0014 has no recorded language (lang_learned NULL).
_RULES = {
    "unlearned": "NOT {c}.lang_learned",
    "unsure": "{c}.needs_review AND {c}.lang_learned",
    "unrecorded": "{c}.needs_review AND {c}.lang_learned IS NULL AND {c}.origin <> 'human'",
}


def awaits(reason: str, codes: str = "c") -> str:
    """SQL condition: the code in rows ``codes`` (of ``codes`` or ``current_codes``) awaits review for ``reason``."""
    if reason not in _RULES:
        raise ValueError(f"unknown review reason {reason!r} (one of: {', '.join(REASONS)})")
    return _RULES[reason].format(c=codes)


def reason_of(codes: str = "c") -> str:
    """SQL expression: the reason the code in rows ``codes`` awaits review (a key of :data:`REASONS`), else NULL."""
    cases = " ".join(f"WHEN {awaits(r, codes)} THEN '{r}'" for r in REASONS)
    return f"CASE {cases} END"


def by_language(counts: Mapping[str, int]) -> str:
    """``{"de": 777, "it": 1}`` -> ``de 777, it 1`` (most messages first)."""
    return ", ".join(f"{lang} {n:,}" for lang, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True)
class ReviewReasons:
    """How many codes are confident and how many await review, and why.

    ``unlearned``: codes in a language the model did not learn, by language (all await review);
    ``no_markers``: codes in a language the codebook has no markers for, by language; ``unrecorded``: codes
    awaiting review that were written before the store kept each code's language, whose reason is unknown.
    """

    confident: int
    awaiting: int
    unlearned: dict[str, int] = field(default_factory=dict)
    no_markers: dict[str, int] = field(default_factory=dict)
    unrecorded: int = 0

    @property
    def not_learned(self) -> int:
        """Codes awaiting review because the model did not learn their language."""
        return sum(self.unlearned.values())

    @property
    def unsure(self) -> int:
        """Codes awaiting review for their confidence alone (below the threshold, in a language learned)."""
        return self.awaiting - self.not_learned - self.unrecorded

    @classmethod
    def of_run(cls, summary: Mapping[str, Any]) -> ReviewReasons:
        """The counts of one coding run, from its summary."""
        awaiting = int(summary.get("needs_review") or 0)
        return cls(int(summary.get("coded") or 0) - awaiting, awaiting,
                   dict(summary.get("unlearned_languages") or {}), dict(summary.get("unsupported_languages") or {}))  # fmt: skip

    def describe(self) -> str:
        """One line: how many codes await review and why, then the codes in a language without markers."""
        parts = []
        if self.unlearned:
            parts.append(f"{self.not_learned:,} in a language the model did not learn ({by_language(self.unlearned)})")
        if self.unsure or not parts:
            parts.append(f"{self.unsure:,} with a confidence below the threshold")
        if self.unrecorded:
            parts.append(f"{self.unrecorded:,} coded before the store kept each code's language (reason unknown)")
        text = f"{_codes(self.awaiting)} {'awaits' if self.awaiting == 1 else 'await'} review: {'; '.join(parts)}"
        if self.no_markers:
            n = sum(self.no_markers.values())
            text += f". {_codes(n)} in a language the codebook has no markers for ({by_language(self.no_markers)})"
        return text


def _codes(n: int) -> str:
    """'1 code', '2,000 codes'."""
    return f"{n:,} code" if n == 1 else f"{n:,} codes"


def review_reasons(con: Any) -> ReviewReasons:
    """The counts of the current codes (view ``current_codes``); a code's language is the one its coder read
    (``coded_lang``), the message's for codes written before the store kept it."""
    row = con.execute(
        "SELECT count(*) FILTER (NOT c.needs_review), count(*) FILTER (c.needs_review),"
        f" count(*) FILTER ({awaits('unrecorded')}) FROM current_codes c"
    ).fetchone()
    per_lang = (
        "SELECT coalesce(c.coded_lang, m.lang, 'und') AS lang, count(*) FROM current_codes c"
        " LEFT JOIN messages m USING (message_id) WHERE {} GROUP BY 1"
    )
    unlearned = dict(con.execute(per_lang.format(awaits("unlearned"))).fetchall())
    no_markers = dict(con.execute(per_lang.format("NOT c.lang_supported")).fetchall())
    confident, awaiting, unrecorded = (int(v or 0) for v in row) if row else (0, 0, 0)
    return ReviewReasons(confident, awaiting, unlearned, no_markers, unrecorded)
