"""An outsider holding the public user-name list (and no key file) can match no exported id to a name.

For every public user name the test computes what such an attacker can compute (ids and GUIDs derived
from the name without a key: the unkeyed ids of ``ingest/ids.py``, their REFI GUIDs, HMACs under an empty
key) and searches every export, in both quote modes, for any of them. Under ``--quotes consented`` the
source's own post ids, which link to public posts, are absent too.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import re
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from chrysalide.ingest import ingest
from chrysalide.ingest.ids import stable_id
from chrysalide.report.export import export_csv, export_iramuteq, export_parquet, export_refi
from chrysalide.report.export.qdc import GUID_NAMESPACE
from chrysalide.store import Store

MODES = ("consented", "all-pseudonymised")


def outsider_ids(source: str, names: set[str]) -> set[str]:
    """Every id an attacker derives from the public names without the key file."""
    found: set[str] = set()
    for name in names:
        for key in (f"name:{name}", f"id:{name}"):
            member = stable_id(source, "member", key)  # the former, unkeyed, member id
            found |= {str(member), str(uuid.uuid5(GUID_NAMESPACE, f"case:{member}"))}
            found.add("M-" + hmac.new(b"", f"{source}\x1f{key}".encode(), hashlib.sha256).hexdigest()[:10])
            found.add(hashlib.sha256(name.encode()).hexdigest()[:10])
    return found


def export_everything(store: Store, folder: Path) -> dict[str, str]:
    """Every export in both modes, as text per mode."""
    out: dict[str, str] = {}
    for mode in MODES:
        target = folder / mode
        target.mkdir()
        export_csv(store, target / "csv", quotes=mode)
        export_parquet(store, target / "parquet", quotes=mode)
        export_refi(store, target / "project.qdpx", quotes=mode, grouping="member")
        export_iramuteq(store, target / "corpus.txt", quotes=mode)
        chunks = []
        for path in sorted(target.rglob("*")):
            if path.suffix == ".qdpx":
                with zipfile.ZipFile(path) as zf:
                    chunks += [zf.read(n).decode("utf-8") for n in zf.namelist()]
            elif path.suffix == ".parquet":
                chunks.append(pd.read_parquet(path).to_csv())
            elif path.is_file():
                chunks.append(path.read_text(encoding="utf-8"))
        out[mode] = "\n".join(chunks)
    return out


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[\w-]+", text))


def test_no_exported_id_is_derived_from_a_user_name(tmp_path):
    names = {"karen2727", "angela_70513", "Bob Lee", "zoe.m"}
    rows = [
        ("p1", "t1", "karen2727", "I have had this for years, any advice?"),
        ("p2", "t1", "angela_70513", "Hi karen2727...how are you? Angela"),
        ("p3", "t1", "Bob Lee", "Same here @karen2727-thanks"),
        ("p4", "t2", "zoe.m", "New thread about scleritis"),
    ]
    csv = "message_id,thread_id,author,text\n" + "".join(f'{a},{b},{c},"{d}"\n' for a, b, c, d in rows)
    (tmp_path / "forum.csv").write_text(csv, encoding="utf-8")
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, tmp_path / "forum.csv", source_name="forum")
        (tmp_path / "consent.csv").write_text("member,status,date,scope\nkaren2727,granted,,quote\n", encoding="utf-8")
        from chrysalide.privacy import import_consent

        assert import_consent(store, tmp_path / "consent.csv").imported == 1
        exported = export_everything(store, tmp_path)
    suspicious = outsider_ids("forum", names)
    for mode, text in exported.items():
        assert not suspicious & _tokens(text), mode
        assert not {"karen2727", "angela_70513", "zoe.m"} & _tokens(text), mode
    assert not {"p1", "p2", "p3", "p4"} & _tokens(exported["consented"])  # the source's own post ids


@pytest.mark.corpora
@pytest.mark.slow
def test_patientinfo_user_list_matches_no_exported_id(tmp_path, corpora):
    path = corpora / "patientinfo_inflammation_en" / "forum_extraction_scripts" / "patient-info_forums.json"
    names: set[str] = set()
    urls: set[str] = set()
    posts: list[str] = []

    def walk(node: dict) -> None:
        if isinstance(node.get("user"), str):
            names.add(node["user"])
        posts.append(node.get("post") or "")
        for reply in node.get("replies") or []:
            walk(reply)

    for threads in json.loads(path.read_text(encoding="utf-8")).values():
        for thread in threads:
            urls.add(thread["url"])
            walk(thread)
    assert len(names) == 273  # PROVENANCE.md: 273 distinct user names (with "Guest")
    with Store(tmp_path / "db.duckdb") as store:
        ingest(store, path, format="patientinfo", source_name="pinfo")
        # A consent list as a study would have: every other member granted quoting.
        granted = sorted(n for n in names if n != "Guest")[::2]
        with open(tmp_path / "consent.csv", "w", newline="", encoding="utf-8") as fh:
            rows = csv.writer(fh)
            rows.writerow(["member", "status", "date", "scope"])
            rows.writerows([name, "granted", "", "quote"] for name in granted)
        from chrysalide.privacy import import_consent

        assert import_consent(store, tmp_path / "consent.csv").imported == len(granted)
        exported = export_everything(store, tmp_path)
    suspicious = outsider_ids("pinfo", names)
    # User names that are no word of English (a digit, an underscore): none may appear in any export.
    handles = {n for n in names if re.search(r"[\d_]", n)}
    assert len(handles) > 150
    for mode, text in exported.items():
        tokens = _tokens(text)
        assert not suspicious & tokens, mode
        assert not handles & tokens, (mode, sorted(handles & tokens)[:5])
    assert not any(url in exported["consented"] for url in urls)  # thread ids are the public threads' URLs
    # Links whose host name holds the first name of a user name of letters then digits (as "tarik" of a member
    # tarik03300 would be in "hodzictarik.ml"): kept as the link's words before, in segments and every export.
    # The corpus holds one: a member's own site, so it is counted here, not written.
    first_names = {m[1].casefold() for n in names if (m := re.fullmatch(r"([A-Za-z]{5,})\d+", n))}
    links = {
        url
        for post in posts
        for url in re.findall(r"https?://[^\s\"'<>)\]]+", post)
        if any(first in url.split("/")[2].casefold() for first in first_names)
    }
    assert len(links) == 1
    for mode, text in exported.items():
        assert not [url for url in links if url.split("/")[2] in text], mode
