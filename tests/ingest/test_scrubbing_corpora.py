"""Name scrubbing on real corpora: ordinary words stay words, names glued to quote headers go.

Expected values are read from the raw files with plain Python, never from the scrubber.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from chrysalide.ingest import ingest
from chrysalide.privacy.ambiguous import AmbiguousNames
from chrysalide.store import Store

pytestmark = [pytest.mark.corpora, pytest.mark.slow]


def _texts(store: Store) -> list[str]:
    rows = store.con.execute("SELECT text, quoted_text, title FROM messages").fetchall()
    return [x for row in rows for x in row if x]


def test_mentalhealth_words_that_are_pieces_of_user_names_stay(store: Store, corpora: Path) -> None:
    """Members here are named with words ("Idk", "hate", "all the time", "Lol", "Deleted"): those words stay."""
    path = corpora / "reddit_mentalhealth_comments_en" / "reddit_post_comments.csv"
    with path.open(encoding="utf-8", newline="") as f:
        bodies = [row["body"] for row in csv.DictReader(f)]
    ingest(store, path, format="reddit", source_name="mh")
    stored = [t for (t,) in store.con.execute("SELECT text FROM messages").fetchall()]
    assert sum(t == "[deleted]" for t in stored) == sum(b == "[deleted]" for b in bodies) == 298
    for pattern in (r"\bIdk\b", r"\bHATE\b", r"(?i)\ball the time\b", r"\bLol\b"):
        assert sum(len(re.findall(pattern, t)) for t in stored) == sum(len(re.findall(pattern, b)) for b in bodies)


def test_adfd_place_names_stay(store: Store, corpora: Path) -> None:
    """A member's name starts with "Berlin-": "Springer, Berlin" keeps its city; "@Berlin" and the name go."""
    root = corpora / "adfd_phpbb_antidepressant_de"
    raw = " ".join(p.read_text(encoding="utf-8") for p in root.rglob("*.bb"))
    ingest(store, root, format="phpbb", source_name="adfd")
    city = re.compile(r"(?<!@)\bBerlin\b(?!-\d)")
    assert len(city.findall(" ".join(_texts(store)))) == len(city.findall(raw)) > 20


def test_fivfr_names_glued_to_quote_headers_go(store: Store, corpora: Path) -> None:
    """The export wrote "fifou1984a écrit :" for "fifou1984 a écrit :" (an invented name): the name must go."""
    path = corpora / "fivfr_pma_forum_fr" / "assets" / "data_psychopma.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    authors = {row["Utilisateur"].casefold() for row in rows}
    header = re.compile(r"(?:\d\d:\d\d)?(\w+?)a\s+écrit\s*:")  # also nested: "à 10:55Johanna519a écrit :"
    glued = sum(
        1 for text in {row["Contenu"] for row in rows} for m in header.finditer(text) if m[1].casefold() in authors
    )
    mapping = {"text": "Contenu", "author": "Utilisateur", "posted_at": "Date"}
    ingest(store, path, format="csv", mapping=mapping, source_name="fiv")
    texts = _texts(store)
    assert glued >= 20
    assert not [m[1] for t in texts for m in header.finditer(t) if m[1].casefold() in authors]
    assert sum(len(re.findall(r"M-[0-9a-f]{10} a écrit", t)) for t in texts) >= glued


def test_fivfr_names_glued_to_a_greeting_go(store: Store, corpora: Path) -> None:
    """The export ran "Bonjour <name>" into the next line's first word ("Bonjour<name>Ha ha !"): the name goes, the
    greeting stays."""
    path = corpora / "fivfr_pma_forum_fr" / "assets" / "data_psychopma.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    authors = {row["Utilisateur"] for row in rows if len(row["Utilisateur"]) >= 4}
    greeting = re.compile(r"(?<!\w)(Bonjour|Bonsoir|Coucou|Salut|Merci|Hello)([A-Z]\w*)")

    def glued(texts: list[str] | set[str]) -> int:
        return sum(any(m[2].startswith(a) for a in authors) for t in texts for m in greeting.finditer(t))

    mapping = {"text": "Contenu", "author": "Utilisateur", "posted_at": "Date"}
    ingest(store, path, format="csv", mapping=mapping, source_name="fiv")
    texts = _texts(store)
    assert glued({row["Contenu"] for row in rows}) == 1
    assert glued(texts) == 0
    assert sum(len(re.findall(r"\bBonjour M-[0-9a-f]{10} Ha\b", t)) for t in texts) == 1


def test_fivfr_names_glued_to_digits_go(store: Store, corpora: Path) -> None:
    """No author's name (four letters or more, no common word by the scrubber's own list) is left glued after digits:
    the export wrote "...&start=3840<name>," (an address without http:// and a name after it). Digits glued to
    ordinary words ("2ans", "4eme") stay as written."""
    path = corpora / "fivfr_pma_forum_fr" / "assets" / "data_psychopma.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    common = AmbiguousNames(("fr",)).any_word
    names = sorted({r["Utilisateur"] for r in rows if len(r["Utilisateur"]) >= 4 and not common(r["Utilisateur"])})
    glued = re.compile(r"\d(?:" + "|".join(re.escape(n) for n in names) + ")", re.IGNORECASE)
    ordinary = re.compile(r"\d(?:ans|mois|jours|eme|ème|ere|ère)\b")
    raw = {row["Contenu"] for row in rows}
    mapping = {"text": "Contenu", "author": "Utilisateur", "posted_at": "Date"}
    ingest(store, path, format="csv", mapping=mapping, source_name="fiv")
    texts = _texts(store)
    assert sum(len(glued.findall(t)) for t in raw) >= 1
    assert [m.group() for t in texts for m in glued.finditer(t)] == []
    assert sum(len(ordinary.findall(t)) for t in texts) == sum(len(ordinary.findall(t)) for t in raw) > 10


