"""REFI-QDA export: XSD-valid, offsets exact, GUIDs stable, consent respected, QualCoder's expectations."""

from __future__ import annotations

import re
import zipfile

import pytest
from export_store import MESSAGES
from lxml import etree

from chrysalide.errors import ConfigError
from chrysalide.privacy import WITHHELD, scrub_contacts
from chrysalide.report.export.qdc import codebook_xml, export_codebook, validate
from chrysalide.report.export.refi import export_refi

NS = {"q": "urn:QDA-XML:project:1.0"}
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ORDER = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs", "Description"]


def open_qdpx(path):
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        raw = zf.read("project.qde")
        files = {n: zf.read(n) for n in names if n != "project.qde"}
    return raw, etree.fromstring(raw), files


def exported_text(message_id):
    text = next(t for m, _, _, _, t in MESSAGES if m == message_id)
    return scrub_contacts(text.replace("\r\n", "\n"))


@pytest.mark.parametrize("grouping", ["thread", "member", "message"])
@pytest.mark.parametrize("quotes", ["consented", "all-pseudonymised"])
def test_export_validates_and_selections_equal_message_text(filled, tmp_path, grouping, quotes):
    out = tmp_path / "project.qdpx"
    report = export_refi(filled, out, quotes=quotes, grouping=grouping)
    raw, root, files = open_qdpx(out)
    assert validate(raw, "Project") == []
    texts = {n.removeprefix("sources/"): b.decode("utf-8") for n, b in files.items()}
    n_selections = 0
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        text = texts[source.get("plainTextPath").removeprefix("internal://")]
        for sel in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            message_id = int(sel.get("name").removeprefix("p"))
            assert text[start:end] == exported_text(message_id)
            n_selections += 1
    assert n_selections == report.selections
    # Consented: only member 1 granted quoting (messages 101, 105). Member 4 refused: gone everywhere.
    expected = {101, 105} if quotes == "consented" else {101, 102, 103, 105, 106, 107}
    # Selections are named by the post's own id ("p101"), or by the store's id under consented (no link to a post).
    names = {int(s.get("name").removeprefix("p")) for s in root.iterfind(".//q:PlainTextSelection", NS)}
    assert names == expected
    everything = raw.decode() + "".join(texts.values())
    assert "M-dddd000004" not in everything and "refusé" not in everything and "p104" not in everything
    assert ("Bienvenue" in everything) is (quotes == "all-pseudonymised")
    if quotes == "consented":
        assert WITHHELD in "".join(texts.values())
    assert "anne@example.org" not in everything and "06 12 34 56 78" not in everything


def test_codes_carry_origin_as_users(filled, tmp_path):
    export_refi(filled, tmp_path / "p.qdpx", quotes="all-pseudonymised")
    _, root, _ = open_qdpx(tmp_path / "p.qdpx")
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:CodeBook//q:Code", NS)}
    found = {}
    for sel in root.iterfind(".//q:PlainTextSelection", NS):
        for coding in sel.iterfind("q:Coding", NS):
            found.setdefault(sel.get("name"), []).append(
                (codes[coding.find("q:CodeRef", NS).get("targetGUID")], users[coding.get("creatingUser")])
            )
    assert found["p101"] == [("individual", "lexicon:lexicon/1.0")]
    assert found["p102"] == [
        ("community", "model:stage-clf/2"), ("collaborative (secondary)", "model:stage-clf/2"),
        ("decentered", "model:stage-clf/2"),
    ]  # fmt: skip
    assert found["p103"][0] == ("collaborative", "human:reviewer-a")
    assert "p106" not in found  # the guest's message is not coded


def test_members_are_cases_with_variables(filled, tmp_path):
    export_refi(filled, tmp_path / "p.qdpx", quotes="all-pseudonymised", grouping="member")
    _, root, _ = open_qdpx(tmp_path / "p.qdpx")
    variables = {v.get("guid"): (v.get("name"), v.get("typeOfVariable")) for v in root.iterfind(".//q:Variable", NS)}
    sources = {s.get("guid") for s in root.iterfind("q:Sources/q:TextSource", NS)}
    cases = {c.get("name"): c for c in root.iterfind("q:Cases/q:Case", NS)}
    assert sorted(cases) == ["M-aaaa000001", "M-bbbb000002", "M-cccc000003"]
    for case in cases.values():
        refs = [r.get("targetGUID") for r in case.iterfind("q:SourceRef", NS)]
        assert refs and set(refs) <= sources
        for vv in case.iterfind("q:VariableValue", NS):
            name, kind = variables[vv.find("q:VariableRef", NS).get("targetGUID")]
            assert vv[1].tag == f"{{{NS['q']}}}{kind}Value", name
    values = {
        variables[vv.find("q:VariableRef", NS).get("targetGUID")][0]: vv[1].text
        for vv in cases["M-bbbb000002"].iterfind("q:VariableValue", NS)
    }
    assert values["is_moderator"] == "true" and values["n_posts"] == "2" and values["consent"] == "granted/analyse"


