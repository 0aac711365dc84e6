"""How a watch term is matched, and how many messages hold each: the run says it, so that a term no message holds
does not look like a frequent one without a burst.

Regression: ``chrysalide alerts --watch levothyrox`` on r/mentalhealth printed its bursts and nothing about
'levothyrox', which no message holds; a patient.info or phpBB thread's title (kept apart from the opening message's
text, unlike a Reddit submission's) was not searched.

A forum by hand, 2021 (member 9 writes every message; thread titles kept apart, as patient.info's and phpBB's):
- thread 1, titled "Levothyrox : nouvelle formule": the opening message "j'ai des vertiges" holds the term by its
  title; the reply "moi aussi" does not (a title is its opening message's, not every reply's);
- thread 2: "LEVOTHYROX encore" (any case);
- thread 3: "le lévothyrox me fatigue" (accents kept: 'levothyrox' does not match it, 'lévothyrox' does);
- thread 4: "merci", quoting "levothyrox partout" (set apart at import, ``quoted_text``: not searched);
- thread 5: "la levothyroxine" (a substring);
- thread 6: "rien à voir".
'levothyrox': threads 1, 2 and 5, 3 messages; 'lévothyrox': 1; 'insuline': none.
"""

from __future__ import annotations

from forum_builder import Forum
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.community import alerts

WATCH = ["levothyrox", "lévothyrox", "insuline"]


def _forum(store) -> None:
    f = Forum(store)
    f.member(9)
    titles = {1: "Levothyrox : nouvelle formule"}
    for thread in range(1, 7):
        f.thread(thread, title=titles.get(thread, "une question"))
    first = f.post(9, 1, "2021-03-01 10:00", "j'ai des vertiges")
    f.post(9, 1, "2021-03-01 11:00", "moi aussi", reply_to=first)
    f.post(9, 2, "2021-03-08 10:00", "LEVOTHYROX encore")
    f.post(9, 3, "2021-03-15 10:00", "le lévothyrox me fatigue")
    quoting = f.post(9, 4, "2021-03-22 10:00", "merci")
    f.post(9, 5, "2021-03-29 10:00", "la levothyroxine")
    f.post(9, 6, "2021-04-05 10:00", "rien à voir")
    f.save()
    store.con.execute("UPDATE messages SET quoted_text = 'levothyrox partout' WHERE message_id = ?", [quoting])


def test_the_run_counts_the_messages_holding_each_term(store) -> None:
    _forum(store)
    summary = alerts(store, watch=WATCH).summary
    assert summary["watch_messages"] == {"levothyrox": 3, "lévothyrox": 1, "insuline": 0}


def test_the_command_line_says_how_many_and_which_term_no_message_holds(store) -> None:
    _forum(store)
    store.close()
    printed = CliRunner().invoke(app, ["alerts", "--db", str(store.path), *(a for t in WATCH for a in ("--watch", t))])
    assert printed.exit_code == 0, printed.output
    said = " ".join(printed.output.split())
    assert "messages holding each watched term (members' dated messages): 'levothyrox' 3, 'lévothyrox' 1" in said
    assert "no message contains 'insuline'" in said
    assert "insuline' 0" not in said


def test_the_help_says_how_a_term_is_matched() -> None:
    printed = CliRunner().invoke(app, ["alerts", "--help"], terminal_width=300)
    said = " ".join(printed.output.replace("│", " ").split())
    assert "or the title of the thread it opens, contains it as written, in any case" in said
    assert "accents kept ('levothyrox' does not match 'lévothyrox')" in said
    assert "quotes an import set apart (phpBB's quote blocks) are not searched, a Reddit '>' quote is" in said
