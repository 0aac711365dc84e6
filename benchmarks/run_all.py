"""Every benchmark, one after the other, on generated corpora (``make bench``; tens of minutes).

Each prints its corpus size, wall time, throughput and peak memory. Pass --quick for a smaller run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    quick = "--quick" in sys.argv
    study = "50000" if quick else "485000"
    runs = [
        ["pipeline.py", "--messages", study, "--add", str(int(study) // 100)],
        ["ingest.py", "--messages", study],
        ["text.py", "--source", "demo", "--size", "50000"],
        ["coding.py", "--size", "20000"],
        ["lexical_reinert.py", "--segments", "20000", "100000"] + ([] if quick else ["1000000"]),
        ["journeys_community.py"] + (["--messages", study] if quick else []),
        ["demo_generate.py", "--size", study],
    ]
    for args in runs:
        print(f"\n=== {' '.join(args)}", flush=True)
        subprocess.run([sys.executable, str(HERE / args[0]), *args[1:]], check=False)


if __name__ == "__main__":
    main()
