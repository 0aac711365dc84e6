"""The annotated messages with the context a store gives them: the shipped model's training data.

``../shared/annotations`` holds hand-coded messages (``stages_train.csv``, ``stages_more.csv``) of the corpora
in ``../shared/corpora``. Their context (thread start, reply, member's first message...) must be the one the
coder sees when serving, so each corpus is imported into a store with the project's own importer, as a user
would import it, and each annotation is joined to its stored message: by native id where the annotation's
``uid`` carries one (Reddit ids), else by the held-out hash of its text (the same canonical form as
``HELDOUT_IDS.txt``), else by its first 80 characters when these are unique in the corpus. The context then
comes from :data:`~chrysalide.coding.context.CONTEXT_SQL`.

Every message of ``HELDOUT_IDS.txt`` is dropped. A fifth of the rest is held back from training (sha256 of the
uid modulo 5 is 0): the figures of the shipped model in docs/coding.md are measured on it.

Our own codes (``annotations/stages_project.csv`` in this repository, see its README) add messages of the same
corpora coded by the project's developers: ids and codes only, the texts stay in ``../shared``. They are
joined by native id, trained on, and never used to measure (``coders`` is ``project``, not ``trained``).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from chrysalide.coding.context import CONTEXT_SQL
from chrysalide.coding.heldout import HeldOut, text_hash
from chrysalide.coding.tables import check_codes, read_table
from chrysalide.coding.training import read_gold

#: How each annotated corpus folder is imported: (path inside the folder, importer options).
IMPORTS: dict[str, tuple[str, dict[str, Any]]] = {
    "reddit_covidlonghaulers_userhistories_en": (".", {"format": "reddit"}),
    "patientinfo_inflammation_en": ("forum_extraction_scripts/patient-info_forums.json", {"format": "patientinfo"}),
    "reddit_bpd_communities_en": ("mitch_work/data", {"format": "reddit"}),
    "reddit_breastcancer_en": ("q4_tw_rd/data/data_reddit.csv",
                               {"format": "csv", "mapping": {"author": "user_id", "posted_at": "timestamp"}}),
    "fivfr_pma_forum_fr": ("assets/data_psychopma.csv",
                           {"format": "csv", "mapping": {"author": "Utilisateur", "posted_at": "Date", "text": "Contenu"}}),
    "doctissimo_intentions_fr": ("data/reconstructed_posts_final.json", {"format": "csv"}),
    "doctissimo_ivg_threadstarts_fr": ("IVG.csv", {"format": "csv", "mapping": {
        "message_id": "?postURL", "thread_id": "?threadURL", "title": "?threadTitle", "text": "?contentPost",
        "author": "?creatorPost", "posted_at": "?datePost"}}),
}  # fmt: skip
ANNOTATION_FILES = ("stages_train.csv", "stages_more.csv")
#: Our own codes: ``uid`` (corpus folder:native id), ``corpus_folder``, ``lang``, ``primary``, ``secondary``,
#: ``decentered``, ``batch``; no text.
PROJECT_CODES = Path(__file__).resolve().parents[3] / "annotations" / "stages_project.csv"
_WS = re.compile(r"\s+")


def held_back(uid: str) -> bool:
    """Whether an annotated message is in our own test fifth: sha256 of its uid, modulo 5, is 0."""
    return int(hashlib.sha256(uid.encode("utf-8")).hexdigest(), 16) % 5 == 0


def _doctissimo_csv(path: Path, folder: Path) -> Path:
    """Doctissimo posts (a JSON of annotated sentences) as a CSV of posts: sentences joined by spaces."""
    posts = json.loads(path.read_text(encoding="utf-8"))
    rows = [{"message_id": f"doc-{p['post_id']}", "text": " ".join(s["text"] for s in p["sentences"])} for p in posts]
    out = folder / "doctissimo_posts.csv"
    pd.DataFrame(rows).to_csv(out, index=False)
    return out


def import_corpora(store: Any, corpora: Path, folders: list[str] | None = None) -> None:
    """Import the annotated corpora into ``store`` (names kept: annotations are matched on the raw text)."""
    from chrysalide.ingest.loader import ingest

    with tempfile.TemporaryDirectory() as tmp:
        for folder in folders or list(IMPORTS):
            inner, options = IMPORTS[folder]
            path = corpora / folder / inner
            if folder == "doctissimo_intentions_fr":
                path = _doctissimo_csv(path, Path(tmp))
            ingest(store, path, source_name=folder, keep_names=True, **options)


def _prefix(text: Any) -> str:
    return _WS.sub(" ", str(text).replace("\xa0", " ")).strip()[:80]


def match_messages(store: Any, annotations: pd.DataFrame) -> pd.Series:
    """The stored message id of each annotation (by native id, text hash, unique prefix); NaN if none.

    Texts are compared both as stored (cleaned of markup) and in their source form (``message_sources``):
    annotators coded the text the source gives, HTML entities and all.
    """
    stored = store.con.execute(
        "SELECT message_id, source_id, native_id, text, title, coalesce(s.source_text, text) AS source_text "
        "FROM messages LEFT JOIN message_sources s USING (message_id)"
    ).df()
    out = pd.Series(pd.NA, index=annotations.index, dtype="Int64")
    for folder, group in annotations.groupby("corpus_folder"):
        mine = stored[stored["source_id"] == folder]
        by_id = dict(zip(mine["native_id"], mine["message_id"], strict=True))
        by_hash: dict[str, Any] = {}
        by_prefix: dict[str, Any] = {}
        for column in ("text", "source_text"):
            by_hash.update(zip(mine[column].map(text_hash), mine["message_id"], strict=True))
            titled = mine["title"].fillna("") + "\n\n" + mine[column]
            by_hash.update(zip(titled.map(text_hash), mine["message_id"], strict=True))
            prefixes = mine[column].map(_prefix)
            usable = (prefixes.map(prefixes.value_counts()) == 1) & (prefixes.str.len() >= 40)
            by_prefix.update(zip(prefixes[usable], mine["message_id"][usable], strict=True))
        for i, row in group.iterrows():
            native = str(row["uid"]).split(":", 1)[-1]
            found = by_id.get(native, by_id.get(f"t3_{native}"))
            if found is None and not row["text"]:  # our own codes carry no text: by id only
                continue
            found = found if found is not None else by_hash.get(text_hash(row["text"]))
            out.at[i] = found if found is not None else by_prefix.get(_prefix(row["text"]))
    return out


def read_project_codes(path: Path) -> pd.DataFrame:
    """Our own codes (:data:`PROJECT_CODES`) as annotation rows without text; codes are checked."""
    frame = read_table(path, ("uid", "corpus_folder", "primary"), "uid, corpus_folder, primary")
    return check_codes(frame, path).assign(text="", file=path.name)


def annotated_frame(store: Any, annotations: Path, heldout: Path, project: Path | None = None) -> pd.DataFrame:
    """Annotations joined to their stored messages and context (``CONTEXT_SQL``), held-out ones dropped.

    Columns: those of :data:`CONTEXT_SQL` (the stored text), ``primary``, ``uid`` (the annotation's),
    ``corpus`` (folder), ``file``, ``coders`` (``trained`` for ``../shared/annotations``, ``project`` for our
    own codes read from ``project``), ``held_back`` (only trained coders' messages are held back).
    Annotations without a stored message are left out (their number is in ``frame.attrs['unmatched']``).
    """
    held_out = HeldOut.read(heldout)
    frames = [read_gold(annotations / name).assign(file=name, coders="trained") for name in ANNOTATION_FILES]
    if project is not None:
        frames.append(read_project_codes(project).assign(coders="project"))
    gold = held_out.drop(pd.concat(frames, ignore_index=True)).reset_index(drop=True)
    gold["message_id"] = match_messages(store, gold)
    unmatched = int(gold["message_id"].isna().sum())
    gold = gold.dropna(subset=["message_id"]).drop_duplicates("message_id")
    ids = pd.DataFrame({"message_id": gold["message_id"].astype("int64")})
    store.con.register("chrys_annotated_ids", ids)
    try:
        context = store.con.execute(
            f"WITH ctx AS ({CONTEXT_SQL}) SELECT ctx.* FROM ctx JOIN chrys_annotated_ids USING (message_id)"
        ).df()
    finally:
        store.con.unregister("chrys_annotated_ids")
    keep = gold[["message_id", "uid", "corpus_folder", "file", "coders", "primary"]].astype({"message_id": "int64"})
    frame = context.drop(columns=["uid"]).merge(keep, on="message_id").rename(columns={"corpus_folder": "corpus"})
    # Our own codes were matched by id alone: their stored text is checked against the reserved messages too.
    reserved = held_out.mask(frame.assign(corpus_folder=frame["corpus"])) & (frame["coders"] == "project")
    frame = frame.loc[~reserved].copy()
    frame["held_back"] = frame["uid"].map(held_back) & (frame["coders"] == "trained")
    frame = frame.sort_values("uid", kind="stable").reset_index(drop=True)
    frame.attrs["unmatched"] = unmatched
    return frame
