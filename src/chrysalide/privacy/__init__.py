"""Pseudonymisation, name scrubbing and consent gating: health data stays protected."""

from chrysalide.privacy.consent import Consent, ConsentMap, import_consent, load_consent
from chrysalide.privacy.keys import store_key
from chrysalide.privacy.pseudonyms import Pseudonymiser
from chrysalide.privacy.quotes import WITHHELD, gate_text, is_excluded, quote, scrub_contacts
from chrysalide.privacy.scrubber import NameScrubber

__all__ = [
    "WITHHELD",
    "Consent",
    "ConsentMap",
    "NameScrubber",
    "Pseudonymiser",
    "gate_text",
    "import_consent",
    "is_excluded",
    "load_consent",
    "quote",
    "scrub_contacts",
    "store_key",
]
