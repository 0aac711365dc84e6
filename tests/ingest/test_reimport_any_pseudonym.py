"""Importing a source again changes no stored text, whatever the pseudonyms look like.

Every import scrubs the source's stored rows again under this version's rules (``ingest/rescrub.py``), so the
scrubber must leave its own output alone. A pseudonym is ``M-`` and ten hex digits drawn from the key: one in 18,000
is all letters ("M-becddddfdc", which reads as a hyphenated name after "Dr" or "Hi") and one in 110 all digits (a
phone number's length). A random key meets them rarely; here every pseudonym is made so, on the two real corpora
whose text names people after such cues (the ADFD forum's doctors, patient.info's greetings and sign-offs).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chrysalide.ingest.loader import ingest
from chrysalide.privacy.pseudonyms import PSEUDONYM, PSEUDONYM_PREFIX, Pseudonymiser
from chrysalide.store import Store

pytestmark = pytest.mark.corpora

FORMS = {"letters": str.maketrans("0123456789", "abcdefabcd"), "digits": str.maketrans("abcdef", "012345")}
SOURCES = {
    "adfd": ("adfd_phpbb_antidepressant_de", {"format": "phpbb"}),
    "pinfo": ("patientinfo_inflammation_en/forum_extraction_scripts/patient-info_forums.json", {}),
}
AFTER_A_CUE = re.compile(rf"\b(?:Dr\.?|Hi|Hello|Thanks)\s+{PSEUDONYM}")
STORED = (
    "SELECT message_id, text, quoted_text, t.title FROM messages LEFT JOIN threads t USING (thread_id)"
    " ORDER BY message_id"
)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("source", SOURCES)
def test_importing_again_changes_no_text(
    store: Store, corpora: Path, monkeypatch: pytest.MonkeyPatch, form: str, source: str
) -> None:
    keyed = Pseudonymiser.pseudonym

    def pseudonym(self: Pseudonymiser, member_key: str, name: str | None = None) -> str:
        made = keyed(self, member_key, name)
        return PSEUDONYM_PREFIX + made.removeprefix(PSEUDONYM_PREFIX).translate(FORMS[form])

    monkeypatch.setattr(Pseudonymiser, "pseudonym", pseudonym)
    folder, options = SOURCES[source]
    path = corpora / folder
    ingest(store, path, **options)
    before = store.con.execute(STORED).fetchall()
    pseudonyms = [r[0] for r in store.con.execute("SELECT pseudonym FROM members").fetchall()]
    assert pseudonyms and all(p.removeprefix(PSEUDONYM_PREFIX).isalpha() == (form == "letters") for p in pseudonyms)
    # The case at stake is there: pseudonyms stand right after a title or a greeting.
    assert sum(bool(AFTER_A_CUE.search(r[1] or "")) for r in before) >= 20
    again = ingest(store, path, **options)
    assert again.imported == 0
    assert store.con.execute(STORED).fetchall() == before
