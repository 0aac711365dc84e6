"""Inline quotes of plain-text exports: moved to ``quoted_text`` only where an earlier message proves them."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from chrysalide.ingest import ingest, staging
from chrysalide.store import Store

FIRST = "Je découvre ce forum et il faut bien commencer un jour. Je suis un homme."


def _csv(tmp_path: Path, rows: list[tuple[str, str, str, str]], name: str = "forum.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["message_id", "author", "posted_at", "text"])
        writer.writerows(rows)
    return path


def _stored(store: Store) -> dict[str, tuple[str, str | None]]:
    rows = store.con.execute("SELECT native_id, text, quoted_text FROM messages").fetchall()
    return {native: (text, quoted) for native, text, quoted in rows}


def test_a_quote_of_an_earlier_message_leaves_the_reply(store: Store, tmp_path: Path) -> None:
    header = "plixaa écrit\xa0:↑07 janv. 2022 à 00:04"
    path = _csv(
        tmp_path,
        [
            ("1", "plixa", "2022-01-06 23:04", FIRST),
            ("2", "Nolie", "2022-01-16 16:35", header + FIRST + "Bonjour Plixa, bienvenue ici !"),
        ],
    )
    report = ingest(store, path, keep_names=True)
    assert _stored(store)["2"] == ("Bonjour Plixa, bienvenue ici !", header + FIRST)
    assert _stored(store)["1"] == (FIRST, None)
    assert report.quotes == {"messages": 1, "headers": 1, "moved": 1, "characters": len(header + FIRST)}
    sources = dict(store.con.execute("SELECT message_id, source_text FROM message_sources").fetchall())
    moved = store.con.execute("SELECT message_id FROM messages WHERE native_id = '2'").fetchone()[0]
    assert sources == {moved: header + FIRST + "Bonjour Plixa, bienvenue ici !"}  # the source form, as given


def test_the_header_moves_with_its_names_scrubbed(store: Store, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            ("1", "plixa", "2022-01-06 23:04", FIRST),
            ("2", "Nolie", "2022-01-16 16:35", "plixaa écrit :↑07 janv. 2022 à 00:04" + FIRST + "Bienvenue !"),
        ],
    )
    ingest(store, path)
    text, quoted = _stored(store)["2"]
    assert text == "Bienvenue !"
    assert quoted is not None and re.fullmatch(r"M-[0-9a-f]{10} a écrit :↑07 janv\. 2022 à 00:04" + FIRST, quoted)


def test_a_quote_that_matches_nothing_stays_and_is_counted(store: Store, tmp_path: Path) -> None:
    body = "Tilou55a écrit :↑15 nov. 2023 à 11:34Bonjour, je sais que cette conversation date un peu. Courage !"
    path = _csv(tmp_path, [("1", "Quinoa", "2023-11-17 20:30", body), ("2", "Wombat", "2023-11-18 10:00", FIRST)])
    report = ingest(store, path, keep_names=True)
    assert _stored(store)["1"] == (body, None)
    assert report.quotes == {"messages": 1, "headers": 1, "left": 1}


def test_a_later_message_proves_no_quote(store: Store, tmp_path: Path) -> None:
    # The reply (2) is older than the message that holds its text (1): 1 quotes 2, not the other way round.
    quoting = "Alice wrote:\n" + FIRST + "\nWelcome!"
    path = _csv(
        tmp_path,
        [("1", "Bob", "2022-01-10 10:00", FIRST + " Merci"), ("2", "Carol", "2022-01-09 10:00", quoting)],
    )
    report = ingest(store, path, keep_names=True)
    assert _stored(store)["2"] == (quoting, None)
    assert report.quotes["left"] == 1


@pytest.mark.parametrize(
    "header",
    [
        "karen2727wrote: ↑Sun Jan 07, 2022 12:04 am",
        "karen2727 wrote:",
        "Runde hat geschrieben: ↑Fr 7. Jan 2022, 00:04",
        "Runde hat geschrieben:↑",
        "Nous a écrit : ↑Aujourd’hui, 10:03",
        "Vik52 a écrit : 29 juil. 2020 à 17:43",
    ],
)
def test_headers_in_english_german_and_french_forms(store: Store, tmp_path: Path, header: str) -> None:
    path = _csv(
        tmp_path,
        [("1", "A", "2022-01-06 23:04", FIRST), ("2", "B", "2022-01-16 16:35", f"{header} {FIRST}\nDanke!")],
    )
    ingest(store, path, keep_names=True)
    assert _stored(store)["2"] == ("Danke!", f"{header} {FIRST}")


def test_a_quote_glued_to_the_time_keeps_its_first_letters(store: Store, tmp_path: Path) -> None:
    first = "pma et sommeil ne font pas bon ménage, mais je crois que c'est pareil pour tout le monde."
    header = "Zouzounettea écrit :↑24 avr. 2021 à 12:45"
    path = _csv(
        tmp_path,
        [("1", "Zouzounette", "2021-04-24 10:45", first), ("2", "B", "2021-04-25 10:00", header + first + "Oui.")],
    )
    ingest(store, path, keep_names=True)
    assert _stored(store)["2"] == ("Oui.", header + first)


def test_a_header_at_a_line_start_keeps_the_words_before_it(store: Store, tmp_path: Path) -> None:
    body = "Bonjour à toutes.\nAlice a écrit :\n" + FIRST + "\nMoi aussi."
    path = _csv(tmp_path, [("1", "Alice", "2022-01-06 23:04", FIRST), ("2", "Bob", "2022-01-16 16:35", body)])
    ingest(store, path, keep_names=True)
    assert _stored(store)["2"] == ("Bonjour à toutes.\nMoi aussi.", "Alice a écrit :\n" + FIRST)


def test_a_header_inside_a_sentence_is_no_header(store: Store, tmp_path: Path) -> None:
    body = "Bonjour, ma gynéco a écrit : " + FIRST
    path = _csv(tmp_path, [("1", "Alice", "2022-01-06 23:04", FIRST), ("2", "Bob", "2022-01-16 16:35", body)])
    report = ingest(store, path, keep_names=True)
    assert _stored(store)["2"] == (body, None)
    assert report.quotes == {}


def test_nested_quotes_move_with_the_quote_they_are_in(store: Store, tmp_path: Path) -> None:
    reply = "C'est bien d'avoir le témoignage d'un homme ici !!"
    second = "Johanna519a écrit :↑12 mars 2024 à 11:23" + FIRST + reply
    third = "jorkva écrit :↑26 mars 2024 à 10:55" + second + "Merci pour ton retour."
    path = _csv(
        tmp_path,
        [
            ("1", "Johanna519", "2024-03-12 10:23", FIRST),
            ("2", "jorkv", "2024-03-26 09:55", second),
            ("3", "Johanna519", "2024-03-29 07:40", third),
        ],
    )
    report = ingest(store, path, keep_names=True)
    stored = _stored(store)
    assert stored["2"] == (reply, "Johanna519a écrit :↑12 mars 2024 à 11:23" + FIRST)
    assert stored["3"] == ("Merci pour ton retour.", "jorkva écrit :↑26 mars 2024 à 10:55" + second)
    assert report.quotes["moved"] == 2


def test_a_trimmed_quote_ends_at_a_word_boundary(store: Store, tmp_path: Path) -> None:
    # The quote keeps the original up to "tout."; the reply, glued, starts with "Je" as the original goes on.
    quote = "Je découvre ce forum et il faut bien commencer un jour."
    body = "Alice a écrit :↑07 janv. 2022 à 00:04" + quote + "Jeudi prochain, je te réponds."
    path = _csv(tmp_path, [("1", "Alice", "2022-01-06 23:04", FIRST), ("2", "Bob", "2022-01-16 16:35", body)])
    ingest(store, path, keep_names=True)
    assert _stored(store)["2"] == ("Jeudi prochain, je te réponds.", "Alice a écrit :↑07 janv. 2022 à 00:04" + quote)


def test_a_word_the_board_replaced_in_the_quote_does_not_end_it(store: Store, tmp_path: Path) -> None:
    original = "Début de la PMA en 2021 plein d'imprévus, finalement RDV dans une clinique en mars pour une FIV."
    quote = original.replace(" RDV", "rendez-vous")  # the export: the expansion glued to the word before
    body = "A a écrit :↑07 janv. 2022 à 00:04" + quote + "Bon courage pour la suite."
    path = _csv(tmp_path, [("1", "A", "2022-01-06 23:04", original), ("2", "B", "2022-01-16 16:35", body)])
    ingest(store, path, keep_names=True)
    assert _stored(store)["2"] == ("Bon courage pour la suite.", "A a écrit :↑07 janv. 2022 à 00:04" + quote)


def test_a_message_of_an_earlier_import_or_chunk_proves_the_quote(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staging, "CHUNK_MESSAGES", 1)
    ingest(store, _csv(tmp_path, [("1", "Alice", "2022-01-06 23:04", FIRST)], "one.csv"), source_name="forum")
    rows = [
        ("2", "Bob", "2022-01-07 10:00", "Alice a écrit :\n" + FIRST + "\nMerci."),
        ("3", "Carol", "2022-01-08 10:00", "Bob a écrit :\nBienvenue à toi dans ce forum, courage pour tout !\nOui."),
        ("4", "Dan", "2022-01-05 10:00", "Bienvenue à toi dans ce forum, courage pour tout !"),
    ]
    report = ingest(store, _csv(tmp_path, rows, "two.csv"), source_name="forum")
    stored = _stored(store)
    assert (stored["2"][0], stored["3"][0]) == ("Merci.", "Oui.")
    assert report.quotes["moved"] == 2


def test_two_replies_to_one_post_that_start_alike_keep_their_words(store: Store, tmp_path: Path) -> None:
    rows = [
        ("1", "Alice", "2022-01-06 10:00", FIRST),
        ("2", "Bob", "2022-01-07 10:00", "Alice a écrit :\n" + FIRST + "\nBonjour Alice, courage !"),
        ("3", "Carol", "2022-01-08 10:00", "Alice a écrit :\n" + FIRST + "\nBonjour Alice, moi aussi."),
    ]
    ingest(store, _csv(tmp_path, rows), keep_names=True)
    assert _stored(store)["3"] == ("Bonjour Alice, moi aussi.", "Alice a écrit :\n" + FIRST)


def test_json_lines_are_searched_too(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "forum.jsonl"
    body = "Alice a écrit :\\n" + FIRST + "\\nMerci."
    path.write_text(
        f'{{"message_id": "1", "author": "Alice", "posted_at": "2022-01-06", "text": "{FIRST}"}}\n'
        f'{{"message_id": "2", "author": "Bob", "posted_at": "2022-01-07", "text": "{body}"}}\n',
        encoding="utf-8",
    )
    ingest(store, path, keep_names=True)
    assert _stored(store)["2"] == ("Merci.", "Alice a écrit :\n" + FIRST)


def test_fivfr_quotes_of_earlier_messages_leave_the_members_words(store: Store, corpora: Path) -> None:
    """fiv.fr's export kept phpBB's quotes inline ("plixaa écrit :↑07 janv. 2022 à 00:04Je découvre...")."""
    path = corpora / "fivfr_pma_forum_fr" / "assets" / "data_psychopma.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list({row["Contenu"]: row for row in csv.DictReader(f)}.values())  # the file repeats each row
    header = re.compile(r"\w+ ?a écrit\s*:↑\d\d \S+ \d{4} à \d\d:\d\d")
    with_header, proved = 0, 0
    for row in rows:
        rest, end = row["Contenu"], 0
        while m := header.match(rest, end):
            end = m.end()
        if not end:
            continue
        with_header += 1
        start = "".join(rest[end:].split())[:60]
        proved += any(o["Date"] < row["Date"] and start in "".join(o["Contenu"].split()) for o in rows)
    mapping = {"text": "Contenu", "author": "Utilisateur", "posted_at": "Date"}
    report = ingest(store, path, format="csv", mapping=mapping, source_name="fiv")
    assert with_header > 20 and proved > 15
    assert (report.quotes["messages"], report.quotes["moved"]) == (with_header, proved)
    assert report.quotes["left"] == with_header - proved
    texts = [t for (t,) in store.con.execute("SELECT text FROM messages WHERE quoted_text IS NOT NULL").fetchall()]
    assert len(texts) == proved and not [t for t in texts if re.search(r"a écrit\s*:", t)]