def _adfd(corpora: Path) -> tuple[Path, set[str], dict[str, str]]:
    """ADFD's folder, its authors (``.meta``) and each post's text by post id, BBCode tags removed."""
    root = corpora / "adfd_phpbb_antidepressant_de"
    authors = {
        line.split(":", 1)[1].strip()
        for meta in root.rglob("*.meta")
        for line in meta.read_text(encoding="utf-8").splitlines()
        if line.startswith(".. author:")
    }
    tag = re.compile(r"\[/?[a-z*]+(?:=[^\]]*)?\]")
    posts = {bb.stem.split("-", 1)[0]: tag.sub("", bb.read_text(encoding="utf-8")) for bb in root.rglob("*.bb")}
    return root, authors, posts


def test_adfd_names_followed_by_an_s_go(store: Store, corpora: Path) -> None:
    """ADFD wrote an author's name and an "s" (a German genitive: "<name>s Recherchen"): no author's user name or
    first name of four letters or more that is no German word is left so, unless the word with its "s" is a word or
    another first name ("Andreas"); the raw files hold 3."""
    from chrysalide.privacy.names import FIRST_NAME, USER_NAME, is_name_in_s, variants

    root, authors, _ = _adfd(corpora)
    word = AmbiguousNames(("de",)).any_word
    forms = {v.text.casefold() for a in authors for v in variants(a, "x") if v.form in (USER_NAME, FIRST_NAME)}
    genitives = {
        f + "s" for f in forms if len(f) >= 4 and not word(f) and not word(f + "s") and not is_name_in_s(f + "s")
    } - forms

    def count(texts: list[str]) -> int:
        return sum(w in genitives for t in texts for w in re.findall(r"\w+", t.casefold()))

    raw = [p.read_text(encoding="utf-8") for p in root.rglob("*.bb")]
    ingest(store, root, format="phpbb", source_name="adfd")
    assert count(raw) == 3
    assert count(_texts(store)) == 0


def test_doctissimo_names_after_a_greeting_go(store: Store, corpora: Path) -> None:
    """Doctissimo's annotated posts name no author, so no member name is known; the posts answer people by their
    first names after a greeting: a capitalised word after a greeting and before a comma, read from the raw file with
    a plain pattern, goes (forms of address that name no one left out of the pattern's words)."""
    path = corpora / "doctissimo_intentions_fr" / "data" / "reconstructed_posts_final.json"
    posts = json.loads(path.read_text(encoding="utf-8"))
    raw = {str(p["post_id"]): "\n".join(s["text"] for s in p["sentences"]) for p in posts}
    greeted = re.compile(r"(?m)^\s*(?:Bonjour|Bonsoir|Merci|Coucou|Salut) ([A-ZÀ-Ý][a-zà-ÿ]+),")
    named = {pid: m.group(1) for pid, t in raw.items() if (m := greeted.search(t)) and m.group(1) not in
             ("Docteur", "Mesdames", "Messieurs", "Madame", "Monsieur")}  # fmt: skip
    assert len(named) >= 5
    ingest(store, path, mapping={"message_id": "post_id", "text": "sentences"})
    stored = dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())
    for pid, name in named.items():
        assert re.search(rf"\b{name}\b", stored[pid]) is None, pid
        assert re.search(r"(?:Bonjour|Bonsoir|Merci|Coucou|Salut) M-[0-9a-f]{10},", stored[pid]), pid


def test_adfd_signatures_go(store: Store, corpora: Path) -> None:
    """An author signs his articles with a first name, an initial and a surname on a line of their own, under a
    line that ends with a colon ("f.d.R.:"), above a postcode and a town, or after a glued dash: no post keeps
    the name so signed (found here with plain Python over the raw files)."""
    root, _, posts = _adfd(corpora)
    line = re.compile(r"-?([A-Z][a-z]+-[A-Z]\. [A-Z][a-z]+),?")
    signed: dict[str, str] = {}
    for post, text in posts.items():
        lines = [x.strip() for x in text.split("\n")]
        for i, x in enumerate(lines):
            match = line.fullmatch(x)
            after = lines[i + 1] if i + 1 < len(lines) else ""
            if match and (
                (i and lines[i - 1].endswith(":")) or re.match(r"\d{5} ", after) or (x[0] == "-" and not after)
            ):
                signed[post] = match[1]
    ingest(store, root, format="phpbb", source_name="adfd")
    stored = dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())
    assert len(signed) >= 8
    assert [post for post, name in signed.items() if name in stored[post]] == []


def test_adfd_surnames_after_members_names_go(store: Store, corpora: Path) -> None:
    """Members named by a first name are cited with their surname ("<name> <surname>", written nowhere else in the
    source): the surname goes with the name."""
    root, authors, posts = _adfd(corpora)
    raw = "\n".join(posts.values())
    pairs = {
        (a, m[1])
        for a in authors
        if re.fullmatch(r"[A-Z][a-z]{3,}", a)
        for m in re.finditer(rf"\b{a} ([A-Z][a-zäöüß]{{3,}})\b", raw)
    }
    surnames = {x for a, x in pairs if len(re.findall(rf"\b{x}\b", raw)) == len(re.findall(rf"\b{a} {x}\b", raw)) > 1}
    ingest(store, root, format="phpbb", source_name="adfd")
    texts = " ".join(_texts(store))
    assert surnames
    assert [x for x in surnames if re.search(rf"\b{x}\b", texts)] == []
