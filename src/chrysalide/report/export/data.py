"""What every export reads: messages with their thread, member, current code and consent-gated text.

Privacy rules applied here, once, for every exporter (docs/privacy.md):
- members who are excluded (scope ``exclude``, or consent refused / withdrawn) are left out entirely;
- under ``--quotes consented`` the text of members who did not grant quoting becomes
  ``[quote withheld: no consent]`` (``withheld`` is True); under ``all-pseudonymised`` every remaining
  text is exported as stored (names already pseudonymised at ingest);
- every exported text has e-mail addresses, phone numbers and profile URLs scrubbed;
- under ``--quotes consented`` the source's own post and thread ids, which link a message to its public
  post, are replaced by the store's ids (``native_id`` becomes the message id, ``thread_native`` the
  thread id).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from chrysalide.errors import ConfigError
from chrysalide.privacy.consent import ConsentMap, load_consent
from chrysalide.privacy.quotes import QUOTE_MODES, WITHHELD, scrub_contacts
from chrysalide.report.authors import author_status_sql
from chrysalide.store import Store

_QUERY = f"""
SELECT m.message_id, m.native_id, m.thread_id, t.native_id AS thread_native, t.board,
       t.title AS thread_title, o.member_id AS opener_id, t.started_at, m.member_id, mb.pseudonym, mb.role,
       {author_status_sql("m")} AS author_status, mb.registered_at, m.posted_at, m.position_in_thread, m.reply_to_id, m.text, m.title,
       coalesce(m.lang, tf.lang) AS lang, c.primary_code, c.secondary_codes, c.decentered, c.confidence,
       c.origin, c.coder, c.decided_at, c.run_id AS code_run_id
FROM messages m
JOIN threads t USING (thread_id)
LEFT JOIN members mb USING (member_id)
LEFT JOIN text_features tf USING (message_id)
LEFT JOIN current_codes c USING (message_id)
LEFT JOIN thread_order o ON o.thread_id = m.thread_id AND o.pos = 0
ORDER BY t.started_at NULLS LAST, m.thread_id, m.position_in_thread NULLS LAST, m.posted_at, m.message_id
"""


@dataclass
class ExportCounts:
    """What the privacy gate did, reported by every export."""

    messages: int = 0
    withheld: int = 0
    excluded_messages: int = 0
    excluded_members: int = 0


def check_mode(quotes: str) -> str:
    if quotes not in QUOTE_MODES:
        raise ConfigError(f"--quotes must be one of {', '.join(QUOTE_MODES)}, not {quotes!r}")
    return quotes


def gated_series(texts: pd.Series, allowed: pd.Series, consent: ConsentMap) -> pd.Series:
    """Scrubbed text where ``allowed``, excluded members' pseudonyms unnamed (:meth:`ConsentMap.unnamed`), the
    withheld placeholder elsewhere; missing stays missing."""
    out = pd.Series(WITHHELD, index=texts.index, dtype="object")
    keep = allowed.fillna(False).astype(bool)
    out[keep] = np.array(
        [consent.unnamed(scrub_contacts(t)) if isinstance(t, str) else t for t in texts[keep]], dtype=object
    )
    out[texts.isna()] = None
    return out


def allowed_mask(member_ids: pd.Series, consent: ConsentMap, quotes: str) -> pd.Series:
    """Which rows may carry text under ``quotes``."""
    if quotes == "all-pseudonymised":
        return pd.Series(True, index=member_ids.index)
    return member_ids.isin(consent.quotable_ids())


def export_messages(store: Store, quotes: str = "consented") -> tuple[pd.DataFrame, ExportCounts]:
    """Messages ready to export, in thread order, with ``withheld`` telling which texts were gated."""
    check_mode(quotes)
    consent = load_consent(store)
    frame = store.con.execute(_QUERY).df()
    counts = ExportCounts()
    excluded = consent.excluded_ids()
    drop = frame["member_id"].isin(excluded)
    counts.excluded_messages = int(drop.sum())
    counts.excluded_members = int(frame.loc[drop, "member_id"].nunique())
    gone = frame.loc[drop, "message_id"]
    frame = frame[~drop].reset_index(drop=True)
    # An answer to an excluded member's message no longer names it: its id would lead to their post.
    frame["reply_to_id"] = frame["reply_to_id"].mask(frame["reply_to_id"].isin(gone))
    allowed = allowed_mask(frame["member_id"], consent, quotes)
    frame["withheld"] = ~allowed
    frame["text"] = gated_series(frame["text"], allowed, consent)
    frame["title"] = gated_series(frame["title"], allowed, consent)
    # A thread's title is its first message's author's text (a guest's too: threads.starter_id is the first
    # *member*): withheld with it. The source's thread and post ids lead to the public post and its user name
    # (patient.info ids are URLs with the title's words): an export meant to leave the machine carries our
    # own ids instead; a local, all-pseudonymised export keeps them where the text is shown.
    opener_ok = allowed_mask(frame["opener_id"], consent, quotes) & ~frame["opener_id"].isin(excluded)
    frame["thread_title"] = gated_series(frame["thread_title"], opener_ok, consent)
    if quotes == "consented":
        frame["native_id"] = frame["message_id"].astype(str)
        frame["thread_native"] = frame["thread_id"].astype(str)
    else:
        # pandas-stubs reject None as `other`, which pandas takes (the missing value of an object column)
        frame["native_id"] = frame["native_id"].where(allowed & opener_ok, None)  # type: ignore[call-overload]
        frame["thread_native"] = frame["thread_native"].where(opener_ok, None)  # type: ignore[call-overload]
    counts.messages = len(frame)
    counts.withheld = int(frame["withheld"].sum())
    return frame, counts


def withheld_notice(counts: ExportCounts, quotes: str) -> str | None:
    """One line when most texts were withheld for lack of consent, naming the option that includes them."""
    if quotes != "consented" or not counts.messages or counts.withheld * 2 <= counts.messages:
        return None
    return (
        f"{counts.withheld:,} of {counts.messages:,} message texts ({counts.withheld / counts.messages:.0%}) are"
        " withheld: their authors have not granted quoting (`chrysalide consent import`); --quotes"
        " all-pseudonymised exports the pseudonymised text of every member who is not excluded"
    )


def require_texts(counts: ExportCounts, quotes: str, what: str) -> None:
    """Refuse an export that would hold no message text at all: an empty file helps nobody."""
    if counts.messages == 0:
        raise ConfigError(f"nothing to export as {what}: no message in the store (run `chrysalide ingest` first)"
                          if counts.excluded_messages == 0 else
                          f"nothing to export as {what}: every member is excluded by their consent")  # fmt: skip
    if counts.messages == counts.withheld:
        raise ConfigError(
            f"nothing to export as {what}: all {counts.messages:,} message texts are withheld under --quotes"
            f" {quotes} (no member has granted quoting: `chrysalide consent import FILE`); use --quotes"
            " all-pseudonymised for the pseudonymised text of every member who is not excluded"
        )
