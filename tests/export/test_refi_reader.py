"""The .qdpx read back by an independent reader that imports as a QDA tool does.

The reader below is written from the REFI-QDA standard (QDA-XML 1.0: ``Users``, ``CodeBook``, ``Sources`` with
``PlainTextSelection`` / ``Coding``, ``Cases``) and from how QualCoder documents its import: the first ``User``
becomes the current coder, an element's owner is the ``User`` its ``creatingUser`` names (``"default"`` when no
user has that GUID), and a selection's text is ``plain_text[start:end]``. It uses the standard library's XML parser
only, nothing of the exporter.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from export_store import CODES, MESSAGES

from chrysalide.privacy import scrub_contacts
from chrysalide.report.export.refi import export_refi


@dataclass
class Coding:
    code: str
    owner: str


@dataclass
class Selection:
    name: str
    text: str
    owner: str
    codings: list[Coding] = field(default_factory=list)


@dataclass
class Project:
    users: list[tuple[str, str]]  # (guid, name) in document order
    owner: str  # the project's creating user
    sources: dict[str, str]  # source name -> owner
    selections: list[Selection]
    cases: dict[str, int]  # case name -> references

    @property
    def current_coder(self) -> str:
        return self.users[0][1]


def read_qdpx(path: Path) -> Project:
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("project.qde"))
        files = {n.split("/", 1)[1]: zf.read(n).decode("utf-8") for n in zf.namelist() if "/" in n}
    ns = root.tag[1 : root.tag.index("}")]

    def q(tag: str) -> str:
        return f"{{{ns}}}{tag}"

    users = [(u.get("guid", ""), u.get("name", "")) for u in root.iter(q("User"))]
    names = dict(users)

    def owner(el: ET.Element) -> str:
        return names.get(el.get("creatingUser") or el.get("modifyingUser") or "", "default")

    codes = {c.get("guid"): c.get("name") for c in root.iter(q("Code"))}
    sources, selections = {}, []
    for source in root.iter(q("TextSource")):
        path_ = source.get("plainTextPath")
        if path_ is not None:
            text = files[path_.split("internal://", 1)[1]]
        else:
            content = source.find(q("PlainTextContent"))
            text = content.text if content is not None and content.text else ""
        sources[source.get("name")] = owner(source)
        for sel in source.iter(q("PlainTextSelection")):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            item = Selection(sel.get("name"), text[start:end], owner(sel))
            for coding in sel.iter(q("Coding")):
                ref = coding.find(q("CodeRef"))
                item.codings.append(Coding(codes[ref.get("targetGUID")], owner(coding)))
            selections.append(item)
    cases = {c.get("name"): len(c.findall(q("SourceRef")) + c.findall(q("SelectionRef"))) for c in root.iter(q("Case"))}
    return Project(users, names.get(root.get("creatingUserGUID", ""), "default"), sources, selections, cases)


def expected_owner(origin: str, coder: str) -> str:
    return coder if coder.startswith(origin + ":") else f"{origin}:{coder}"


@pytest.mark.parametrize("grouping", ["thread", "member", "message"])
def test_a_reader_gets_every_coding_owned_by_a_named_coder(filled, tmp_path, grouping):
    out = tmp_path / "p.qdpx"
    export_refi(filled, out, quotes="all-pseudonymised", grouping=grouping)
    project = read_qdpx(out)
    user_names = [n for _, n in project.users]
    assert all(n.strip() for n in user_names) and len(set(user_names)) == len(user_names)
    assert not any(re.match(r"^(\w+):\1:", n) for n in user_names)
    # Message 104's author refused: gone. The guest's 106 has a selection and no coding.
    exported = {m: t for m, _, member, _, t in MESSAGES if member != 4}
    assert sorted(s.name for s in project.selections) == sorted(f"p{m}" for m in exported)
    for sel in project.selections:
        assert sel.text == scrub_contacts(exported[int(sel.name[1:])].replace("\r\n", "\n"))
    # Each coded message's codings belong to its coder; the coder of most codings comes first and owns the project.
    expected = Counter()
    for sel in project.selections:
        message = int(sel.name[1:])
        if message not in CODES:
            assert sel.codings == []
            continue
        code, secondary, decentered, _, origin, coder = CODES[message]
        wanted = [code] + [f"{c} (secondary)" for c in secondary if c != code] + (["decentered"] * decentered)
        assert [c.code for c in sel.codings] == wanted
        assert {c.owner for c in sel.codings} == {expected_owner(origin, coder)} == {sel.owner}
        expected[expected_owner(origin, coder)] += len(wanted)
    assert project.current_coder == expected.most_common(1)[0][0] == "model:stage-clf/2"
    assert project.owner == project.current_coder
    assert set(project.sources.values()) == {project.current_coder}  # no "default", no empty owner
    assert set(user_names) == set(expected)


def test_model_coder_names_are_not_prefixed_twice(filled, tmp_path):
    filled.con.execute("UPDATE codes SET coder = 'model:stage_model.npz:25463388aaf1' WHERE origin = 'model'")
    export_refi(filled, tmp_path / "p.qdpx", quotes="all-pseudonymised")
    project = read_qdpx(tmp_path / "p.qdpx")
    assert project.current_coder == "model:stage_model.npz:25463388aaf1"
    assert {c.owner for s in project.selections for c in s.codings} == {
        "model:stage_model.npz:25463388aaf1", "lexicon:lexicon/1.0", "human:reviewer-a"}  # fmt: skip


def test_an_uncoded_export_is_owned_by_the_exporter(filled, tmp_path):
    filled.con.execute("DELETE FROM codes")
    export_refi(filled, tmp_path / "p.qdpx", quotes="all-pseudonymised")
    project = read_qdpx(tmp_path / "p.qdpx")
    assert [n for _, n in project.users] == [project.owner] and project.owner.startswith("chrysalide ")
    assert all(not s.codings and s.owner == project.owner for s in project.selections)
