"""The codebook as data: the five stage codes, their definitions, markers and decision settings.

The packaged default (``data/codebook.yaml``) encodes docs/coding.md (from CODEBOOK.md, after Fayn et al.
2021). Users copy it, edit it and pass their own file; :func:`load_codebook` validates every key and raises
:class:`~chrysalide.errors.ConfigError` naming the file and the key at fault.
"""

from __future__ import annotations

import hashlib
import math
import shutil
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from chrysalide.errors import ConfigError
from chrysalide.outputs import output_file, writing

CODES: tuple[str, ...] = ("individual", "community", "collaborative", "societal", "other")
#: Later stages win ties (CODEBOOK.md, "Decision rules"): the rarer, more informative signal.
STAGE_ORDER: dict[str, int] = {"other": 0, "individual": 1, "community": 2, "collaborative": 3, "societal": 4}

_SETTINGS_DEFAULTS: dict[str, Any] = {
    "reference_weight": 0.3,
    "min_score": 1.0,
    "tie_margin": 0.15,
    "secondary_ratio": 0.5,
    "request_groups": [],
    "short_message_tokens": 4,
    "context": {},
    "person": {},
}
# libyaml's safe loader parses the codebook about ten times faster (each Dask worker loads it once).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONTEXT_KEYS = {"thread_start", "first_post", "reply_to_other", "own_thread_reply"}
_PERSON_KEYS = {"first_singular", "own_health", "second_person", "first_plural"}


@dataclass(frozen=True)
class MarkerGroup:
    """Expressions of one kind (e.g. thanks) for one code, with the weight each match adds."""

    code: str
    name: str
    weight: float
    expressions: dict[str, tuple[str, ...]]  # lang -> expressions as written


@dataclass(frozen=True)
class Codebook:
    """A validated codebook; ``digest`` identifies its content (recorded with every run and model)."""

    version: str
    languages: tuple[str, ...]
    codes: dict[str, dict[str, Any]]
    groups: tuple[MarkerGroup, ...]
    reference_words: dict[str, dict[str, tuple[str, ...]]]  # code -> lang -> words
    decision_rules: tuple[dict[str, str], ...]
    settings: dict[str, Any]
    source: str
    digest: str = field(default="")
    yaml_text: str = field(default="", repr=False)  # the file as written, embedded in trained models


def default_codebook_path() -> Path:
    """Path of the packaged default codebook."""
    return Path(str(resources.files("chrysalide.coding") / "data" / "codebook.yaml"))


def copy_codebook(out: str | Path) -> Path:
    """Copy the packaged default codebook to ``out`` so users can edit it."""
    dest = output_file(out)
    with writing(dest) as part:
        shutil.copyfile(default_codebook_path(), part)
    return dest


def load_codebook(path: str | Path | Codebook | None = None) -> Codebook:
    """Read and validate a codebook YAML file (the packaged default when ``path`` is None)."""
    if isinstance(path, Codebook):
        return path
    file = Path(path) if path is not None else default_codebook_path()
    try:
        raw_bytes = file.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read codebook: {exc.strerror or exc}") from exc
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: not UTF-8 text") from exc
    return parse_codebook(text, str(file))


