"""The names of an import: members' pseudonyms and keyed ids, the name vault, the scrubber of the text.

The scrubber must know every name of the source, not only those of the current import: a message of a
later import names members of an earlier one. Raw names are never stored in clear: each name seen in a
source (members, named guests, quoted authors, deleted accounts, authors of rejected records) is kept in
``name_vault``, sealed under the key file (:class:`chrysalide.privacy.keys.Sealer`), and unsealed by the
next import of the same source. Without the key file the vault is unreadable; with it, the names it holds
are those an attacker holding the key could confirm anyway from a public user list and the pseudonyms.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pyarrow as pa

from chrysalide.ingest.collect import HANDLE, Member
from chrysalide.ingest.records import GUEST, HISTORY, RECORD_START
from chrysalide.privacy.addressees import Addressees
from chrysalide.privacy.ambiguous import AmbiguousNames
from chrysalide.privacy.keys import Sealer
from chrysalide.privacy.names import FUNCTION_LANGS, QUOTED_NAME, Variant, variants
from chrysalide.privacy.pseudonyms import Pseudonymiser
from chrysalide.privacy.scrubber import NameScrubber
from chrysalide.store import Store

ROLES = {"member", "moderator", "admin", GUEST}
_USER_NAME = re.compile(r"[^\s]{3,30}")
_DOMAIN = re.compile(r"\.(?:[a-z]{2,3}|info|org|com|net)$", re.I)
_ALIASES = {"administrator": "admin", "founder": "admin", "mod": "moderator", "modérateur": "moderator"}


@dataclass(frozen=True)
class Naming:
    """What every chunk of an import needs: the source, the scrubber of its names, pseudonyms and ids."""

    source_id: str
    scrubber: NameScrubber
    pseudonyms: dict[str, str]  # casefolded name -> pseudonym, for quoted authors
    pseudo: Pseudonymiser
    scrub: bool = True  # False under --keep-names: the text stays as the source wrote it
    new_names: list[tuple[str, str, str]] = field(default_factory=list)  # (name, pseudonym, kind) not in vault
    authors: dict[str, str] = field(default_factory=dict)  # member key -> pseudonym: a thread's authors

    def board(self, board: str | None) -> str | None:
        """A board as stored: a Reddit profile's own subreddit ("u_name") names its user, so it becomes "u_" and
        the member's pseudonym, or "u_[user]" (:meth:`NameScrubber.profiles`); other boards stay."""
        return self.scrubber.profiles(board) if self.scrub and board and "u_" in board else board

    def pseudonym_of(self, name: str) -> str:
        """The pseudonym of a name seen in the source (a member's, else that of its ``name:`` key)."""
        return pseudonym_of(self.source_id, self.pseudonyms, self.pseudo, name)


def member_meta(member: Member) -> str | None:
    """The ``members.meta`` JSON of a member: their record start (:data:`RECORD_START`) when the importer knows it,
    and whether the source holds their own history (:data:`HISTORY`)."""
    meta: dict[str, object] = {RECORD_START: member.record_start.isoformat()} if member.record_start else {}
    if member.history:
        meta[HISTORY] = True
    return json.dumps(meta) if meta else None


def role(value: str | None) -> str:
    """A member's role among :data:`ROLES` (``member`` for anything else)."""
    found = (value or "member").strip().lower()
    found = _ALIASES.get(found, found)
    return found if found in ROLES else "member"


def vault(store: Store, source_id: str, sealer: Sealer) -> list[tuple[str, str, str]]:
    """The names of ``source_id`` that earlier imports sealed: (name, pseudonym, kind)."""
    rows = store.con.execute(
        "SELECT sealed, pseudonym, kind FROM name_vault WHERE source_id = ? ORDER BY sealed", [source_id]
    ).fetchall()
    return [(sealer.unseal(bytes(sealed), source_id), pseudonym, kind) for sealed, pseudonym, kind in rows]


