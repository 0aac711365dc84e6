"""No author name given at ingest, and no e-mail address, appears in any export of a pseudonymised store."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from chrysalide.ingest import ingest
from chrysalide.privacy import import_consent
from chrysalide.report.export import export_codebook, export_csv, export_iramuteq, export_parquet, export_refi
from chrysalide.store import Store

_part = st.from_regex(r"[A-Z][a-z]{5,9}", fullmatch=True).map(lambda s: "Zq" + s.lower())
# Forum user names: a one-word handle or a "First Last" display name, distinctive enough to grep.
_name = st.one_of(_part, st.tuples(_part, _part).map(" ".join))


def _forum(names: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["message_id", "thread_id", "author", "author_id", "posted_at", "title", "text"])
    a, b, c = names
    writer.writerow([1, "t1", a, "u1", "2017-03-01 10:00", f"Question de {a}", "J'ai un nodule, aidez-moi"])
    writer.writerow([2, "t1", b, "", "2017-03-01 11:00", "", f"Courage {a.split()[0]} ! écris à zqmail@mail.fr"])
    writer.writerow([3, "t1", c, "u3", "2017-03-01 12:00", "", f"Merci {b} et @{a}, appelle le 06 11 22 33 44"])
    writer.writerow([4, "t2", a, "u1", "2017-03-02 10:00", "", ""])  # rejected: empty text, name in rejects.raw
    return out.getvalue()


def _all_output(folder: Path) -> str:
    chunks = []
    for path in folder.rglob("*"):
        if path.suffix == ".qdpx":
            with zipfile.ZipFile(path) as zf:
                chunks += [zf.read(n).decode("utf-8") for n in zf.namelist()]
        elif path.suffix == ".parquet":
            chunks.append(pd.read_parquet(path).to_csv())
        elif path.is_file():
            chunks.append(path.read_text(encoding="utf-8"))
    return "\n".join(chunks)


# Each example ingests and runs every export (about a second): few examples, no slow shrinking.
@settings(max_examples=3, deadline=None, phases=[Phase.generate], suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_name, min_size=3, max_size=3, unique=True))
def test_no_author_name_or_email_in_any_export(names):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "forum.csv").write_text(_forum(names), encoding="utf-8")
        store = Store(root / "db.duckdb")
        try:
            report = ingest(store, root / "forum.csv")
            assert report.imported == 3 and report.rejected == 1
            (root / "consent.csv").write_text(f"member,status,date,scope\n{names[1]},granted,2024-01-01,quote\n")
            assert import_consent(store, root / "consent.csv").imported == 1
            out = root / "out"
            out.mkdir()
            # all-pseudonymised shows the most text: the mode where a name could leak.
            quotes = "all-pseudonymised"
            export_refi(store, out / "consented.qdpx")
            export_refi(store, out / "all.qdpx", quotes=quotes, grouping="member")
            export_iramuteq(store, out / "all.txt", quotes=quotes)
            export_parquet(store, out / "parquet", quotes=quotes)
            export_csv(store, out / "csv", quotes=quotes)
            export_codebook(out / "codebook.qdc")
        finally:
            store.close()
        text = _all_output(out).casefold()
    assert "courage" in text  # the consented member's text is there ...
    for name in names:
        for part in name.split():  # ... but no author name, whole or a first name alone
            assert part.casefold() not in text, part
    assert "zqmail@mail.fr" not in text and "06 11 22 33 44" not in text
