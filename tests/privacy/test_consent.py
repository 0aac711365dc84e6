"""Consent import (pseudonym, native id, display name), the quote gate and exclusion."""

from __future__ import annotations

import subprocess
import sys

import pytest

from chrysalide.errors import InputError
from chrysalide.ingest import ingest
from chrysalide.privacy import WITHHELD, import_consent, is_excluded, load_consent, quote
from chrysalide.privacy.consent import Consent, ConsentMap, list_consent
from chrysalide.privacy.pseudonyms import as_pseudonym

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


def test_pseudonyms_match_in_any_case_display_names_as_written(forum, tmp_path):
    """Regression: "m-67C1AB23DE" was "not found" for the member M-67c1ab23de. A pseudonym matches in any case;
    a display name only as written (its keyed hash is of the exact text, and two members may differ by case)."""
    store, pseudonyms = forum
    typed = "m-" + pseudonyms["1"][2:].upper()  # as a spreadsheet may change it
    path = write_csv(tmp_path, f"member,status,date,scope\n{typed},granted,,quote\nbarnabé quillet,refused,,quote\n")
    report = import_consent(store, path)
    assert (report.imported, report.unknown, report.problems) == (1, [3], [])
    assert [(r["pseudonym"], r["quotable"]) for r in list_consent(store)] == [(pseudonyms["1"], True)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("m-67C1AB23DE", "M-67c1ab23de"),
        (" M-67c1ab23de ", "M-67c1ab23de"),
        ("M-67c1ab23d", None),  # nine digits
        ("M-67c1ab23dg", None),  # no hex digit
        ("Jorinde", None),
    ],
)
def test_as_pseudonym(value, expected):
    assert as_pseudonym(value) == expected


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


NO_VALID_ROW = (
    "member;status;date;scope\n"
    "Jorinde Brandauer;granted;;quote\n"  # line 2: no such member
    "u99;maybe;;quote\n"  # line 3: bad status
    "u17;granted;piano dreamer;quote\n"  # line 4: bad date (a cell that is no date may hold a name)
    "u17;granted;;everything\n"  # line 5: bad scope
    "Jorinde Brandauer;refused;;quote\n"  # line 6: no such member
)


def test_a_file_without_any_valid_row_is_an_error(forum, tmp_path):
    """Regression: a file whose every row was invalid "succeeded" ("0 member(s) ... recorded", exit 0). It is an
    InputError giving the reasons by line number, echoing no cell, and nothing is written. Message by hand."""
    store, _ = forum
    path = write_csv(tmp_path, NO_VALID_ROW)
    with pytest.raises(InputError) as raised:
        import_consent(store, path)
    assert str(raised.value) == (
        f"{path}: no row could be read, nothing was recorded:"
        " status must be one of granted, refused, withdrawn on line(s) 3;"
        " unreadable date (use YYYY-MM-DD or DD/MM/YYYY) on line(s) 4;"
        " scope must be one of quote, analyse, exclude on line(s) 5;"
        " no member matches the member column on line(s) 2, 6"
    )
    assert store.con.execute("SELECT count(*) FROM consent").fetchone() == (0,)
    assert store.con.execute("SELECT count(*) FROM runs WHERE stage = 'consent'").fetchone() == (0,)


def test_a_header_without_rows_is_an_error(forum, tmp_path):
    """Regression: a file holding only its header recorded nothing and exited 0."""
    store, _ = forum
    path = write_csv(tmp_path, "member,status,date,scope\n")
    with pytest.raises(InputError, match=f"^{path}: no row under the header; nothing was recorded$"):
        import_consent(store, path)


def test_cli_exits_2_when_no_row_is_valid_and_0_when_some_are(forum, tmp_path):
    """Regression: the command exited 0 for a file of invalid rows. Now exit code 2 and one error line, without
    the names; a file with valid rows among invalid ones records the valid ones and reports the others (exit 0)."""
    store, _ = forum
    store.close()
    write_csv(tmp_path, NO_VALID_ROW)
    failed = run_cli("consent", "import", "consent.csv", "--db", "test.duckdb", cwd=tmp_path)
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert failed.stderr.startswith("error: ") and len(failed.stderr.strip().splitlines()) == 1
    assert "no row could be read" in failed.stderr and "line(s) 2, 6" in failed.stderr
    assert "Jorinde" not in failed.stderr + failed.stdout and "piano" not in failed.stderr + failed.stdout
    write_csv(tmp_path, NO_VALID_ROW + "u17;granted;2024-02-01;quote\n")  # line 7: valid
    partial = run_cli("consent", "import", "consent.csv", "--db", "test.duckdb", cwd=tmp_path)
    assert partial.returncode == 0, partial.stderr
    assert partial.stdout.strip() == "1 member(s) with a consent decision recorded"
    assert "no member matches the member column on line(s) 2, 6" in partial.stderr
    assert "Jorinde" not in partial.stderr and "piano" not in partial.stderr


def run_cli(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it: errors become one line on stderr and an exit code."""
    return subprocess.run(
        [sys.executable, "-c", "from chrysalide.cli.main import run; run()", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip


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
