"""The REFI-QDA code tree (stage codes) and the stand-alone codebook file (``.qdc``).

Codes (../shared/design/REFI-QDA.md, "Forum mapping"): a non-codable parent "Empowerment stage" with
one codable child per stage code (the message's primary code), the same five under a non-codable
"Secondary stage" parent (a message's secondary codes), and a codable "decentered" marker.
GUIDs are uuid5 of a fixed namespace and the entity's key: re-exports are identical and diffable.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from chrysalide import __version__
from chrysalide.coding.codebook import CODES, load_codebook
from chrysalide.outputs import output_file, writing

if TYPE_CHECKING:
    from chrysalide.store import Store

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"Chrysalide {__version__}"
#: Fixed namespace of every Chrysalide GUID (uuid5 of the project's URL).
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/chrysalide/refi-qda")
COLOURS = {
    "individual": "#E4572E",
    "community": "#4C9F70",
    "collaborative": "#3E7CB1",
    "societal": "#8E5EA2",
    "other": "#9E9E9E",
}
PARENT_COLOUR = "#555555"
DECENTERED_COLOUR = "#F2A541"


def guid(kind: str, key: object) -> str:
    """Stable GUID of one entity: uuid5 over (entity type, id)."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))


_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str | None) -> str:
    """Drop the characters XML 1.0 cannot carry (C0 controls but tab/newline, U+FFFE/U+FFFF)."""
    return _XML_BAD.sub("", text) if text else ""


@dataclass
class CodeNode:
    """One code of the tree."""

    key: str
    name: str
    codable: bool
    colour: str
    description: str = ""
    children: list[CodeNode] = field(default_factory=list)

    @property
    def guid(self) -> str:
        return guid("code", self.key)


def code_tree(extra_codes: list[str] | tuple[str, ...] = ()) -> list[CodeNode]:
    """The codebook's stage codes as REFI codes; ``extra_codes`` are codes found in the store only."""
    codebook = load_codebook()
    stages = list(CODES) + [c for c in extra_codes if c not in CODES]

    def describe(code: str) -> str:
        entry = codebook.codes.get(code, {})
        label = entry.get("label", {}).get("en", code)
        definition = " ".join(entry.get("definition", {}).get("en", "").split())
        return f"{label}. {definition}".strip() if definition else label

    primary = CodeNode("primary", "Empowerment stage", False, PARENT_COLOUR,
                       "Primary stage code of a message (Fayn et al. 2021; Chrysalide codebook).")  # fmt: skip
    secondary = CodeNode("secondary", "Secondary stage", False, PARENT_COLOUR,
                         "Other stages a message also shows, besides its primary stage.")  # fmt: skip
    for code in stages:
        colour = COLOURS.get(code, PARENT_COLOUR)
        primary.children.append(CodeNode(f"primary:{code}", code, True, colour, describe(code)))
        secondary.children.append(CodeNode(f"secondary:{code}", f"{code} (secondary)", True, colour, describe(code)))
    decentered = CodeNode(
        "decentered", "decentered", True, DECENTERED_COLOUR,
        "The author turns from their own case to others or to the community (decentering).",
    )  # fmt: skip
    return [primary, secondary, decentered]


def add_codes(parent: etree._Element, nodes: list[CodeNode], ns: str) -> None:
    """Append ``Code`` elements (Description first, then child codes, as both schemas order them)."""
    for node in nodes:
        el = etree.SubElement(
            parent,
            f"{{{ns}}}Code",
            guid=node.guid,
            name=xml_safe(node.name),
            isCodable="true" if node.codable else "false",
            color=node.colour,
        )
        if node.description:
            etree.SubElement(el, f"{{{ns}}}Description").text = xml_safe(node.description)
        add_codes(el, node.children, ns)


def codebook_xml(extra_codes: list[str] | tuple[str, ...] = ()) -> bytes:
    """The ``.qdc`` document: UTF-8, no BOM, no empty ``Sets``."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin=ORIGIN)
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    add_codes(codes, code_tree(extra_codes), CODEBOOK_NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_codebook(out: str | Path, extra_codes: list[str] | tuple[str, ...] = ()) -> Path:
    """Write the stage codebook as a REFI-QDA ``.qdc`` file, validated against ``Codebook.xsd``."""
    out = output_file(out)
    data = codebook_xml(extra_codes)
    errors = validate(data, "Codebook")
    if errors:  # a bug, not a user error: say so loudly
        raise RuntimeError(f"codebook export does not validate against Codebook.xsd: {errors[:3]}")
    with writing(out) as part:
        part.write_bytes(data)
    return out


_SCHEMAS: dict[str, etree.XMLSchema] = {}


def schema(name: str) -> etree.XMLSchema:
    """The vendored ``Project`` or ``Codebook`` XSD (see xsd/README.md)."""
    if name not in _SCHEMAS:
        path = resources.files("chrysalide.report.export").joinpath("xsd", f"{name}.xsd")
        _SCHEMAS[name] = etree.XMLSchema(etree.fromstring(path.read_bytes()))
    return _SCHEMAS[name]


def validate(xml: bytes, name: str) -> list[str]:
    """XSD errors of a document (empty list when valid)."""
    xsd = schema(name)
    doc = etree.fromstring(xml, parser=etree.XMLParser(huge_tree=True))
    if xsd.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]


def codes_in_store(store: Store) -> list[str]:
    """Primary codes used in the store that the packaged codebook does not define."""
    rows = store.con.execute("SELECT DISTINCT primary_code FROM codes ORDER BY 1").fetchall()
    return [r[0] for r in rows if r[0] not in CODES]
