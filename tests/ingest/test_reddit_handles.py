"""A name written as a u/handle is a Reddit user's: it goes from the handle and from where it stands alone.

Regression: r/covidlonghaulers kept 6 of the 107 user names its texts write as u/NAME: after a capital U, with
a digit first, and where they stood alone after being seen as handles. Names here are made up (same shapes).
Expected pseudonyms are the documented HMAC (docs/privacy.md) computed here with ``hmac``; the CLH names are
read from the raw files.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

import pytest

from chrysalide.ingest import ingest
from chrysalide.store import Store

POSTS = [
    {"id": "p1", "title": "Oxygen", "selftext": "I was talking to U/zoopadoo about it. u/2SleepyOwl -Would you"
     " like a link? Ask /u/KL_Hendrix.", "author": "a1", "subreddit": "covidlonghaulers"},
    {"id": "c1", "body": "Thank you, KL_Hendrix", "author": "a2"},
    {"id": "c2", "body": "u/virusvinci keeps r/virusvinci; virusvinci said so on r/covidlonghaulers", "author": "a3"},
    {"id": "c3", "body": "I was weary all day, u/weary knows. Weary of it all. 2sleepyowl and Zoopadoo: thanks, Weary", "author": "a2"},
    {"id": "c4", "body": "2500 U/mL and 2497 u/mL, then a U/S scan", "author": "a1"},
]  # fmt: skip
HANDLED = ("zoopadoo", "2SleepyOwl", "KL_Hendrix", "virusvinci", "weary")


def _dump(folder: Path) -> Path:
    path = folder / "dump.ndjson"
    lines = []
    for i, post in enumerate(POSTS):
        extra = {} if post["id"].startswith("p") else {"link_id": "t3_p1", "parent_id": "t3_p1"}
        lines.append(json.dumps({"subreddit": "covidlonghaulers", **post, **extra, "created_utc": 1_600_000_000 + i}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pseudonym(key_file: Path, source: str, name: str) -> str:
    key = key_file.read_bytes()
    return "M-" + hmac.new(key, f"{source}\x1fname:{name}".encode(), hashlib.sha256).hexdigest()[:10]


def _texts(store: Store) -> dict[str, str]:
    return dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())


def _expected(key_file: Path) -> dict[str, str]:
    zoop, sleepy, kl, virus, weary = (_pseudonym(key_file, "rd", n) for n in HANDLED)
    return {
        "t3_p1": f"Oxygen\n\nI was talking to U/{zoop} about it. u/{sleepy} -Would you like a link? Ask /u/{kl}.",
        "t1_c1": f"Thank you, {kl}",
        # The user's own subreddit is named after them; another subreddit is no user.
        "t1_c2": f"u/{virus} keeps r/{virus}; {virus} said so on r/covidlonghaulers",
        # A name that is a common word goes as a handle and where a name stands; the word stays, capital or not.
        "t1_c3": f"I was weary all day, u/{weary} knows. Weary of it all. {sleepy} and {zoop}: thanks, {weary}",
        "t1_c4": "2500 U/mL and 2497 u/mL, then a U/S scan",  # units and an ultrasound
    }


def test_handles_and_the_names_they_show_are_replaced(tmp_path: Path) -> None:
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, _dump(tmp_path), format="reddit", source_name="rd")
        assert _texts(store) == _expected(tmp_path / "db.key")


def test_importing_again_fixes_a_store_an_earlier_version_built(tmp_path: Path) -> None:
    """An earlier version kept the handles it missed and every name where it stood alone."""
    path = _dump(tmp_path)
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, path, format="reddit", source_name="rd")
        store.con.execute("DELETE FROM name_vault")  # the names of handles were never learnt
        for post in POSTS:
            text = f"{post['title']}\n\n{post['selftext']}" if "title" in post else post["body"]
            text = re.sub(r"(?<=u/)KL_Hendrix", "[user]", text)  # what /u/ became then
            native = ("t3_" if "title" in post else "t1_") + post["id"]
            store.con.execute("UPDATE messages SET text = ? WHERE native_id = ?", [text, native])
        report = ingest(store, path, format="reddit", source_name="rd")
        texts = _texts(store)
    expected = _expected(tmp_path / "db.key")
    expected["t3_p1"] = expected["t3_p1"].replace(
        f"/u/{_pseudonym(tmp_path / 'db.key', 'rd', 'KL_Hendrix')}", "/u/[user]"
    )
    assert texts == expected
    assert report.imported == 0


def test_a_profile_s_address_names_a_user_replaced_where_the_name_stands_alone(tmp_path: Path) -> None:
    """A post links users' profiles under their names: each name is a name of the source, replaced where it stands
    alone too, and a name of digits, which the name rules cannot read, makes its link a mention, "@[user]"."""
    lines = [
        {"id": "p1", "title": "Tips", "selftext": "Ask [Quillmoss](https://www.reddit.com/user/Quillmoss/) or "
         "[6664203](https://www.reddit.com/user/6664203/)", "author": "a1"},
        {"id": "c1", "body": "Thanks Quillmoss, that helped", "author": "a2", "link_id": "t3_p1", "parent_id": "t3_p1"},
    ]  # fmt: skip
    path = tmp_path / "dump.ndjson"
    path.write_text("".join(json.dumps({"subreddit": "x", "created_utc": 1_600_000_000 + i, **line}) + "\n"
                            for i, line in enumerate(lines)), encoding="utf-8")  # fmt: skip
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, path, format="reddit", source_name="rd")
        texts = _texts(store)
    quill = _pseudonym(tmp_path / "db.key", "rd", "Quillmoss")
    # A name of the source keeps its pseudonym in the link's text; one of digits, which no rule reads, goes.
    assert texts == {
        "t3_p1": f"Tips\n\nAsk [{quill}]([profile-url]) or @[user]",
        "t1_c1": f"Thanks {quill}, that helped",
    }


@pytest.mark.corpora
@pytest.mark.slow
def test_covidlonghaulers_handle_names_are_nowhere(tmp_path: Path, corpora: Path) -> None:
    root = corpora / "reddit_covidlonghaulers_userhistories_en"
    handle = re.compile(r"(?<![\w/.@])/?[uU]/([A-Za-z0-9_-]{3,20})(?![\w-])")
    raw: list[str] = []
    for path in [*root.glob("*/subreddit_posts.json")]:
        for post in json.loads(path.read_text(encoding="utf-8")):
            raw += [post.get("title") or "", post.get("body") or ""]
            raw += [c.get("body") or "" for c in post.get("comments", [])]
    for path in (root / "reddit_sample_data" / "users").glob("*.json"):
        history = json.loads(path.read_text(encoding="utf-8"))
        raw += [i.get("title") or "" for i in history["posts"] if i["subreddit"].casefold() == "covidlonghaulers"]
        raw += [i["body"] or "" for k in ("posts", "comments") for i in history[k]
                if i["subreddit"].casefold() == "covidlonghaulers"]  # fmt: skip
    names = {m.group(1).casefold() for t in raw for m in handle.finditer(t)}
    assert len(names) >= 40
    named = re.compile(rf"(?i)(?<![\w-])(?:{'|'.join(re.escape(n) for n in sorted(names))})(?![\w-])")
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, root, format="reddit", source_name="rd", boards=["covidlonghaulers"])
        rows = store.con.execute("SELECT coalesce(text, '') || ' ' || coalesce(title, '') FROM messages").fetchall()
    texts = [t for (t,) in rows]
    assert [m.group() for t in texts for m in named.finditer(t)] == []