def build(
    source_id: str,
    members: dict[str, Member],
    other_names: dict[str, str],
    pseudo: Pseudonymiser,
    known: list[tuple[str, str, str]],
    languages: tuple[str, ...] = (),
) -> tuple[Naming, pa.Table]:
    """The import's naming (its scrubber knows ``known``, the vault's names, too) and its members' table.

    ``languages``: those of the source's messages, which decide whether a name is also a word.
    """
    names: list[tuple[str, str, str]] = []
    pseudonyms: list[str] = []
    authors: dict[str, str] = {}
    for key, member in members.items():
        pseudonym = pseudo.pseudonym(f"{source_id}\x1f{key}", min(member.names) if member.names else None)
        kind = "guest" if member.role == GUEST else "member"
        names.extend((n, pseudonym, kind) for n in member.names)
        pseudonyms.append(pseudonym)
        authors[key] = pseudonym
    by_name = {n.casefold(): p for n, p, _ in names}
    for name, kind in other_names.items():
        if name.casefold() not in by_name:
            pseudonym = pseudo.pseudonym(f"{source_id}\x1fname:{name}")
            names.append((name, pseudonym, kind))
            by_name[name.casefold()] = pseudonym
    table = pa.table(
        {
            "member_id": pa.array(pseudo.member_ids(source_id, members), pa.int64()),
            "source_id": pa.array([source_id] * len(members), pa.string()),
            "pseudonym": pa.array(pseudonyms, pa.string()),
            "registered_at": pa.array([m.registered_at for m in members.values()], pa.timestamp("us")),
            "role": pa.array([role(m.role) for m in members.values()], pa.string()),
            "meta": pa.array([member_meta(m) for m in members.values()], pa.string()),
        }
    )
    if pseudo.keep_names:
        return Naming(source_id, NameScrubber([]), by_name, pseudo, scrub=False, authors=authors), table
    seen = {(n, p) for n, p, _ in known}
    new = [entry for entry in names if (entry[0], entry[1]) not in seen]
    is_word = AmbiguousNames(tuple(lang for lang in languages if lang in FUNCTION_LANGS)).any_word
    forms = [form for n, p, kind in [*known, *new] for form in _forms(n, p, kind, is_word)]
    for name, pseudonym, _ in known:
        by_name.setdefault(name.casefold(), pseudonym)
    # A person the text names (a doctor, a member's own first name) is named like a quoted author.
    person = partial(pseudonym_of, source_id, by_name, pseudo)
    # A reply opening with an earlier author's name addresses them (chrysalide.privacy.addressees): members only.
    addressees = Addressees((n, p) for n, p, kind in [*known, *new] if kind in ("member", "guest"))
    scrubber = NameScrubber(forms, languages=languages, person=person, addressees=addressees)
    return Naming(source_id, scrubber, by_name, pseudo, new_names=new, authors=authors), table


def pseudonym_of(source_id: str, pseudonyms: dict[str, str], pseudo: Pseudonymiser, name: str) -> str:
    """The pseudonym of a name seen in the source: a member's (``pseudonyms``: casefolded name -> pseudonym),
    else that of its ``name:`` key (a quoted author, a person named in the text who is no member)."""
    return pseudonyms.get(name.casefold()) or pseudo.pseudonym(f"{source_id}\x1fname:{name}")


def _forms(name: str, pseudonym: str, kind: str, is_word: Callable[[str], bool]) -> list[Variant]:
    """The forms of a name the scrubber looks for.

    A quote attribution that is no member's may name a person (a member of the forum absent from this
    import) or a source ("Arznei-Telegramm", "Die Zeit", "WHO"): it is looked for whole, never by its parts
    (those of "Link zum Paroxetin FAQ" would erase a drug from every message), only when it has the shape
    of a user name (no space, 3 to 30 characters, no address), and replaced only where it stands as a name
    ("Hallo SandraF", "@Ben"): "laut Arznei-Telegramm" keeps its source. So is a name seen only in a u/handle
    that is a word of the source's languages ("u/weary": "Thanks, Weary"; "Weary of it all" keeps its word).
    """
    if kind == HANDLE and is_word(name):
        return [Variant(name, pseudonym, QUOTED_NAME)]
    if kind != "quoted":
        return variants(name, pseudonym)
    if not _USER_NAME.fullmatch(name) or "://" in name or _DOMAIN.search(name):
        return []
    return [Variant(name, pseudonym, QUOTED_NAME)]


def vault_rows(naming: Naming, sealer: Sealer) -> pa.Table:
    """The vault rows of the names this import saw first."""
    rows: dict[str, list[Any]] = {"source_id": [], "sealed": [], "pseudonym": [], "kind": []}
    for name, pseudonym, kind in naming.new_names:
        rows["source_id"].append(naming.source_id)
        rows["sealed"].append(sealer.seal(name, naming.source_id))
        rows["pseudonym"].append(pseudonym)
        rows["kind"].append(kind)
    types = {"sealed": pa.binary()}
    return pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in rows.items()})
