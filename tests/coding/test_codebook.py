"""The codebook as data: the default loads, copies round-trip, broken files name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chrysalide.coding.codebook import CODES, copy_codebook, default_codebook_path, load_codebook
from chrysalide.errors import ConfigError


def test_default_has_every_code_in_every_language() -> None:
    book = load_codebook()
    assert book.version
    assert set(book.codes) == set(CODES)
    assert book.languages == ("en", "fr", "de")
    for code in CODES:
        assert all(book.codes[code]["definition"][lang] for lang in book.languages)
    groups = {(g.code, g.name) for g in book.groups}
    for wanted in [("community", "thanks"), ("community", "belonging"), ("collaborative", "advice"),
                   ("collaborative", "explanation"), ("collaborative", "encouragement"),
                   ("societal", "collective_action"), ("societal", "drug_makers"), ("societal", "regulators")]:  # fmt: skip
        assert wanted in groups
    # the study's reference words (Fayn et al. 2021) are all there
    assert {"je", "nodule", "ordonnance", "vous"} <= set(book.reference_words["individual"]["fr"])
    assert "prends soin de toi" in book.reference_words["collaborative"]["fr"]
    assert {"levo", "formule", "médecin"} <= set(book.reference_words["societal"]["fr"])


def test_german_stands_wherever_english_and_french_do() -> None:
    """Read as plain YAML: every label, definition, note, reference list and marker group has its German."""
    raw = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    assert "de" in raw["languages"]
    for code, entry in raw["codes"].items():
        for key in ("label", "definition", "not", "reference_words"):
            if key in entry and entry[key]["en"]:
                assert entry[key]["de"], f"{code}.{key}"
        for name, group in entry["markers"].items():
            assert len(group["de"]) >= 5, f"{code}.{name}"  # a real list, not a token entry
            assert len(set(group["de"])) == len(group["de"]), f"{code}.{name} repeats an expression"
    assert all(rule["de"] for rule in raw["decision_rules"])


def test_a_codebook_in_other_languages_loads(tmp_path: Path) -> None:
    data = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    data["languages"] = ["en", "fr", "de", "es"]  # Spanish markers in one group only: the others have none
    for entry in data["codes"].values():
        entry["definition"]["es"] = "definición"
    data["codes"]["community"]["markers"]["thanks"]["es"] = ["gracias", "muchas gracias"]
    path = tmp_path / "four.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    book = load_codebook(path)
    assert book.languages == ("en", "fr", "de", "es")
    thanks = next(g for g in book.groups if g.name == "thanks")
    assert thanks.expressions["es"] == ("gracias", "muchas gracias")
    assert next(g for g in book.groups if g.name == "advice").expressions["es"] == ()
    # A copy made before German was added (languages en, fr) still loads, without German.
    data["languages"] = ["en", "fr"]
    for entry in data["codes"].values():
        for group in entry["markers"].values():
            for lang in ("de", "es"):
                group.pop(lang, None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_codebook(path).languages == ("en", "fr")


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
        (lambda d: d["codes"]["other"]["definition"].pop("de"), "codes.other.definition.de"),
        (
            lambda d: d["codes"]["community"]["markers"]["thanks"].update(de="danke"),
            "codes.community.markers.thanks.de",
        ),
        (lambda d: d["settings"].update(tie_margin=-1), "settings.tie_margin"),
        (lambda d: d["settings"].update(tie_margin=float("nan")), "settings.tie_margin"),
        (
            lambda d: d["codes"]["community"]["markers"]["thanks"].update(weight=float("inf")),
            "codes.community.markers.thanks.weight",
        ),
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
