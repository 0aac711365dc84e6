"""The text step writes the same rows whichever backend runs process_frame and reads the closing lines."""

import os

import pytest
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.distributed import Execution, processes
from chrysalide.errors import ConfigError
from chrysalide.store import Store
from chrysalide.text import process, signatures

TEXTS = [
    "J'ai des nodules à la thyroïde, mon endocrino veut opérer. Merci à vous !",
    "Thanks, we are all in this together. I was diagnosed last year with Hashimoto's, my dose is _num_ mcg. " * 3,
    "Ich habe Schmerzen. Haben Sie Erfahrung mit Paroxetin?",
    "Courage à toi, prends soin de toi 😀 " * 20,
    "",
    "ok",
]
# Member 1 signs 4 of their messages and pastes one question under 3 greetings, one message (its longest line): the
# sign-off ends 4 of 5 distinct messages, the question's last line 1 (a closing line needs 3). Message i of the
# store is SIGNED[i // 10] for i < 50: a writer's messages fall in different chunks of 16.
QUESTION = "I have had reactive arthritis since July 2012 and my left foot is swollen, what helped you?"
SIGNED = [f"Day {i} of pacing, my heart rate is fine.\nStrength and Health\nRest Is Best" for i in range(4)] + [
    f"{hello}\n{QUESTION}\nIs this condition for life?" for hello in ("Hi,", "Dear all,", "Hello")
]
FEATURES = "SELECT * EXCLUDE (run_id) FROM text_features ORDER BY message_id"
SEGMENTS = "SELECT * EXCLUDE (run_id) FROM segments ORDER BY segment_id"


def filled(path, n=60):
    store = Store(path)
    for i in range(n):
        signed = i % 10 == 0 and i // 10 < len(SIGNED)
        store.con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, text, lang, content_hash)"
            " VALUES (?, 'src', ?, 1, ?, ?, ?, 'h')",
            [i * 7_919_000_003 + 1, str(i), 1 if signed else None,
             SIGNED[i // 10] if signed else TEXTS[i % len(TEXTS)] + f" message {i}.", None if i % 3 else "fr"],
        )  # fmt: skip
    return store


def rows(store):
    return store.con.execute(FEATURES).fetchall(), store.con.execute(SEGMENTS).fetchall()


@pytest.fixture
def reference(tmp_path):
    with filled(tmp_path / "local.duckdb", n=70) as store:
        counts = process(store, batch_size=16).summary
        return counts, rows(store)


def test_the_reference_leaves_the_sign_off_out_and_keeps_the_pasted_question(reference):
    """Of the 7 messages of member 1, the 4 signed lose 2 lines each (both lines end 4 of their 5 distinct
    messages); the question pasted 3 times keeps its last line."""
    counts, (features, _) = reference
    assert counts["closing_lines"] == 8
    assert [row[-1] for row in features].count("signature") == 4


@pytest.mark.slow
def test_dask_local_cluster_writes_the_same_rows(tmp_path, reference):
    with filled(tmp_path / "dask.duckdb", n=70) as store:
        counts = process(store, batch_size=16, execution=Execution("dask", workers=2)).summary
        assert rows(store) == reference[1]
        langs = store.con.execute("SELECT count(*) FROM messages WHERE lang IS NULL").fetchone()
    assert langs == (0,)
    assert {k: v for k, v in counts.items() if k != "executor"} == {
        k: v for k, v in reference[0].items() if k != "executor"
    }


@pytest.mark.slow
@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_local_process_pool_writes_the_same_rows(tmp_path, reference, monkeypatch, start):
    monkeypatch.setattr(processes, "START_METHOD", start)
    with filled(tmp_path / "pool.duckdb", n=70) as store:
        process(store, batch_size=16, execution=Execution(workers=2))
        assert rows(store) == reference[1]


@pytest.mark.slow
def test_the_pool_reads_the_closing_lines_not_this_process(tmp_path, reference, monkeypatch):
    """The closing-line rule's per-message work (a message's last lines) runs in the pool's workers, as the rest of
    the step does; this process only decides over the writers' endings."""
    here, ending = os.getpid(), signatures.ending

    def in_a_worker(text: str) -> signatures.Ending:
        assert os.getpid() != here, "a message's last lines were read in the step's own process"
        return ending(text)

    monkeypatch.setattr(signatures, "ending", in_a_worker)  # the pool's workers are forked: they see it too
    with filled(tmp_path / "pool.duckdb", n=70) as store:
        process(store, batch_size=16, execution=Execution(workers=2))
        assert rows(store) == reference[1]


def test_bad_options_are_config_errors(store):
    with pytest.raises(ConfigError, match="unknown executor"):
        process(store, execution=Execution("spark"))
    with pytest.raises(ConfigError, match="needs --executor dask"):
        process(store, execution=Execution(scheduler="tcp://localhost:8786"))
    with pytest.raises(ConfigError, match="workers"):
        process(store, execution=Execution(workers=0))
    with pytest.raises(ConfigError, match="unknown parameter 'segment'"):
        process(store, segment=3)


def test_cli_passes_executor_options(tmp_path):
    filled(tmp_path / "cli.duckdb", n=2).close()
    result = CliRunner().invoke(app, ["text", "--db", str(tmp_path / "cli.duckdb"), "--scheduler", "tcp://x:1"])
    assert isinstance(result.exception, ConfigError)  # chrysalide.cli.main.run turns it into exit code 2


def test_progress_counts_messages_from_zero_up_to_the_total(tmp_path):
    calls = []
    with filled(tmp_path / "progress.duckdb", n=40) as store:
        process(store, batch_size=16, execution=Execution(progress=lambda done, total: calls.append((done, total))))
    assert calls == [(0, 40), (16, 40), (32, 40), (40, 40)]
