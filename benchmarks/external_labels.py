"""How the shipped stage model codes forums it never learned from, read against labels of other schemes.

    .venv/bin/python benchmarks/external_labels.py [--corpora ../shared/corpora] [--out DIR]

No message of these corpora is in the annotation files the model learned from, and their labels were made
for other questions, so they cannot give an accuracy; they test whether the codes move where CODEBOOK.md
says they should (convergent validity):

- **EPITOME** (Sharma, Miner, Atkins and Althoff 2020, EMNLP): seeker posts of Reddit mental-health
  communities and one response each, the response rated for three empathy mechanisms (emotional
  reactions, interpretations, explorations; 0 none, 1 weak, 2 strong). A seeker post asks for help with
  the author's own case or vents about it (``individual``); a response addresses the seeker's problem
  (``collaborative``: "sympathy, validation or encouragement addressed to someone who is struggling"), or
  identifies with it (``community``: "replies that mainly identify with another member's experience").
  Stronger emotional reactions should go with more ``collaborative``; interpretations ("I felt the same
  when...") with more ``community``.
- **AlzConnected** (hnxue/support_rnn): replies of a caregivers' forum labelled as giving emotional and/or
  non-emotional (information, advice) support. Support given to another member is ``collaborative``.

Each corpus is written as a CSV (``message_id, thread_id, reply_to, text``: the columns a user maps) and
imported, pseudonymised and coded as a user would (``chrysalide.ingest.ingest``, ``chrysalide.coding.code``
with the shipped model), each in a fresh store under ``--out``. The shares carry Wilson 95% intervals.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from chrysalide.coding import CODES
from chrysalide.coding.run import code
from chrysalide.ingest import ingest
from chrysalide.store import Store

EPITOME = "epitome_reddit_empathy_en/dataset"
MECHANISMS = ("emotional-reactions", "interpretations", "explorations")
ALZ = "alzconnected_support_labels_en"


def epitome_rows(folder: Path) -> tuple[list[list[str]], pd.DataFrame]:
    """CSV rows (each seeker post once, then each response replying to it) and the responses' levels."""
    posts: dict[str, list[str]] = {}
    levels: dict[str, dict[str, int]] = {}
    for mechanism in MECHANISMS:
        with open(folder / f"{mechanism}-reddit.csv", encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                posts.setdefault(r["sp_id"], [r["sp_id"], r["sp_id"], "", r["seeker_post"]])
                posts.setdefault(r["rp_id"], [r["rp_id"], r["sp_id"], r["sp_id"], r["response_post"]])
                levels.setdefault(r["rp_id"], {})[mechanism] = int(r["level"])
    labels = pd.DataFrame.from_dict(levels, orient="index").rename_axis("native_id").reset_index()
    return list(posts.values()), labels


def alz_rows(folder: Path) -> tuple[list[list[str]], pd.DataFrame]:
    """CSV rows of the labelled replies (id ``<thread>.<post>``; their thread's first post is not in the files,
    so each names it as its parent: a reply, as in the forum) and their support labels."""
    frame = pd.concat([pd.read_csv(folder / name, dtype={"id": str}) for name in ("sample.csv", "test.csv")])
    thread = frame["id"].str.split(".").str[0]
    rows = [[i, t, f"{t}.0", text] for i, t, text in zip(frame["id"], thread, frame["content"], strict=True)]
    emotional, information = frame["label_e"].eq(1).to_numpy(), frame["label_n"].eq(1).to_numpy()
    support = np.select(
        [emotional & information, emotional, information], ["both", "emotional only", "information only"], "neither"
    )
    return rows, pd.DataFrame({"native_id": frame["id"].to_numpy(), "support": support})


def coded(rows: Iterable[list[str]], folder: Path, name: str) -> pd.DataFrame:
    """Import the rows as a user's CSV into a new store in ``folder`` and code them with the shipped model."""
    path = folder / f"{name}.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["message_id", "thread_id", "reply_to", "text"])
        writer.writerows(rows)
    with Store(folder / f"{name}.duckdb") as store:
        ingest(store, path)
        code(store)
        return store.con.execute(
            "SELECT m.native_id, m.reply_to_id IS NOT NULL AS reply, c.primary_code AS code"
            " FROM messages m JOIN current_codes c USING (message_id)"
        ).df()


def shares(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Share of each stage code per value of ``by``, as "41% [38-44]" (Wilson 95% interval), with n."""
    out = {}
    for value, group in frame.groupby(by, sort=True):
        n, counts = len(group), Counter(group["code"])
        cells = {}
        for stage in CODES:
            k = counts.get(stage, 0)
            low, high = stats.binomtest(k, n).proportion_ci(method="wilson") if n else (0.0, 0.0)
            cells[stage] = f"{k / n:.0%} [{low:.0%}-{high:.0%}]"
        out[value] = {"n": n, **cells}
    return pd.DataFrame.from_dict(out, orient="index").rename_axis(by)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpora")
    parser.add_argument("--out", type=Path, default=None, help="folder for the stores (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        rows, levels = epitome_rows(args.corpora / EPITOME)
        epitome = coded(rows, out, "epitome")
        epitome["role"] = epitome["reply"].map({False: "seeker post", True: "response"})
        print(f"EPITOME: {len(epitome):,} messages coded\n{shares(epitome, 'role').to_string()}\n")
        responses = epitome[epitome["reply"]].merge(levels, on="native_id")
        for mechanism in MECHANISMS:
            print(f"responses by {mechanism} (0 none, 1 weak, 2 strong)\n{shares(responses, mechanism).to_string()}\n")
        rows, support = alz_rows(args.corpora / ALZ)
        alz = coded(rows, out, "alzconnected").merge(support, on="native_id")
        print(
            f"AlzConnected: {len(alz):,} replies coded, by the support they give\n{shares(alz, 'support').to_string()}"
        )


if __name__ == "__main__":
    main()
