"""Nothing computed from the text depends on the pseudonymisation key: the same corpus under two keys.

Each store gets its own random key file (``NAME.key`` beside the database), so members' pseudonyms, and the
pseudonyms written into the text where members' names were, differ. Segments, codes, lexical classes and
journeys must not. Members are compared through a key-free identity: the first message each one wrote.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chrysalide import text
from chrysalide.coding import code
from chrysalide.ingest import ingest
from chrysalide.journeys import journeys
from chrysalide.lexical import lexical
from chrysalide.store import Store

NAMES = ["Alice Martin", "Bruno", "Chloé", "Denis", "Emma", "Farid"]
TOPICS = [
    "thyroïde nodule échographie dose levothyrox symptôme fatigue analyse résultat tsh",
    "merci courage soutien forum bienvenue amitié écoute partage conseil moral",
    "travail employeur arrêt dossier sécurité sociale remboursement avocat droit courrier",
]
PSEUDONYM = re.compile(r"M-[0-9a-f]{10}")


def _rows(n: int = 90, seed: int = 3) -> list[dict[str, str]]:
    """Messages that name other members (greetings, @mentions, u/mentions) around numbers glued to units."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        author, other = NAMES[i % len(NAMES)], NAMES[(i + 1 + i // 7) % len(NAMES)]
        topic = TOPICS[i % len(TOPICS)].split()
        words = " ".join(rng.choice(topic, 12))
        body = f"Merci {other} ! {words}, {int(rng.integers(25, 200))}µg le 12/03/2021. @{other} u/{other.split()[0]}"
        rows.append({"message_id": str(i), "thread_id": f"t{i // 6}", "author": author,
                     "posted_at": f"2021-{1 + i % 12:02d}-{1 + i % 27:02d}T10:00:00", "text": body,
                     "reply_to": str(i - 1) if i % 6 else "", "lang": "fr"})  # fmt: skip
    return rows


def _write(path: Path) -> Path:
    rows = _rows()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _canonical_members(store: Store) -> dict[int, int]:
    """member_id -> the id of the first message (by id) the member wrote: the same under any key."""
    rows = store.con.execute(
        "SELECT member_id, min(message_id) FROM messages WHERE member_id IS NOT NULL GROUP BY 1"
    ).fetchall()
    return {int(m): int(first) for m, first in rows}


def _tables(store: Store, lexical_run: int) -> dict[str, pd.DataFrame]:
    members = _canonical_members(store)
    con = store.con

    def frame(sql: str, params: list[object] | None = None) -> pd.DataFrame:
        df = con.execute(sql, params or []).df()
        for column in [c for c in df.columns if c == "member_id"]:
            df[column] = df[column].map(members)
        return df.sort_values(list(df.columns[:3])).reset_index(drop=True)

    out = {
        "text_features": frame("SELECT * EXCLUDE (run_id) FROM text_features"),
        "segments": frame("SELECT * EXCLUDE (run_id) FROM segments"),
        "codes": frame(
            "SELECT * EXCLUDE (run_id, decided_at, secondary_codes), secondary_codes::VARCHAR AS secondary"
            " FROM current_codes"
        ),
        "segment_classes": frame("SELECT * EXCLUDE (run_id) FROM segment_classes WHERE run_id = ?", [lexical_run]),
        "class_terms": frame("SELECT * EXCLUDE (run_id) FROM class_terms WHERE run_id = ?", [lexical_run]),
        "lexical_classes": frame("SELECT * EXCLUDE (run_id) FROM lexical_classes WHERE run_id = ?", [lexical_run]),
        "journeys": frame("SELECT * EXCLUDE (run_id) FROM journeys"),
        "member_metrics": frame("SELECT * EXCLUDE (run_id) FROM member_metrics"),
        "journey_stages": frame("SELECT * EXCLUDE (run_id) FROM journey_stages"),
    }
    # the segment shows the member's words: pseudonyms differ there (and only there)
    out["segments"]["text"] = out["segments"]["text"].str.replace(PSEUDONYM, "M-?", regex=True)
    return out


def _analyse(folder: Path, source: Path, **lexical_options: object) -> dict[str, pd.DataFrame]:
    folder.mkdir()
    with Store(folder / "forum.duckdb") as store:
        ingest(store, source)
        text.process(store)
        code(store)
        journeys(store, permutations=19)
        run = lexical(store, **lexical_options)
        tables = _tables(store, run.run_id)
        pseudonyms = {p for (p,) in store.con.execute("SELECT pseudonym FROM members").fetchall()}
    tables["_pseudonyms"] = pd.DataFrame({"p": sorted(pseudonyms)})
    return tables


def _assert_same(one: dict[str, pd.DataFrame], two: dict[str, pd.DataFrame]) -> None:
    assert set(one["_pseudonyms"]["p"]).isdisjoint(two["_pseudonyms"]["p"])  # two keys indeed
    for name in one:
        if name != "_pseudonyms":
            assert len(one[name]) > 0, name
            pd.testing.assert_frame_equal(one[name], two[name], obj=name)


def test_results_do_not_depend_on_the_key(tmp_path: Path) -> None:
    source = _write(tmp_path / "forum.csv")
    one = _analyse(tmp_path / "one", source, k=3, min_docfreq=3)
    two = _analyse(tmp_path / "two", source, k=3, min_docfreq=3)
    # names were written into the text as pseudonyms, and the members' own words reach the segments
    assert one["segments"]["text"].str.contains("M-?", regex=False).any()
    assert not one["segments"]["terms"].str.contains(r"\d|m-|_member_", regex=True).any()
    _assert_same(one, two)


@pytest.mark.corpora
@pytest.mark.slow
def test_patientinfo_results_do_not_depend_on_the_key(tmp_path: Path, corpora: Path) -> None:
    source = corpora / "patientinfo_inflammation_en/forum_extraction_scripts/patient-info_forums.json"
    one = _analyse(tmp_path / "one", source, k=6, min_docfreq=5)
    two = _analyse(tmp_path / "two", source, k=6, min_docfreq=5)
    _assert_same(one, two)
