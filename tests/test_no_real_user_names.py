"""No file of the repository names a member of the real corpora.

The corpora of ../shared/corpora are health-forum data that may not be redistributed, and their members' user
names identify patients: the project pseudonymises them, so its own docs, code, tests and data must not quote
them either (examples use made-up names of the same shape). The user names are read here from each corpus's
author fields as its PROVENANCE.md describes them; corpora whose authors are hashes or absent have none to read.
A name counts as a whole word, case-insensitively, in every file ``git ls-files`` lists (gzip files unpacked).
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.corpora, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
#: Shorter names are words or initials in every language ("Tim", "sly", "KR").
MIN_LEN = 4
#: Real user names that are also ordinary words, common first names or labels, each found in the repository for
#: that other meaning.
ALLOWED = {
    "return",  # a Doctissimo profile; Python's keyword
    "courage",  # an ADFD name; a French and English word, in the codebook and the demo phrases
    "guest",  # patient.info's label for a poster without an account, not a member
    "elle",  # a Fiv.fr name; the French pronoun the scrubber spares
    "automoderator",  # Reddit's moderation bot, whose messages the analyses set apart
    "hotlinehelpbot",  # a program posting a list of hotlines on r/mentalhealth, a bot account set apart (0024)
    "anon",  # a patient.info name; a word ("anon" as a body in a CSV fixture)
    "12345",  # an ADFD name; digits the docs give as the name that reads as a number
    "thomas",  # an ADFD name; a common first name, the example of a name that is also a German word
    "elizabeth",  # a Fiv.fr name; a common first name, the example of a name one letter from another
    "unbestimmt",  # an ADFD name; the German adjective ("undetermined")
    "espoire",  # a Fiv.fr name; the misspelt French word the docs cite as a word taken for a name
    "yaniv",  # a Doctissimo profile; the cited author El-Yaniv (Geifman & El-Yaniv 2017)
}


def _csv_column(path: Path, column: str, delimiter: str = ",") -> Iterator[str]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        for row in csv.DictReader(f, delimiter=delimiter):
            yield row.get(column) or ""


def _values(node: object, key: str) -> Iterator[str]:
    """Every string under ``key`` in nested JSON."""
    if isinstance(node, dict):
        if isinstance(node.get(key), str):
            yield node[key]
        for value in node.values():
            yield from _values(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value, key)


def real_user_names(corpora: Path) -> set[str]:
    """The user names of the corpora's members, casefolded (removal markers and short names left out)."""
    names: list[str] = []
    for meta in (corpora / "adfd_phpbb_antidepressant_de").rglob("*.meta"):
        lines = meta.read_text(encoding="utf-8", errors="replace").splitlines()
        names += [line.split(":", 1)[1] for line in lines if line.startswith(".. author:")]
    names += _csv_column(corpora / "fivfr_pma_forum_fr" / "assets" / "data_psychopma.csv", "Utilisateur")
    for url in _csv_column(corpora / "doctissimo_ivg_threadstarts_fr" / "IVG.csv", "?creatorPost", ";"):
        names += re.findall(r"club\.doctissimo\.fr/([^/>]+)", url)
    pinfo = corpora / "patientinfo_inflammation_en" / "forum_extraction_scripts" / "patient-info_forums.json"
    names += _values(json.loads(pinfo.read_text(encoding="utf-8")), "user")
    for path in (corpora / "reddit_bpd_communities_en").rglob("*.csv"):
        names += _csv_column(path, "Author")
    names += _csv_column(corpora / "reddit_breastcancer_en" / "q4_tw_rd" / "data" / "data_reddit.csv", "user_id")
    names += _csv_column(corpora / "reddit_mentalhealth_comments_en" / "reddit_post_comments.csv", "author")
    # r/covidlonghaulers' authors are hashes, but a profile's own subreddit is "u_<user name>".
    for path in (corpora / "reddit_covidlonghaulers_userhistories_en").rglob("*.json"):
        subreddits = _values(json.loads(path.read_text(encoding="utf-8")), "subreddit")
        names += [s[2:] for s in subreddits if s.startswith("u_")]
    markers = {"none", "[deleted]", "[removed]", "n/a"}
    return {n.strip().casefold() for n in names if len(n.strip()) >= MIN_LEN} - markers


def tracked_texts(root: Path) -> Iterator[tuple[str, str]]:
    """(path, text) of each file git tracks under ``root``; binary files other than gzip are skipped."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        path = root / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if name.endswith(".gz"):
            data = gzip.decompress(data)
        if b"\0" not in data:
            yield name, data.decode("utf-8", errors="replace")


def names_in_files(names: set[str], root: Path) -> dict[str, set[str]]:
    """{path: the names found in it as whole words}."""
    single = {n for n in names if re.fullmatch(r"\w+", n)}
    # Names of several parts ("jonas wien", "dry-drawing-4821") by their first part: looked for in a file only
    # where all their parts are words of it.
    by_first: dict[str, list[tuple[str, set[str]]]] = {}
    for name in names - single:
        parts = re.findall(r"\w+", name)
        if parts:
            by_first.setdefault(parts[0], []).append((name, set(parts)))
    found: dict[str, set[str]] = {}
    for path, text in tracked_texts(root):
        text = text.casefold()
        words = set(re.findall(r"\w+", text))
        hits = words & single
        for first in words & by_first.keys():
            hits |= {
                name
                for name, parts in by_first[first]
                if parts <= words and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
            }
        if hits - ALLOWED:
            found[path] = hits - ALLOWED
    return found


@pytest.fixture(scope="module")
def names(corpora: Path) -> set[str]:
    return real_user_names(corpora)


def test_the_names_are_read(names: set[str]) -> None:
    # PROVENANCE.md: 108 ADFD authors, 1,600 Doctissimo IVG, 273 patient.info, 15,813 r/BPD, 2,427 r/breastcancer,
    # 6,312 r/mentalhealth; many names are in several corpora.
    assert 25_000 < len(names) < 27_000
    assert ALLOWED <= names  # an entry no corpus holds any more should go


def test_no_tracked_file_holds_a_real_user_name(names: set[str]) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no list of tracked files")
    found = names_in_files(names, ROOT)
    assert not found, {path: sorted(hits)[:5] for path, hits in found.items()}
