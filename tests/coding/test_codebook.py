"""The codebook as data: the default loads, copies round-trip, broken files name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chrysalide.coding.codebook import CODES, copy_codebook, default_codebook_path, load_codebook
from chrysalide.errors import ConfigError


def test_default_has_every_code_in_both_languages() -> None:
    book = load_codebook()
    assert book.version
    assert set(book.codes) == set(CODES)
    for code in CODES:
        assert book.codes[code]["definition"]["fr"] and book.codes[code]["definition"]["en"]
    groups = {(g.code, g.name) for g in book.groups}
    for wanted in [("community", "thanks"), ("community", "belonging"), ("collaborative", "advice"),
                   ("collaborative", "explanation"), ("collaborative", "encouragement"),
                   ("societal", "collective_action"), ("societal", "drug_makers"), ("societal", "regulators")]:  # fmt: skip
        assert wanted in groups
    # the study's reference words (Fayn et al. 2021) are all there
    assert {"je", "nodule", "ordonnance", "vous"} <= set(book.reference_words["individual"]["fr"])
    assert "prends soin de toi" in book.reference_words["collaborative"]["fr"]
    assert {"levo", "formule", "médecin"} <= set(book.reference_words["societal"]["fr"])


def test_copy_then_load(tmp_path: Path) -> None:
    out = copy_codebook(tmp_path / "mine.yaml")
    assert load_codebook(out).digest == load_codebook().digest


def _broken(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (lambda d: d.pop("version"), "version"),
        (lambda d: d["codes"].pop("societal"), "codes.societal"),
        (lambda d: d["codes"].update(helper={}), "codes.helper"),
        (
            lambda d: d["codes"]["community"]["markers"]["thanks"].update(weight="lots"),
            "codes.community.markers.thanks.weight",
        ),
        (
            lambda d: d["codes"]["community"]["markers"]["thanks"].update(en="thanks"),
            "codes.community.markers.thanks.en",
        ),
        (lambda d: d["codes"]["other"]["definition"].pop("fr"), "codes.other.definition.fr"),
        (lambda d: d["settings"].update(tie_margin=-1), "settings.tie_margin"),
        (lambda d: d["settings"].update(request_groups=["individual.nothing"]), "settings.request_groups"),
        (lambda d: d["settings"]["context"].update(moon_phase={"individual": 1}), "settings.context.moon_phase"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, edit, key: str) -> None:  # type: ignore[no-untyped-def]
    path = _broken(tmp_path, edit)
    with pytest.raises(ConfigError) as err:
        load_codebook(path)
    assert str(path) in str(err.value) and f"'{key}'" in str(err.value)


def test_unreadable_and_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing.yaml: cannot read"):
        load_codebook(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml: not valid YAML"):
        load_codebook(bad)
