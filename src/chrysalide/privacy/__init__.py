"""Pseudonymisation, name scrubbing and consent gating: health data stays protected."""

from chrysalide.privacy.pseudonyms import NameScrubber, Pseudonymiser, load_key

__all__ = ["NameScrubber", "Pseudonymiser", "load_key"]
