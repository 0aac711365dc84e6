"""Consent import (pseudonym, native id, display name), the quote gate and exclusion."""

from __future__ import annotations

import pytest

from chrysalide.errors import InputError
from chrysalide.ingest import ingest
from chrysalide.privacy import WITHHELD, import_consent, is_excluded, load_consent, quote
from chrysalide.privacy.consent import Consent, ConsentMap, list_consent

FORUM = (
    "message_id,thread_id,author,author_id,posted_at,text\n"
    "1,t1,Hortense Valdemar,u17,2017-08-01 10:00,J'ai un nodule\n"
    "2,t1,Barnabé Quillet,,2017-08-01 12:30,Courage Hortense Valdemar !\n"
    "3,t1,Octave Mirebeau,u99,2017-08-01 13:00,Moi aussi\n"
)


@pytest.fixture
def forum(store, tmp_path):
    path = tmp_path / "forum.csv"
    path.write_text(FORUM, encoding="utf-8")
    ingest(store, path)
    pseudonyms = dict(store.con.execute(
        "SELECT native_id, pseudonym FROM messages JOIN members USING (member_id)"
    ).fetchall())  # fmt: skip
    return store, pseudonyms


def write_csv(tmp_path, text):
    path = tmp_path / "consent.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_members_are_matched_by_pseudonym_native_id_and_name(forum, tmp_path):
    store, pseudonyms = forum
    path = write_csv(
        tmp_path,
        "member,status,date,scope\n"
        "u17,granted,2024-02-01,quote\n"  # native user id
        "Barnabé Quillet,granted,2024-02-02,analyse\n"  # display name (member without a user id)
        f"{pseudonyms['3']},refused,01/03/2024,quote\n",  # pseudonym, French date
    )
    report = import_consent(store, path)
    assert (report.imported, report.unknown, report.problems) == (3, [], [])
    consent = load_consent(store)
    by_pseudonym = {r["pseudonym"]: r for r in list_consent(store)}
    assert by_pseudonym[pseudonyms["1"]]["quotable"] is True
    assert by_pseudonym[pseudonyms["2"]]["scope"] == "analyse"
    assert by_pseudonym[pseudonyms["3"]]["excluded"] is True
    assert len(consent) == 3


def test_bad_rows_and_unknown_members_are_reported_by_line_not_fatal(forum, tmp_path):
    store, _ = forum
    path = write_csv(
        tmp_path,
        "member;status;date;scope\n"
        "u17;granted;2024-02-01;quote\n"
        "Nobody Known;granted;2024-02-01;quote\n"
        "u99;maybe;2024-02-01;quote\n"
        "u99;granted;yesterday;quote\n"
        "u99;granted;2024-02-01;everything\n",
    )
    report = import_consent(store, path)
    assert report.imported == 1
    assert report.unknown == [3]
    assert [line for line, _ in report.problems] == [4, 5, 6]
    assert "status" in report.problems[0][1] and "date" in report.problems[1][1]


def test_raw_names_are_never_stored(forum, tmp_path):
    store, _ = forum
    import_consent(store, write_csv(tmp_path, "member,status,date,scope\nBarnabé Quillet,granted,,quote\n"))
    dump = str(store.con.execute("SELECT * FROM consent").fetchall())
    dump += str(store.con.execute("SELECT summary, params FROM runs WHERE stage = 'consent'").fetchall())
    assert "Barnab" not in dump and "Quillet" not in dump


def test_missing_columns_is_an_input_error(forum, tmp_path):
    store, _ = forum
    with pytest.raises(InputError, match="missing required column"):
        import_consent(store, write_csv(tmp_path, "who,status\nx,granted\n"))


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        (
            "Jorinde Brandauer,granted,2024-02-01,quote",
            "missing required column(s) member, status, scope; expected a first line naming the columns member,"
            " status, date, scope (date may be left out); the first line holds 4 column(s), none expected",
        ),
        (
            "member;piano dreamer;Date;notes",
            "missing required column(s) status, scope; expected a first line naming the columns member, status,"
            " date, scope (date may be left out); the first line holds 4 column(s), of which member, date are expected",
        ),
        ("", "missing required column(s) member, status, scope"),
    ],
)
def test_a_wrong_header_names_the_columns_not_the_cells(forum, tmp_path, first_line, expected):
    """Regression: a file without its header made the error echo its first line ("found: hi all"): in a member
    list, a real name. The error names the file, the expected and missing columns, and counts the other cells.
    Expected messages by hand."""
    store, _ = forum
    delimiter = ";" if ";" in first_line else ","
    rest = delimiter.join(["Brandauer", "granted", "", "quote"])
    path = write_csv(tmp_path, f"{first_line}\n{rest}\n" if first_line else "")
    with pytest.raises(InputError) as raised:
        import_consent(store, path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and expected in message
    assert "Jorinde" not in message and "Brandauer" not in message and "piano" not in message


def test_later_decision_replaces_earlier(forum, tmp_path):
    store, pseudonyms = forum
    import_consent(store, write_csv(tmp_path, "member,status,date,scope\nu17,granted,2024-01-01,quote\n"))
    import_consent(store, write_csv(tmp_path, "member,status,date,scope\nu17,withdrawn,2024-06-01,quote\n"))
    member = store.con.execute("SELECT member_id FROM members WHERE pseudonym = ?", [pseudonyms["1"]]).fetchone()[0]
    assert is_excluded(store, member)
    assert quote(store, member, "texte") == WITHHELD


@pytest.mark.parametrize(
    ("status", "scope", "quotable", "excluded"),
    [
        ("granted", "quote", True, False),
        ("granted", "analyse", False, False),
        ("granted", "exclude", False, True),
        ("refused", "quote", False, True),
        ("withdrawn", "analyse", False, True),
    ],
)
def test_consent_semantics(status, scope, quotable, excluded):
    consent = ConsentMap({7: Consent(status, scope)})
    assert (quote(consent, 7, "mon texte") == "mon texte") is quotable
    assert is_excluded(consent, 7) is excluded


def test_no_row_and_guests_are_analysed_but_never_quoted():
    consent = ConsentMap({})
    assert quote(consent, 8, "texte") == WITHHELD
    assert quote(consent, None, "texte") == WITHHELD
    assert not is_excluded(consent, 8) and not is_excluded(consent, None)


def test_quote_scrubs_contacts_even_when_consented():
    consent = ConsentMap({1: Consent("granted", "quote")})
    assert quote(consent, 1, "écris-moi: jo@mail.fr") == "écris-moi: [email]"
