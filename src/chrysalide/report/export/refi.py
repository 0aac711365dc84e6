"""REFI-QDA project export (``.qdpx``) following ../shared/design/REFI-QDA.md.

- Sources: ``thread`` (default; one TextSource per thread, each message a PlainTextSelection named by
  its post id, members as Cases with SelectionRefs), ``member`` (one source per member's journey,
  Cases with a SourceRef) or ``message`` (one source per message, Cases with SourceRefs).
- Text: UTF-8 without BOM, LF line endings, in ``sources/<GUID>.txt`` (``plainTextPath`` only, never
  ``richTextPath``). Positions are 0-based, end-exclusive character offsets into that file, so that
  ``text[start:end]`` is the message text exactly as exported.
- Codes: the current code of each message (human > model > lexicon) as Codings whose creatingUser is
  a pseudo-user per coder (``lexicon:...``, ``model:...``, ``human:<reviewer>``); confidence and run in
  the selection's Description. Withheld messages get no selection and no coding.
- GUIDs are uuid5 of (entity type, id): stable across exports.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from chrysalide import __version__
from chrysalide.errors import ConfigError
from chrysalide.frames import each_row
from chrysalide.outputs import output_file, writing
from chrysalide.privacy.consent import load_consent
from chrysalide.report.authors import no_member_label
from chrysalide.report.export.data import ExportCounts, export_messages, require_texts
from chrysalide.report.export.qdc import ORIGIN, PROJECT_NS, add_codes, code_tree, guid, validate, xml_safe
from chrysalide.store import Store, utcnow

GROUPINGS = ("thread", "member", "message")
_NS = f"{{{PROJECT_NS}}}"
EXPORTER_USER = guid("user", "chrysalide")
EXPORTER_NAME = f"chrysalide {__version__}"
MEMBER_VARIABLES = (
    ("role", "Text"), ("is_moderator", "Boolean"), ("registered_at", "DateTime"),
    ("first_post", "DateTime"), ("n_posts", "Integer"), ("consent", "Text"),
)  # fmt: skip
SOURCE_VARIABLES = (("board", "Text"), ("started_at", "DateTime"))


@dataclass
class RefiReport:
    """What ``export_refi`` wrote."""

    path: str
    sources: int
    selections: int
    codings: int
    cases: int
    counts: ExportCounts

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _dt(value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    return _stamp(value)


def _stamp(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _el(parent: etree._Element, tag: str, **attrs: str | None) -> etree._Element:
    return etree.SubElement(parent, _NS + tag, {k: v for k, v in attrs.items() if v is not None})


def _value(parent: etree._Element, name: str, kind: str, value: Any) -> None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return
    vv = _el(parent, "VariableValue")
    _el(vv, "VariableRef", targetGUID=guid("variable", name))
    text = {
        "Boolean": lambda v: "true" if v else "false",
        "Integer": lambda v: str(int(v)),
        "DateTime": _dt,
    }.get(kind, lambda v: xml_safe(str(v)))(value)
    _el(vv, f"{kind}Value").text = text


def _normalise(text: str) -> str:
    return xml_safe(text.replace("\r\n", "\n").replace("\r", "\n"))


def _header(row: Any) -> str:
    """``[pseudonym | posted at | thread | post]``; the source's ids of withheld posts are left out."""
    when = _dt(row.posted_at) or "undated"
    who = row.pseudonym if isinstance(row.pseudonym, str) else no_member_label(row.author_status)
    ids = [f"thread {row.thread_native}" if isinstance(row.thread_native, str) else None,
           f"post {row.native_id}" if isinstance(row.native_id, str) else None]  # fmt: skip
    return "[" + " | ".join([who, when] + [i for i in ids if i]) + "]\n"


def user_name(origin: str, coder: str | None) -> str:
    """A coder's name in the QDA tool: ``origin:coder``, without repeating an origin the coder already starts
    with (the model coder is ``model:<file>:<digest>``) and never empty."""
    coder = coder.strip() if isinstance(coder, str) else ""
    if not coder:
        return origin or EXPORTER_NAME
    return coder if coder.startswith(f"{origin}:") else f"{origin}:{coder}"