def parse_codebook(text: str, source: str = "<codebook>") -> Codebook:
    """Validate a codebook given as YAML text (``source`` names it in error messages)."""
    try:
        raw = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader, in C when libyaml is there
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {str(exc).splitlines()[0]}") from exc
    book = _validate(raw, source, hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    return replace(book, yaml_text=text)


def _fail(src: str, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{src}: key '{key}': {problem}")


def _mapping(value: Any, src: str, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(src, key, f"must be a mapping, got {type(value).__name__}")
    return value


def _strings(value: Any, src: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise _fail(src, key, "must be a list of words or expressions")
    out = tuple(str(v).strip() for v in value)
    if any(not v or v == "*" for v in out):
        raise _fail(src, key, "contains an empty expression")
    return out


def _number(value: Any, src: str, key: str, *, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not minimum <= value < math.inf:
        raise _fail(src, key, f"must be a finite number >= {minimum}, got {value!r}")
    return float(value)


def _validate(raw: Any, src: str, digest: str) -> Codebook:
    top = _mapping(raw, src, "<top level>")
    if "version" not in top:
        raise _fail(src, "version", "missing (a version string such as '1.0')")
    version = str(top["version"])
    languages = _strings(top.get("languages", ["en", "fr"]), src, "languages")
    codes = _mapping(top.get("codes"), src, "codes")
    unknown = set(codes) - set(CODES)
    if unknown:
        raise _fail(src, f"codes.{sorted(unknown)[0]}", f"unknown code (allowed: {', '.join(CODES)})")
    groups: list[MarkerGroup] = []
    references: dict[str, dict[str, tuple[str, ...]]] = {}
    for code in CODES:
        if code not in codes:
            raise _fail(src, f"codes.{code}", "missing")
        entry = _mapping(codes[code], src, f"codes.{code}")
        definition = _mapping(entry.get("definition"), src, f"codes.{code}.definition")
        for lang in languages:
            if not isinstance(definition.get(lang), str):
                raise _fail(src, f"codes.{code}.definition.{lang}", "missing definition text")
        refs = _mapping(entry.get("reference_words", {}) or {}, src, f"codes.{code}.reference_words")
        references[code] = {
            lang: _strings(refs.get(lang), src, f"codes.{code}.reference_words.{lang}") for lang in languages
        }
        markers = _mapping(entry.get("markers", {}) or {}, src, f"codes.{code}.markers")
        for name, group in markers.items():
            key = f"codes.{code}.markers.{name}"
            group = _mapping(group, src, key)
            weight = _number(group.get("weight", 1.0), src, f"{key}.weight")
            extra = set(group) - {"weight", *languages}
            if extra:
                raise _fail(src, f"{key}.{sorted(extra)[0]}", f"unknown key (expected weight or {languages})")
            exprs = {lang: _strings(group.get(lang), src, f"{key}.{lang}") for lang in languages}
            groups.append(MarkerGroup(code, str(name), weight, exprs))
    rules = top.get("decision_rules", []) or []
    if not isinstance(rules, list):
        raise _fail(src, "decision_rules", "must be a list")
    settings = dict(_SETTINGS_DEFAULTS)
    settings.update(_mapping(top.get("settings", {}) or {}, src, "settings"))
    _validate_settings(settings, src, {f"{g.code}.{g.name}" for g in groups})
    return Codebook(
        version=version,
        languages=languages,
        codes={c: dict(codes[c]) for c in CODES},
        groups=tuple(groups),
        reference_words=references,
        decision_rules=tuple(r if isinstance(r, dict) else {"en": str(r)} for r in rules),
        settings=settings,
        source=src,
        digest=digest,
    )


def _validate_settings(settings: dict[str, Any], src: str, group_names: set[str]) -> None:
    unknown = set(settings) - set(_SETTINGS_DEFAULTS)
    if unknown:
        raise _fail(src, f"settings.{sorted(unknown)[0]}", "unknown setting")
    for key in ("reference_weight", "min_score", "tie_margin", "secondary_ratio", "short_message_tokens"):
        _number(settings[key], src, f"settings.{key}")
    for name in _strings(settings["request_groups"], src, "settings.request_groups"):
        if name not in group_names:
            raise _fail(src, "settings.request_groups", f"no marker group '{name}' (write code.group)")
    for section, allowed in (("context", _CONTEXT_KEYS), ("person", _PERSON_KEYS)):
        table = _mapping(settings[section], src, f"settings.{section}")
        for name, adds in table.items():
            key = f"settings.{section}.{name}"
            if name not in allowed:
                raise _fail(src, key, f"unknown feature (allowed: {', '.join(sorted(allowed))})")
            for code, value in _mapping(adds, src, key).items():
                if code != "cap" and code not in CODES:
                    raise _fail(src, f"{key}.{code}", "unknown code")
                _number(value, src, f"{key}.{code}")
