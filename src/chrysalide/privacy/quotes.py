"""Consent-gated quotes and contact scrubbing: what every output calls before showing message text.

``quote`` is the single gate for verbatim text (report, exports, dashboard). ``scrub_contacts``
removes e-mail addresses, phone numbers and personal profile URLs, which pseudonymisation at ingest
does not catch (it replaces members' *names*), from any text that leaves the tool.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from chrysalide.privacy.consent import ConsentMap, load_consent

if TYPE_CHECKING:
    from chrysalide.store import Store

WITHHELD = "[quote withheld: no consent]"
#: ``consented``: verbatim text only for members who granted quoting. ``all-pseudonymised``: the
#: (pseudonymised, contact-scrubbed) text of every member who is not excluded.
QUOTE_MODES = ("consented", "all-pseudonymised")

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"
PROFILE_MARK = "[profile-url]"

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+"
    r"(?:@|\s*[\[(]\s*(?:at|arobase)\s*[\])]\s*)"
    r"[\w-]+(?:(?:\.|\s*[\[(]\s*(?:dot|point)\s*[\])]\s*)[\w-]+)+",
    re.IGNORECASE,
)
# International (+33 6 12 34 56 78), national with a trunk 0 (06.12.34.56.78, 0612345678), and the
# North-American 555-123-4567 / (555) 123-4567. Dates (2017-03-12, 03/12/2017), doses and lab values
# do not match: they start with another digit, use '/', or have too few digits.
_PHONE = re.compile(
    r"(?<![\w+.,/-])(?:"
    r"\+\d{1,3}(?:[ .-]?\(0\))?(?:[ .-]?\d){7,12}"
    r"|0\d(?:[ .-]?\d){7,11}"
    r"|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}"
    r"|\d{3}[.-]\d{3}[.-]\d{4}"
    r")(?![\w,/-]|\.\d)"
)
_DIGIT = re.compile(r"\d")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+", re.IGNORECASE)
_SOCIAL_HOSTS = (
    "facebook.com", "fb.com", "twitter.com", "x.com", "instagram.com", "linkedin.com", "tiktok.com",
    "youtube.com", "pinterest.com", "snapchat.com", "threads.net", "mastodon.social", "vk.com",
)  # fmt: skip
_PROFILE_PATH = re.compile(
    r"/(?:u|user|users|member|members|membre|membres|profile|profiles|profil|people|author|auteur|in)"
    r"(?:/|\.php|$|\?)|/@|/~|[?&](?:u|uid|user|username|user_id|name|email|mail)=",
    re.IGNORECASE,
)
_HOST = re.compile(r"^(?:https?://)?(?:([^/@]*)@)?([^/:?#]*)", re.IGNORECASE)


def _is_personal_url(url: str) -> bool:
    """A URL that identifies a person: a social profile, a forum profile page, credentials in it."""
    host_match = _HOST.match(url)
    assert host_match is not None  # every part of the pattern is optional
    if host_match.group(1) is not None:
        return True  # user:password@host
    host = host_match.group(2).lower()
    rest = url[host_match.end() :]
    if any(host == h or host.endswith("." + h) for h in _SOCIAL_HOSTS) and rest.strip("/"):
        return True
    return bool(_PROFILE_PATH.search(rest))


def _url(match: re.Match[str]) -> str:
    url = match.group(0)
    return PROFILE_MARK if _is_personal_url(url) else url


def scrub_contacts(text: str | None) -> str | None:
    """Replace e-mail addresses, phone numbers and personal profile URLs with placeholders."""
    if not text:
        return text
    if "http" in text or "www." in text or "WWW." in text:
        text = _URL.sub(_url, text)
    if "@" in text or "(" in text or "[" in text:
        text = _EMAIL.sub(EMAIL_MARK, text)
    if _DIGIT.search(text):  # C-speed pre-check: most messages hold no phone-like digits
        text = _PHONE.sub(PHONE_MARK, text)
    return text


def _consent(store_or_consent: Store | ConsentMap) -> ConsentMap:
    return store_or_consent if isinstance(store_or_consent, ConsentMap) else load_consent(store_or_consent)


def quote(store_or_consent: Store | ConsentMap, member_id: int | None, text: str | None) -> str:
    """The message text (contacts scrubbed) when its author allows quoting, else :data:`WITHHELD`.

    Pass a :class:`ConsentMap` (``load_consent(store)``) when quoting many messages: with a store the
    consent table is read at every call. Messages of no member (guests, deleted accounts) cannot
    have consented and are withheld.
    """
    if text is None or not _consent(store_or_consent).quotable(member_id):
        return WITHHELD
    return scrub_contacts(text) or ""


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
    return scrub_contacts(text)