def test_guids_are_stable_unique_and_valid(filled, tmp_path):
    export_refi(filled, tmp_path / "a.qdpx")
    export_refi(filled, tmp_path / "b.qdpx")
    raw_a, root, files_a = open_qdpx(tmp_path / "a.qdpx")
    raw_b, _, files_b = open_qdpx(tmp_path / "b.qdpx")
    strip = re.compile(rb'(creationDateTime|name)="[^"]*"')  # creation time and project name (file stem) vary
    assert strip.sub(b"", raw_a) == strip.sub(b"", raw_b)
    assert files_a == files_b
    guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(guids) == len(set(guids)) and all(GUID.match(g) for g in guids)


def test_qualcoder_import_expectations(filled, tmp_path):
    export_refi(filled, tmp_path / "p.qdpx", quotes="all-pseudonymised")
    raw, root, files = open_qdpx(tmp_path / "p.qdpx")
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.startswith(b"<?xml")
    assert files and all(n.startswith("sources/") for n in files)  # lowercase folder (ATLAS.ti)
    for body in files.values():
        assert not body.startswith(b"\xef\xbb\xbf") and b"\r" not in body
    children = [etree.QName(c).localname for c in root]
    assert children == sorted(children, key=ORDER.index)
    for container in ("Users", "Cases", "Variables", "Sources", "Notes", "Sets"):
        for el in root.iterfind(f"q:{container}", NS):
            assert len(el), f"empty <{container}/>"
    code_guids = {c.get("guid") for c in root.iterfind(".//q:Code", NS)}
    user_guids = {u.get("guid") for u in root.iterfind(".//q:User", NS)}
    for code in root.iterfind(".//q:Code", NS):
        assert code.get("isCodable") in ("true", "false") and re.fullmatch(r"#[0-9A-F]{6}", code.get("color"))
    for ref in root.iterfind(".//q:CodeRef", NS):
        assert ref.get("targetGUID") in code_guids
    for el in root.iter():
        for attr in ("creatingUser", "creatingUserGUID"):
            if el.get(attr):
                assert el.get(attr) in user_guids
        if el.get("creationDateTime"):
            assert el.get("creationDateTime").endswith("Z")
    for source in root.iterfind(".//q:TextSource", NS):
        assert source.get("richTextPath") is None
        assert (source.get("plainTextPath") is None) != (source.find("q:PlainTextContent", NS) is None)
        assert "sources/" + source.get("plainTextPath").removeprefix("internal://") in files


def test_validator_rejects_empty_containers(filled, tmp_path):
    export_refi(filled, tmp_path / "p.qdpx")
    raw, root, _ = open_qdpx(tmp_path / "p.qdpx")
    for case in root.find("q:Cases", NS):
        root.find("q:Cases", NS).remove(case)
    assert validate(etree.tostring(root), "Project")


def test_codebook_qdc_validates_and_has_no_empty_sets(tmp_path):
    path = export_codebook(tmp_path / "codebook.qdc", ["question"])
    data = path.read_bytes()
    assert validate(data, "Codebook") == []
    assert b"<Sets" not in data and not data.startswith(b"\xef\xbb\xbf")
    root = etree.fromstring(data)
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert {"individual", "community", "collaborative", "societal", "other", "question", "decentered"} <= set(names)
    assert codebook_xml(["question"]) == data  # deterministic


def test_empty_store_is_refused_and_writes_nothing(store, tmp_path):
    with pytest.raises(ConfigError, match="no message"):
        export_refi(store, tmp_path / "empty.qdpx")
    assert not (tmp_path / "empty.qdpx").exists()


def test_all_text_withheld_is_refused_with_the_option_that_helps(filled, tmp_path):
    filled.con.execute("DELETE FROM consent WHERE scope = 'quote'")
    with pytest.raises(ConfigError, match="--quotes all-pseudonymised"):
        export_refi(filled, tmp_path / "p.qdpx")
    assert not (tmp_path / "p.qdpx").exists()
