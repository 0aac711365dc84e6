"""A Reddit profile's own subreddit ("u_<user name>") names its user: no board, text, record or export keeps it.

Regression: r/covidlonghaulers' user histories gave 34 boards such as ``u_Curious_Garden412`` (a made-up
name; 102 messages by 19 members), and the default CSV export tied them to member ids. Expected pseudonyms are
the documented HMAC (docs/privacy.md) computed here with ``hmac``; raw names are read from the raw files.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

import pytest

from chrysalide.ingest import ingest
from chrysalide.report.export import export_csv, export_iramuteq
from chrysalide.store import Store

POSTS = [
    {"id": "p1", "title": "My diary", "selftext": "day one", "author": "karen2727", "subreddit": "u_karen2727"},
    {"id": "p2", "title": "Hi", "selftext": "see r/u_Stranger_42", "author": "karen2727", "subreddit": "u_Stranger_42"},
    {"id": "p3", "title": "Brain fog", "selftext": "ask r/u_nobody_here", "author": "bob_77", "subreddit": "covidlonghaulers"},
    {"id": "c1", "body": "hugs", "link_id": "t3_p1", "parent_id": "t3_p1", "author": "bob_77", "subreddit": "u_KAREN2727"},
    {"id": "c2", "body": "[Tare](https://hodzictarik.ml)", "link_id": "t3_p3", "parent_id": "t3_p3",
     "author": "tarik03300", "subreddit": "covidlonghaulers"},
]  # fmt: skip
RAW_NAMES = ("karen2727", "stranger_42")


def _dump(folder: Path) -> Path:
    path = folder / "dump.ndjson"
    lines = [json.dumps({**post, "created_utc": 1_600_000_000 + 100 * i}) for i, post in enumerate(POSTS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pseudonym(key_file: Path, source: str, name: str) -> str:
    key = key_file.read_bytes()
    return "M-" + hmac.new(key, f"{source}\x1fname:{name}".encode(), hashlib.sha256).hexdigest()[:10]


def _boards(store: Store) -> dict[str, str]:
    return dict(store.con.execute("SELECT native_id, board FROM threads").fetchall())


def _everything(store: Store) -> str:
    """Every text value of every table of the store."""
    found = []
    for table, column in store.con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'"
    ).fetchall():
        found += [v for (v,) in store.con.execute(f'SELECT "{column}" FROM "{table}"').fetchall() if v]
    return "\n".join(found)


def test_profile_boards_are_named_by_pseudonym_or_placeholder(tmp_path: Path) -> None:
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, _dump(tmp_path), format="reddit", source_name="rd")
        karen, stranger = (_pseudonym(tmp_path / "db.key", "rd", n) for n in ("karen2727", "Stranger_42"))
        # "u_" stays: the researcher sees a profile page. Its user is a member (karen2727) or a name of the
        # source seen only as a profile (Stranger_42): its pseudonym, in text too; else the placeholder.
        assert _boards(store) == {"p1": f"u_{karen}", "p2": f"u_{stranger}", "p3": "covidlonghaulers"}
        texts = dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())
        assert (texts["t3_p2"], texts["t3_p3"]) == (f"Hi\n\nsee r/u_{stranger}", "Brain fog\n\nask r/u_[user]")
        assert karen in store.con.execute("SELECT pseudonym FROM members").fetchnumpy()["pseudonym"]
        stored = _everything(store)
        export_csv(store, tmp_path / "csv", quotes="all-pseudonymised")
        export_iramuteq(store, tmp_path / "corpus.txt", quotes="all-pseudonymised")
    exported = " ".join(p.read_text(encoding="utf-8") for p in [*(tmp_path / "csv").iterdir(), tmp_path / "corpus.txt"])
    for name in RAW_NAMES:
        assert name not in stored.casefold() and name not in exported.casefold()
    assert f"board_u_{karen}" in exported  # IRaMuTeQ's variable keeps the profile, named by pseudonym


def test_importing_again_fixes_a_store_an_earlier_version_built(tmp_path: Path) -> None:
    """An older version stored the profile's name as the board, the name glued inside a link and a phone number."""
    from chrysalide.text import process

    path = _dump(tmp_path)
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, path, format="reddit", source_name="rd")
        process(store)
        store.con.execute("UPDATE threads SET board = 'u_karen2727' WHERE native_id = 'p1'")
        store.con.execute("UPDATE threads SET board = 'u_Stranger_42' WHERE native_id = 'p2'")
        store.con.execute("UPDATE messages SET text = '[Tare](https://hodzictarik.ml)' WHERE native_id = 't1_c2'")
        # An earlier version kept a phone number that a comma follows.
        store.con.execute("UPDATE messages SET text = 'hugs, call 06 12 34 56 78, ok' WHERE native_id = 't1_c1'")
        report = ingest(store, path, format="reddit", source_name="rd")
        phone = store.con.execute("SELECT text FROM messages WHERE native_id = 't1_c1'").fetchone()[0]
        karen, stranger = (_pseudonym(tmp_path / "db.key", "rd", n) for n in ("karen2727", "Stranger_42"))
        boards = _boards(store)
        text = store.con.execute("SELECT text FROM messages WHERE native_id = 't1_c2'").fetchone()[0]
        segments = store.con.execute(
            "SELECT count(*) FROM segments JOIN messages USING (message_id) WHERE native_id = 't1_c2'"
        ).fetchone()[0]
        kept = store.con.execute("SELECT count(*) FROM segments").fetchone()[0]
    assert (boards["p1"], boards["p2"]) == (f"u_{karen}", f"u_{stranger}")
    assert text == "[Tare]([profile-url])"
    assert phone == "hugs, call [phone], ok"
    assert (report.imported, report.boards_renamed, report.rescrubbed) == (0, 2, 2)
    assert segments == 0 and kept > 0  # the text step derives the changed message again, and only it


@pytest.mark.corpora
@pytest.mark.slow
def test_covidlonghaulers_profile_names_are_nowhere(tmp_path: Path, corpora: Path) -> None:
    root = corpora / "reddit_covidlonghaulers_userhistories_en"
    subreddits = set()
    for path in (root / "reddit_sample_data" / "users").glob("*.json"):
        history = json.loads(path.read_text(encoding="utf-8"))
        subreddits |= {item["subreddit"] for kind in ("posts", "comments") for item in history[kind]}
    names = {s[2:].casefold() for s in subreddits if s.startswith("u_")}
    assert len(names) == 34  # the audit's 34 profile boards
    # Two users wrote their own name in text: a post titled with it, "PS4 handle is <the name>".
    named = re.compile(rf"(?i)(?<![\w-])(?:{'|'.join(re.escape(n) for n in sorted(names))})(?![\w-])")
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, root, format="reddit", source_name="rd")
        boards = {b for (b,) in store.con.execute("SELECT DISTINCT board FROM threads").fetchall() if b}
        texts = [t for row in store.con.execute("SELECT text, title FROM messages").fetchall() for t in row if t]
        export_csv(store, tmp_path / "csv")  # the default: --quotes consented
        export_iramuteq(store, tmp_path / "corpus.txt", quotes="all-pseudonymised")
    assert len({b for b in boards if re.fullmatch(r"u_M-[0-9a-f]{10}", b)}) == 34  # one board per profile still
    assert not [b for b in boards if b.startswith("u_") and b[2:].casefold() in names]
    assert not [t for t in texts if named.search(t)]
    files = [*(tmp_path / "csv").iterdir(), tmp_path / "corpus.txt"]
    assert not [p.name for p in files if named.search(p.read_text(encoding="utf-8"))]
