"""Doctissimo's annotated posts (``doctissimo_intentions_fr``) and IVG thread starts
(``doctissimo_ivg_threadstarts_fr``) import with the commands docs/importers.md gives."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from chrysalide.errors import InputError
from chrysalide.ingest import ingest

pytestmark = pytest.mark.corpora
DATA = "doctissimo_intentions_fr/data"


def test_reconstructed_posts_import_as_their_sentences_one_a_line(store, corpora: Path) -> None:
    path = corpora / DATA / "reconstructed_posts_final.json"
    posts = json.loads(path.read_text(encoding="utf-8"))
    want = {str(p["post_id"]): "\n".join(s["text"] for s in p["sentences"]) for p in posts}
    report = ingest(store, path, mapping={"message_id": "post_id", "text": "sentences"}, keep_names=True)
    assert (report.imported, report.rejected) == (len(posts), 0) == (161, 0)
    got = store.con.execute(
        "SELECT native_id, coalesce(s.source_text, m.text) FROM messages m LEFT JOIN message_sources s USING (message_id)"
    ).fetchall()
    assert dict(got) == want


def test_the_raw_text_file_is_refused_naming_its_first_line(store, corpora: Path) -> None:
    path = corpora / DATA / "corpus_brut.txt"
    first = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    with pytest.raises(InputError, match=f"line 1: '{first}' is no header row"):
        ingest(store, path)


IVG_MAP = {
    "message_id": "?postURL",
    "thread_id": "?threadURL",
    "title": "?threadTitle",
    "board": "?parentThread",
    "text": "?contentPost",
    "author": "?creatorPost",
    "posted_at": "?datePost",
}


def test_ivg_sparql_dates_are_read_not_left_undated(store, corpora: Path) -> None:
    """Regression: the export's dates are RDF typed literals; every post was imported undated (2,032 warnings)."""
    path = corpora / "doctissimo_ivg_threadstarts_fr" / "IVG.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter=";")
        rows = [r for r in reader if r["?contentPost"].strip()]
    # '"2014-05-08"^^<http://www.w3.org/2001/XMLSchema#date>': the date is the 10 characters after the quote.
    want = {r["?postURL"]: datetime.strptime(r["?datePost"][1:11], "%Y-%m-%d") for r in rows}
    report = ingest(store, path, mapping=IVG_MAP, keep_names=True)
    # No date is unreadable: the one warning names the columns no field reads (the posters' sex and age).
    unread = [c for c in reader.fieldnames or [] if c and c not in IVG_MAP.values()]
    assert unread == ["?sexe", "?age"]
    assert report.imported == len(want)
    assert report.warnings == [
        "IVG.csv: 2 column(s) left out, as no field reads them: '?sexe', '?age' (docs/importers.md)"
    ]
    got = dict(store.con.execute("SELECT native_id, posted_at FROM messages").fetchall())
    assert got == want
    assert (min(got.values()).date().isoformat(), max(got.values()).date().isoformat()) == ("2010-02-01", "2016-01-31")


def test_ivg_authors_named_by_their_profile_address_are_scrubbed_by_their_user_name(store, corpora: Path) -> None:
    """Regression: '?creatorPost' holds the profile's address, so the scrubber looked for the address and 11 members'
    user names stayed in the text, mostly as signatures ("En vous remerciant par avance," then the name)."""
    path = corpora / "doctissimo_ivg_threadstarts_fr" / "IVG.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter=";") if r["?contentPost"].strip()]
    users = {m.group(1) for r in rows if (m := re.search(r"club\.doctissimo\.fr/([^/>]+)/", r["?creatorPost"]))}

    def named(texts: list[str]) -> set[str]:
        # user names of 4 characters or more, standing apart (the scrubber leaves shorter ones: ordinary words);
        # only the names found anywhere in the texts are searched word by word (1,600 names x 2,032 texts)
        folded = "\n".join(texts).lower()
        found = [u for u in users if len(u) >= 4 and u.lower() in folded]
        return {u for u in found if any(re.search(rf"(?<![\w-]){re.escape(u)}(?![\w-])", t, re.I) for t in texts)}

    assert len(named([r["?contentPost"] for r in rows])) == 15  # in the file
    ingest(store, path, mapping=IVG_MAP)
    assert named([t for (t,) in store.con.execute("SELECT text FROM messages").fetchall()]) == set()


