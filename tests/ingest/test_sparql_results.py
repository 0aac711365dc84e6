"""A table a SPARQL query wrote (columns named ``?var``) has its strings' Turtle escapes decoded, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest

from chrysalide.ingest import ingest
from chrysalide.ingest.sparql import is_result_header, unescape

# The cells as the Doctissimo IVG export writes them, and the text its members typed.
ESCAPED = r"Il a dit \"non\" /!\\HELP ME /!\\ C:\new \o/"
TYPED = 'Il a dit "non" /!\\HELP ME /!\\ C:\\new \\o/'


@pytest.mark.parametrize(
    ("header", "result"),
    [(["?postURL", "?contentPost", "", ""], True), (["?text"], True), (["text", "?id"], False), (["", ""], False)],
)
def test_a_result_header_names_variables_only(header, result) -> None:
    assert is_result_header(header) is result


@pytest.mark.parametrize(
    ("cell", "text"),
    [(ESCAPED, TYPED), (r"\\\"", '\\"'), (r"a\\\\b", r"a\\b"), (r"\o/ \n \u00e9", r"\o/ \n \u00e9"), ("", "")],
)
def test_quote_and_backslash_escapes_are_decoded_from_the_left(cell, text) -> None:
    assert unescape(cell) == text


def _table(tmp_path: Path, header: str) -> Path:
    path = tmp_path / "posts.csv"
    title = r"Récit \"positif\""
    path.write_text(f"{header}\n<p1>;{title};{ESCAPED};<http://club.example/ann/>;;\n", encoding="utf-8")
    return path


def test_a_sparql_result_is_stored_as_typed(store, tmp_path: Path) -> None:
    """Regression: 468 posts and 29 titles of Doctissimo's IVG export were stored with '\\"' for each quote."""
    path = _table(tmp_path, "?id;?title;?text;?who;;")
    ingest(store, path, mapping={"message_id": "?id", "title": "?title", "text": "?text"}, keep_names=True)
    assert store.con.execute("SELECT text FROM messages").fetchall() == [(TYPED,)]
    assert store.con.execute("SELECT title FROM threads").fetchall() == [('Récit "positif"',)]


def test_another_table_keeps_its_backslashes(store, tmp_path: Path) -> None:
    path = _table(tmp_path, "id;title;text;who;;")
    ingest(store, path, mapping={"message_id": "id"}, keep_names=True)
    assert store.con.execute("SELECT text FROM messages").fetchall() == [(ESCAPED,)]
    assert store.con.execute("SELECT title FROM threads").fetchall() == [(r"Récit \"positif\"",)]