def _users(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """One pseudo-user per coder of the exported (not withheld) messages, the coder of most codings first.

    QualCoder makes the first ``User`` its current coder and shows that coder's codings: the main coder
    comes first, and owns the project (its sources and cases) too.
    """
    codings: dict[tuple[str, str], int] = defaultdict(int)
    for row in each_row(frame[frame["origin"].notna() & ~frame["withheld"]], index=False):
        codings[(row.origin, row.coder)] += len(_code_keys(row))
    ranked = sorted(codings, key=lambda pair: (-codings[pair], str(pair[0]), str(pair[1])))
    return {(o, c): guid("user", user_name(o, c)) for o, c in ranked}


def _code_keys(row: Any) -> list[str]:
    """The codes of a coded message: its primary stage, its other stages, the decentered marker."""
    keys = [f"primary:{row.primary_code}"]
    secondary = row.secondary_codes if row.secondary_codes is not None else []
    keys += [f"secondary:{c}" for c in secondary if c != row.primary_code]
    if not pd.isna(row.decentered) and bool(row.decentered):
        keys.append("decentered")
    return keys


def _selection(source: etree._Element, row: Any, start: int, end: int, users: dict, owner: str) -> tuple[str, int]:
    sel_guid = guid("selection", row.message_id)
    coded = isinstance(row.primary_code, str)
    user = users.get((row.origin, row.coder), owner) if coded else owner
    name = row.native_id if isinstance(row.native_id, str) else f"message {row.message_id}"
    sel = _el(source, "PlainTextSelection", guid=sel_guid, name=xml_safe(name),
              startPosition=str(start), endPosition=str(end), creatingUser=user,
              creationDateTime=_dt(row.decided_at) if coded else None)  # fmt: skip
    if not coded:
        return sel_guid, 0
    confidence = "" if pd.isna(row.confidence) else f"; confidence={row.confidence:.3f}"
    _el(sel, "Description").text = xml_safe(
        f"origin={row.origin}; coder={row.coder}; run={row.code_run_id}{confidence}"
    )
    keys = _code_keys(row)
    for key in keys:
        coding = _el(sel, "Coding", guid=guid("coding", f"{row.message_id}:{key}"), creatingUser=user,
                     creationDateTime=_dt(row.decided_at))  # fmt: skip
        _el(coding, "CodeRef", targetGUID=guid("code", key))
    return sel_guid, len(keys)


def _group_key(row: Any, grouping: str) -> Any:
    if grouping == "thread":
        return ("thread", row.thread_id)
    if grouping == "member":
        # Messages without a member: one source per kind of author (guests, deleted accounts, unknown authors).
        author = row.member_id if not pd.isna(row.member_id) else no_member_label(row.author_status, plural=True)
        return ("member", author)
    return ("message", row.message_id)


def build_project(store: Store, *, quotes: str = "consented", grouping: str = "thread",
                  name: str = "Chrysalide export") -> tuple[bytes, dict[str, str], RefiReport]:  # fmt: skip
    """The ``project.qde`` XML, the plain-text files by name, and the report (path left empty)."""
    if grouping not in GROUPINGS:
        raise ConfigError(f"--sources must be one of {', '.join(GROUPINGS)}, not {grouping!r}")
    frame, counts = export_messages(store, quotes)
    require_texts(counts, quotes, "a REFI-QDA project")
    consent = load_consent(store)
    users = _users(frame)
    owner = next(iter(users.values()), EXPORTER_USER)  # the main coder owns the project, its sources and cases
    root = etree.Element(_NS + "Project", nsmap={None: PROJECT_NS}, name=xml_safe(name), origin=ORIGIN,
                         creatingUserGUID=owner, creationDateTime=_stamp(utcnow()))  # fmt: skip
    users_el = _el(root, "Users")
    if not users:
        _el(users_el, "User", guid=EXPORTER_USER, name=EXPORTER_NAME, id="chrysalide")
    for (origin, coder), user_guid in users.items():
        _el(users_el, "User", guid=user_guid, name=xml_safe(user_name(origin, coder)), id=origin)
    extra = sorted(set(frame["primary_code"].dropna()))
    add_codes(_el(_el(root, "CodeBook"), "Codes"), code_tree(extra), PROJECT_NS)
    variables = _el(root, "Variables")
    for var, kind in MEMBER_VARIABLES + SOURCE_VARIABLES:
        _el(variables, "Variable", guid=guid("variable", var), name=var, typeOfVariable=kind)
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in each_row(frame, index=False):
        groups[_group_key(row, grouping)].append(row)
    files: dict[str, str] = {}
    member_refs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    sources_el = etree.Element(_NS + "Sources")
    n_sel = n_coding = 0
    for number, (key, rows) in enumerate(groups.items(), start=1):
        src_guid = guid("source", f"{key[0]}:{key[1]}")
        first = rows[0]
        if grouping == "thread":
            title = first.thread_title if isinstance(first.thread_title, str) else None
            native = first.thread_native if isinstance(first.thread_native, str) else f"#{number}"
            src_name = f"thread {native}" + (f": {title}" if title else "")
        elif grouping == "member":
            src_name = f"journey {first.pseudonym}" if isinstance(first.pseudonym, str) else str(key[1])
        else:
            src_name = f"post {first.native_id}" if isinstance(first.native_id, str) else f"post #{number}"
        source = _el(sources_el, "TextSource", guid=src_guid, name=xml_safe(src_name)[:250],
                     plainTextPath=f"internal://{src_guid}.txt", creatingUser=owner,
                     creationDateTime=_dt(utcnow()))  # fmt: skip
        parts: list[str] = []
        offset = 0
        for row in rows:
            header = _header(row)
            text = _normalise(row.text)
            parts += [header, text, "\n\n"]
            start = offset + len(header)
            offset = start + len(text) + 2
            if not pd.isna(row.member_id):
                member_refs[int(row.member_id)].append(("SourceRef", src_guid))
            if row.withheld or not text:
                continue
            sel_guid, n = _selection(source, row, start, start + len(text), users, owner)
            n_sel += 1
            n_coding += n
            if not pd.isna(row.member_id):
                member_refs[int(row.member_id)].append(("SelectionRef", sel_guid))
        if grouping != "member":
            _value(source, "board", "Text", first.board)
            _value(source, "started_at", "DateTime", first.started_at if grouping == "thread" else first.posted_at)
        files[f"{src_guid}.txt"] = "".join(parts)
    posted = frame.dropna(subset=["member_id"])
    members = posted.groupby(posted["member_id"].astype("int64"), sort=False)
    cases = etree.Element(_NS + "Cases")
    for member_id, member_rows in members:
        mid = int(member_id)
        first = member_rows.iloc[0]
        case = _el(cases, "Case", guid=guid("case", mid), name=xml_safe(str(first["pseudonym"])))
        c = consent.get(mid)
        values = {"role": first["role"], "is_moderator": first["role"] in ("moderator", "admin"),
                  "registered_at": first["registered_at"], "first_post": member_rows["posted_at"].min(),
                  "n_posts": len(member_rows), "consent": f"{c.status}/{c.scope}" if c else "none"}  # fmt: skip
        for var, kind in MEMBER_VARIABLES:
            _value(case, var, kind, values[var])
        kind = "SelectionRef" if grouping == "thread" else "SourceRef"
        for ref in dict.fromkeys(g for k, g in member_refs[mid] if k == kind):
            _el(case, kind, targetGUID=ref)
    if len(cases):
        root.append(cases)
    if len(sources_el):
        root.append(sources_el)  # after Cases: the schema's sequence order
    _el(root, "Description").text = (
        f"Exported by Chrysalide {__version__}: sources per {grouping}, quotes {quotes}; "
        f"{counts.withheld} message text(s) withheld for lack of consent, "
        f"{counts.excluded_members} member(s) excluded at their request."
    )
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    report = RefiReport("", len(files), n_sel, n_coding, len(members), counts)
    return xml, files, report


def export_refi(store: Store, out: str | Path, *, quotes: str = "consented", grouping: str = "thread") -> RefiReport:
    """Write a ``.qdpx`` (ZIP: ``project.qde`` + lowercase ``sources/``), validated against Project.xsd."""
    out = output_file(out)
    xml, files, report = build_project(store, quotes=quotes, grouping=grouping, name=out.stem)
    errors = validate(xml, "Project")
    if errors:  # a bug in this module, never the user's fault
        raise RuntimeError(f"REFI-QDA export does not validate against Project.xsd: {errors[:3]}")
    with writing(out) as part, zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml)
        for name, text in files.items():
            zf.writestr(f"sources/{name}", text.encode("utf-8"))
    report.path = str(out)
    return report
