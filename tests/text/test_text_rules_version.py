"""A store whose text rows an older version's rules wrote is processed again whole, never mixed with new rows.

The older version is simulated as it would have left the store: its runs' component rewritten in SQL (every version
before the rules were versioned recorded ``chrysalide.text/0.1.0``), and one of its rows holding what older rules
wrote (an own-health flag the current lists do not give).
"""

from __future__ import annotations

from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.pipeline import pipeline
from chrysalide.store import Store
from chrysalide.text import process

OLDER = "chrysalide.text/0.1.0"
# Own health by hand: "J'ai ... nodules à la thyroïde" is the author's own health (first person, then a health
# word); "Merci à tous" names none.
MESSAGES = [
    (1, "J'ai des nodules à la thyroïde, mon endocrino veut opérer.", True),
    (2, "Merci à tous pour vos réponses, bonne journée.", False),
    (3, "We are all in this together, keep going everyone.", False),
]
NEW = (4, "Ich habe seit Wochen Schmerzen im Knie.", True)


def insert(store: Store, rows: list[tuple[int, str, bool]]) -> None:
    for message_id, text, _ in rows:
        store.con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, text, content_hash)"
            " VALUES (?, 'src', ?, ?, ?, ?, 'hash')",
            [message_id, str(message_id), message_id, message_id, text],
        )


def as_older_version(store: Store) -> None:
    """What an older version leaves: its runs' component, and a row its rules made otherwise (message 2 flagged)."""
    store.con.execute("UPDATE runs SET component = ? WHERE stage = 'text'", [OLDER])
    store.con.execute("UPDATE text_features SET own_health = true WHERE message_id = 2")


def rows(store: Store) -> dict[int, tuple[bool, int]]:
    """Own-health flag and run of every message's text row."""
    found = store.con.execute("SELECT message_id, own_health, run_id FROM text_features").fetchall()
    return {int(m): (bool(flag), int(run)) for m, flag, run in found}


def test_rows_of_older_rules_are_made_again_with_the_new_messages(store: Store) -> None:
    insert(store, MESSAGES)
    process(store)
    as_older_version(store)
    insert(store, [NEW])
    result = process(store)
    assert not result.up_to_date
    assert result.summary["messages"] == 4  # the 3 older rows and the new message
    component = store.con.execute("SELECT component FROM runs WHERE run_id = ?", [result.run_id]).fetchone()
    assert component is not None and component[0] != OLDER
    assert result.summary["rules_changed"] == {"from": [OLDER], "to": component[0], "messages": 3}
    expected = {m: (health, result.run_id) for m, _, health in [*MESSAGES, NEW]}
    assert rows(store) == expected  # every row is this run's; message 2 lost the older rules' flag
    segments = store.con.execute("SELECT DISTINCT run_id FROM segments").fetchall()
    assert segments == [(result.run_id,)]
    again = process(store)
    assert again.up_to_date and again.run_id == result.run_id  # the store holds one version's rows now


def test_same_rules_stay_incremental(store: Store) -> None:
    insert(store, MESSAGES)
    first = process(store)
    insert(store, [NEW])
    second = process(store)
    assert second.summary["messages"] == 1 and "rules_changed" not in second.summary
    assert rows(store) == {1: (True, first.run_id), 2: (False, first.run_id), 3: (False, first.run_id),
                           4: (True, second.run_id)}  # fmt: skip


def test_pipeline_processes_older_rows_again_and_codes_stand(store: Store) -> None:
    """The coders read the messages' text, never the text step's rows (their names carry the health words' digest
    for the flag they compute themselves): text rows made again leave the codes standing."""
    insert(store, MESSAGES)
    pipeline(store, steps=["text", "code"])
    as_older_version(store)
    text, code = pipeline(store, steps=["text", "code"])
    assert text.result.summary["messages"] == 3 and text.result.summary["rules_changed"]["messages"] == 3
    assert rows(store)[2] == (False, text.result.run_id)
    assert code.result.up_to_date


def test_cli_says_the_rules_changed_once(store: Store) -> None:
    insert(store, MESSAGES)
    process(store)
    as_older_version(store)
    path = store.path
    store.close()
    runner = CliRunner()
    changed = runner.invoke(app, ["pipeline", "--db", path, "--step", "text"])
    assert changed.exit_code == 0, changed.output
    said = " ".join(changed.output.split())  # the line may wrap
    assert f"text rules changed since the last run ({OLDER} -> chrysalide.text/" in said
    assert "3 messages processed again" in said
    unchanged = runner.invoke(app, ["text", "--db", path])
    assert unchanged.exit_code == 0 and "rules changed" not in unchanged.output  # its stored run stands
    with Store(path) as st:
        st.con.execute("UPDATE runs SET component = ? WHERE stage = 'text'", [OLDER])
    again = runner.invoke(app, ["text", "--db", path])
    assert again.exit_code == 0, again.output
    assert "3 messages processed again" in " ".join(again.output.split())
