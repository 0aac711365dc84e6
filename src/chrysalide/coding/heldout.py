"""Messages reserved for independent evaluation (``HELDOUT_IDS.txt``): never train or tune on them.

The file lists, tab-separated: corpus folder, native id (or '-'), the first 60 characters of the text with
whitespace collapsed, and the sha256 of the text's first 2,500 characters, lower-cased, every whitespace run
replaced by one space, stripped. A message is held out if its id, its prefix or its hash matches.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from chrysalide.errors import InputError

_WS = re.compile(r"\s+")


def text_hash(text: str) -> str:
    """The held-out hash of a text: sha256 of its first 2,500 characters, lower-cased, spaces collapsed."""
    canonical = _WS.sub(" ", str(text)[:2500].lower()).strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _prefix(text: str) -> str:
    return _WS.sub(" ", str(text)).strip()[:60]


@dataclass(frozen=True)
class HeldOut:
    """The reserved messages: ids per corpus folder, 60-character prefixes and text hashes."""

    ids: frozenset[tuple[str, str]]
    prefixes: frozenset[str]
    hashes: frozenset[str]

    @classmethod
    def nothing(cls) -> HeldOut:
        """No message reserved (training without a held-out list)."""
        return cls(frozenset(), frozenset(), frozenset())

    @classmethod
    def read(cls, path: str | Path) -> HeldOut:
        """Parse a HELDOUT_IDS.txt file (comment lines start with '#')."""
        ids, prefixes, hashes = set(), set(), set()
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(f"{path}: cannot read held-out list: {exc.strerror or exc}") from exc
        for no, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 4 or len(parts[3]) != 64:
                raise InputError(f"{path}: line {no}: expected 4 tab-separated fields ending with a sha256")
            folder, native, prefix, digest = parts
            if native != "-":
                ids.add((folder, native))
            if prefix.strip():
                prefixes.add(prefix.strip())
            hashes.add(digest.lower())
        return cls(frozenset(ids), frozenset(prefixes), frozenset(hashes))

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """True for each row of ``frame`` (columns ``text``, optional ``uid`` and ``corpus_folder``) held out."""
        texts = frame["text"].fillna("").astype(str)
        held = texts.map(text_hash).isin(self.hashes)
        # A 60-character prefix identifies a text only when it is long enough to be distinctive.
        prefixes = texts.map(_prefix)
        held |= prefixes.isin(self.prefixes) & (prefixes.str.len() >= 40)
        if "uid" in frame and "corpus_folder" in frame:
            native = frame["uid"].astype(str).str.split(":", n=1).str[-1]
            pairs = list(zip(frame["corpus_folder"].astype(str), native, strict=True))
            held |= pd.Series([p in self.ids for p in pairs], index=frame.index)
        return held

    def drop(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` without its held-out rows."""
        return frame.loc[~self.mask(frame)].copy()