def test_ivg_texts_lose_the_exports_escapes_and_cut_references(store, corpora: Path) -> None:
    """Regression: 466 stored posts kept '\\"' (the export escapes each quote and backslash of its strings) and
    15 ended in '&amp' (cut at the ';' of '&amp;'), so that "amp" was a word of theirs."""
    path = corpora / "doctissimo_ivg_threadstarts_fr" / "IVG.csv"
    with path.open(encoding="utf-8", newline="") as f:
        posts = {
            r["?postURL"]: r["?contentPost"] for r in csv.DictReader(f, delimiter=";") if r["?contentPost"].strip()
        }
    escaped = {k for k, t in posts.items() if '\\"' in t}
    cut = {k for k, t in posts.items() if t.rstrip().endswith("&amp")}
    assert (len(escaped), len(cut)) == (468, 15)
    ingest(store, path, mapping=IVG_MAP, keep_names=True)
    stored = dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())
    assert not [k for k, t in stored.items() if "\\" in t and "/!\\" not in t]
    # every quote stays, one character each (but in HTML, whose attributes' quotes go with the tags)
    plain = [k for k, t in posts.items() if "<" not in t]
    assert sum(stored[k].count('"') for k in plain) == sum(posts[k].count('"') for k in plain) == 1807
    assert [k for k, t in stored.items() if t.endswith("&amp") or re.search(r"\bamp\b", t)] == []
    # the posts cut at "&amp" end with what came before it (the last 12 characters, clear of any scrubbed url)
    assert {k: stored[k][-12:] for k in cut} == {k: posts[k].rstrip()[:-4].rstrip()[-12:] for k in cut}
    help_me = [t for t in posts.values() if "HELP ME" in t]
    assert [t for t in stored.values() if "HELP ME" in t] == [t.replace("\\\\", "\\") for t in help_me]
    titles = {t for (t,) in store.con.execute("SELECT title FROM threads").fetchall()}
    assert not [t for t in titles if t and "\\" in t]


def test_ivg_maman_and_moi_stay_words_where_no_cue_names_a_member(store, corpora: Path) -> None:
    """Regression: members named "maman" or "moi" and digits have "Maman" and "Moi" for first names, and the
    forum's "ma Maman" and "Bonjour, Moi 29 ans" lost them. "Moi" is a function word, a name only where a name
    stands, which none of its uses here is. "Maman", a common word, is still taken for the member where it has a
    capital mid-sentence without an article or possessive before it (a noun follows those: "ma Maman"), as a
    first name that signs ("Bizzz, Mimi") does: privacy first."""
    path = corpora / "doctissimo_ivg_threadstarts_fr" / "IVG.csv"
    with path.open(encoding="utf-8", newline="") as f:
        posts = [r["?contentPost"] for r in csv.DictReader(f, delimiter=";") if r["?contentPost"].strip()]
    ingest(store, path, mapping=IVG_MAP)
    stored = [t for (t,) in store.con.execute("SELECT text FROM messages").fetchall()]
    sentence_start = re.compile(r"(?:\A|[.!?:\n])[\s\"'«»“”(]*\Z")
    determiner = re.compile(r"\b(?:le|la|les|l'|un|une|des|du|ma|ta|sa|mon|ton|son|mes|tes|ses|ce|cette)\s*\Z", re.I)
    counts = {}
    for word in ("maman", "moi"):
        anywhere = re.compile(rf"\b{word}\b", re.I)
        raw = sum(len(anywhere.findall(t)) for t in posts)
        capital_mid_sentence = sum(
            1
            for t in posts
            for m in re.finditer(rf"\b{word.capitalize()}\b", t)
            if not sentence_start.search(t[: m.start()]) and not determiner.search(t[: m.start()])
        )
        counts[word] = (raw, capital_mid_sentence, sum(len(anywhere.findall(t)) for t in stored))
    # "je veux être Maman", "Bonjour, Moi 29 ans, Maman de 3 garçons", "Bonsoir Maman de trois enfants"
    assert counts["maman"] == (262, 3, 262 - 3)
    # "Bonjour, Moi ..." or "Salut tout le monde, Moi ...": a function word stands in
    # no name position in any of them
    assert counts["moi"] == (2259, 8, 2259)


def test_ivg_tags_hidden_by_a_zero_width_space_or_cut_off_leave_no_markup(store, corpora: Path) -> None:
    """Regression: "<\u200bbr>" and "<d\u200biv>" (a zero-width space inside the tag), Word's
    "<?xml:namespace prefix = o /?>" and an "<img src=..." cut off at the end were left in 6 stored posts."""
    path = corpora / "doctissimo_ivg_threadstarts_fr" / "IVG.csv"
    with path.open(encoding="utf-8", newline="") as f:
        posts = {
            r["?postURL"]: r["?contentPost"] for r in csv.DictReader(f, delimiter=";") if r["?contentPost"].strip()
        }
    hidden = {k for k, t in posts.items() if re.search(r"<[^<>]*\u200b[^<>]*>", t)}
    declared = {k for k, t in posts.items() if "<?xml" in t}
    cut = {k for k, t in posts.items() if re.search(r"<img\s[^<>]*\Z", t)}
    assert (len(hidden), len(declared), len(cut)) == (5, 3, 1)
    ingest(store, path, mapping=IVG_MAP, keep_names=True)
    stored = dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())
    markup = re.compile(r"</?(?:div|br|b|img|p|span|strong|font|i|u|a)\b|<\?xml", re.I)
    assert [k for k, t in stored.items() if markup.search(t)] == []
    # the words around the markup stay: "...merci d'avance <\u200bbr>Merci" and "...aider moi !!! <img src=..."
    assert all(stored[k].endswith("Merci") for k in hidden if posts[k].rstrip().endswith("<div>Merci</div>"))
    assert [stored[k][-13:] for k in cut] == ["aider moi !!!"]
