"""Pool workers exit when the process that started them dies (kill -9), with both pools and start methods."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

POOL = textwrap.dedent(
    """
    import sys, time
    from chrysalide.distributed import processes
    processes.START_METHOD = sys.argv[2]
    from chrysalide.distributed.processes import pool_context

    def nap(_):
        time.sleep(120)

    if __name__ == "__main__":
        if sys.argv[1] == "futures":
            from concurrent.futures import ProcessPoolExecutor
            with ProcessPoolExecutor(2, mp_context=pool_context()) as pool:
                list(pool.map(nap, range(2)))
        else:
            with pool_context().Pool(2) as pool:
                pool.map(nap, range(2))
    """
)


@pytest.mark.parametrize("kind", ["futures", "pool"])
@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_workers_exit_when_their_parent_is_killed(tmp_path, kind, start):
    if start == "fork" and sys.platform != "linux":
        pytest.skip("the pools fork on Linux only")
    script = tmp_path / "pool.py"
    script.write_text(POOL, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), kind, start], cwd=tmp_path)
    parent = psutil.Process(proc.pid)
    workers: list[psutil.Process] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = [c for c in parent.children(recursive=True) if c.is_running()]
        if len(workers) >= 2:
            break
        time.sleep(0.1)
    assert len(workers) >= 2
    time.sleep(1)  # the workers are busy with their task
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []
