"""Consent-gated quotes and contact scrubbing: what every output calls before showing message text.

``quote`` is the single gate for verbatim text (report, exports, dashboard). ``scrub_contacts``
(:mod:`chrysalide.privacy.contacts`) removes e-mail addresses, phone numbers and personal profile URLs;
ingest already replaces them in the stored text, and every text that leaves the tool goes through it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chrysalide.privacy.consent import ConsentMap, load_consent
from chrysalide.privacy.contacts import EMAIL_MARK, PHONE_MARK, PROFILE_MARK, scrub_contacts

if TYPE_CHECKING:
    from chrysalide.store import Store

# The placeholders and scrub_contacts are re-exported: outputs import them from here.
__all__ = ["EMAIL_MARK", "PHONE_MARK", "PROFILE_MARK", "QUOTE_MODES", "WITHHELD", "gate_text", "is_excluded"]
__all__ += ["quote", "scrub_contacts"]

WITHHELD = "[quote withheld: no consent]"
#: ``consented``: verbatim text only for members who granted quoting. ``all-pseudonymised``: the
#: (pseudonymised, contact-scrubbed) text of every member who is not excluded.
QUOTE_MODES = ("consented", "all-pseudonymised")


def _consent(store_or_consent: Store | ConsentMap) -> ConsentMap:
    return store_or_consent if isinstance(store_or_consent, ConsentMap) else load_consent(store_or_consent)


def quote(store_or_consent: Store | ConsentMap, member_id: int | None, text: str | None) -> str:
    """The message text (contacts scrubbed) when its author allows quoting, else :data:`WITHHELD`.

    Pass a :class:`ConsentMap` (``load_consent(store)``) when quoting many messages: with a store the
    consent table is read at every call. Messages of no member (guests, deleted accounts) cannot
    have consented and are withheld.
    """
    consent = _consent(store_or_consent)
    if text is None or not consent.quotable(member_id):
        return WITHHELD
    return consent.unnamed(scrub_contacts(text) or "")


def is_excluded(store_or_consent: Store | ConsentMap, member_id: int | None) -> bool:
    """True when the member refused or withdrew consent, or asked to be excluded: leave them out."""
    return _consent(store_or_consent).excluded(member_id)


def gate_text(consent: ConsentMap, member_id: int | None, text: str | None, mode: str = "consented") -> str | None:
    """What an export writes for one text: scrubbed text, or :data:`WITHHELD` under ``consented``.

    ``None`` stays ``None`` (no title, no quoted text). Excluded members get :data:`WITHHELD` in every
    mode; exporters leave their rows out altogether before reaching here.
    """
    if mode not in QUOTE_MODES:
        raise ValueError(f"quotes mode must be one of {QUOTE_MODES}, not {mode!r}")
    if text is None:
        return None
    if consent.excluded(member_id):
        return WITHHELD
    if mode == "consented":
        return quote(consent, member_id, text)
    return consent.unnamed(scrub_contacts(text))
