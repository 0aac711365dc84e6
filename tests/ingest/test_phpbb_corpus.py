"""The ADFD phpBB export (../shared/corpora) through the loader: counts computed here from the files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from chrysalide.ingest.loader import ingest
from chrysalide.store import Store

pytestmark = pytest.mark.corpora

_QUOTE_MARK = re.compile(r"\[quote\b|\[/quote[^\]]*\]", re.I)
# The markup this corpus uses (counted with grep); a bracketed remark like "[Anm: ...]" is text.
_ANY_TAG = re.compile(r"\[/?(?:b|i|u|url|img|size|color|list|\*|code|h\d|attachment)\b[^\]]*\]|<[^>]*>", re.I)


def _meta(path: Path) -> dict[str, str]:
    pairs = (line[3:].split(":", 1) for line in path.read_text("utf-8").splitlines() if line.startswith(".. "))
    return {k.strip(): v.strip() for k, v in pairs}


def _outside_quotes(body: str) -> str:
    """What a post says outside its quotes, by counting quote depth (independent of the importer)."""
    kept, depth, pos = [], 0, 0
    for m in _QUOTE_MARK.finditer(body):
        if depth == 0:
            kept.append(body[pos : m.start()])
        depth = depth + 1 if m.group().lower().startswith("[quote") else max(depth - 1, 0)
        pos = m.end()
    if depth == 0:
        kept.append(body[pos:])
    return "".join(kept)


@pytest.fixture(scope="module")
def adfd_posts() -> list[dict[str, str]]:
    root = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "adfd_phpbb_antidepressant_de"
    if not root.is_dir():
        pytest.skip(f"ADFD corpus not found at {root}")
    posts = []
    for meta in sorted((root / "content" / "imported").glob("*/*.meta")):
        info = _meta(meta)
        info["body"] = meta.with_suffix(".bb").read_text("utf-8")
        posts.append(info)
    return posts


def test_adfd_import(store: Store, corpora: Path, adfd_posts: list[dict[str, str]]) -> None:
    path = corpora / "adfd_phpbb_antidepressant_de"
    # Posts that are nothing but quotes are kept with empty own text and their quotes in quoted_text.
    only_quotes = [p for p in adfd_posts if not re.search(r"\w", _ANY_TAG.sub("", _outside_quotes(p["body"])))]
    kept = adfd_posts
    report = ingest(store, path, format="phpbb")
    con = store.con
    assert len(adfd_posts) == 824
    assert report.imported == len(kept) and report.rejected == 0
    assert con.execute("SELECT count(*) FROM messages").fetchone()[0] == len(kept)
    empty_own = {r[0] for r in con.execute("SELECT native_id FROM messages WHERE trim(text) = ''").fetchall()}
    assert empty_own == {p["postId"] for p in only_quotes} and len(empty_own) == 11
    topics = {p["topicId"] for p in adfd_posts}
    assert len(topics) == 141
    assert con.execute("SELECT count(*) FROM threads").fetchone()[0] == len(topics)
    registered = {p["authorId"] for p in kept if p["authorId"] != "1"}  # 1 = ANONYMOUS: guests
    # A guest who typed a name is a member of their own, marked as a guest (issue 15.5); one without is nobody.
    named_guests = {p["author"] for p in kept if p["authorId"] == "1" and p.get("author", "").strip()}
    members = len(registered) + len(named_guests)
    assert len(named_guests) == 14  # the three most active wrote 29, 23 and 17 posts
    assert con.execute("SELECT count(*) FROM members").fetchone()[0] == members
    assert con.execute("SELECT count(*) FROM members WHERE role = 'guest'").fetchone()[0] == len(named_guests)
    nameless = sum(p["authorId"] == "1" and not p.get("author", "").strip() for p in kept)
    assert con.execute("SELECT count(*) FROM messages WHERE member_id IS NULL").fetchone()[0] == nameless
    by_guest = con.execute(
        "SELECT count(*) FROM messages m JOIN members b USING (member_id) WHERE b.role = 'guest' GROUP BY member_id"
        " ORDER BY 1 DESC LIMIT 1"
    ).fetchone()[0]
    assert by_guest == max(sum(p["authorId"] == "1" and p["author"] == g for p in kept) for g in named_guests) == 29

    assert con.execute("SELECT count(*) FROM messages WHERE text ILIKE '%[quote%'").fetchone()[0] == 0
    with_quotes = {p["postId"] for p in kept if "[/quote" in p["body"].lower()}
    quoted = {r[0] for r in con.execute("SELECT native_id FROM messages WHERE quoted_text IS NOT NULL").fetchall()}
    assert quoted == with_quotes
    leaks = con.execute(
        "SELECT count(*) FROM messages WHERE length(quoted_text) > 40 AND contains(text, quoted_text)"
    ).fetchone()[0]
    assert leaks == 0

    names = {p["author"] for p in adfd_posts}
    (admin, posts), *_ = Counter(p["author"] for p in adfd_posts).most_common(1)  # PROVENANCE.md: the admin, 157
    assert posts == 157
    pseudonyms = {r[0] for r in con.execute("SELECT pseudonym FROM members").fetchall()}
    assert not pseudonyms & names
    assert not any(admin.casefold() in p.casefold() for p in pseudonyms)

    before = con.execute("SELECT count(*), sum(hash(text || coalesce(quoted_text, ''))) FROM messages").fetchone()
    again = ingest(store, path, format="phpbb")
    assert again.imported == 0 and again.duplicates == len(kept)
    assert (
        con.execute("SELECT count(*), sum(hash(text || coalesce(quoted_text, ''))) FROM messages").fetchone() == before
    )
    assert con.execute("SELECT count(*) FROM threads").fetchone()[0] == len(topics)
    assert con.execute("SELECT count(*) FROM members").fetchone()[0] == members
