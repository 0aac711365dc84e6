"""The text step writes the same rows whichever backend runs process_frame."""

import pytest
from typer.testing import CliRunner

from chrysalide.cli.main import app
from chrysalide.distributed import Execution
from chrysalide.errors import ConfigError
from chrysalide.store import Store
from chrysalide.text import process

TEXTS = [
    "J'ai des nodules à la thyroïde, mon endocrino veut opérer. Merci à vous !",
    "Thanks, we are all in this together. I was diagnosed last year with Hashimoto's, my dose is _num_ mcg. " * 3,
    "Ich habe Schmerzen. Haben Sie Erfahrung mit Paroxetin?",
    "Courage à toi, prends soin de toi 😀 " * 20,
    "",
    "ok",
]
FEATURES = "SELECT * EXCLUDE (run_id) FROM text_features ORDER BY message_id"
SEGMENTS = "SELECT * EXCLUDE (run_id) FROM segments ORDER BY segment_id"


def filled(path, n=60):
    store = Store(path)
    for i in range(n):
        store.con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, text, lang, content_hash)"
            " VALUES (?, 'src', ?, 1, ?, ?, 'h')",
            [i * 7_919_000_003 + 1, str(i), TEXTS[i % len(TEXTS)] + f" message {i}.", None if i % 3 else "fr"],
        )
    return store


def rows(store):
    return store.con.execute(FEATURES).fetchall(), store.con.execute(SEGMENTS).fetchall()


@pytest.fixture
def reference(tmp_path):
    with filled(tmp_path / "local.duckdb") as store:
        counts = process(store, batch_size=16).summary
        return counts, rows(store)


@pytest.mark.slow
def test_dask_local_cluster_writes_the_same_rows(tmp_path, reference):
    with filled(tmp_path / "dask.duckdb") as store:
        counts = process(store, batch_size=16, execution=Execution("dask", workers=2)).summary
        assert rows(store) == reference[1]
        langs = store.con.execute("SELECT count(*) FROM messages WHERE lang IS NULL").fetchone()
    assert langs == (0,)
    assert {k: v for k, v in counts.items() if k != "executor"} == {
        k: v for k, v in reference[0].items() if k != "executor"
    }


@pytest.mark.slow
def test_local_process_pool_writes_the_same_rows(tmp_path, reference):
    with filled(tmp_path / "pool.duckdb") as store:
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
