"""The model file: one ``.npz`` of arrays and JSON, read with ``allow_pickle=False`` (opening it runs no code).

It holds the embedded codebook, the settings, the training summary (including the cross-validated figures),
the n-gram vocabulary and idf, the scalings, the weights of both predictors, their calibrations, the
out-of-fold confusion matrix and the review threshold; never a message (n-grams occur in at least two
training messages). The sentence encoder's weights stay in their package (its name and version are recorded).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from chrysalide.coding.codebook import parse_codebook
from chrysalide.coding.lexicon import LexiconCoder
from chrysalide.errors import ConfigError, InputError

if TYPE_CHECKING:
    from chrysalide.coding.model import ModelCoder

FORMAT = "chrysalide-stage-model/3"
#: Format 2 (temperatures without class biases) still loads: its biases are zero, its codes unchanged.
_READABLE = (FORMAT, "chrysalide-stage-model/2")
_ARRAYS = ("idf", "dense_mean", "dense_scale", "mlp_mean", "mlp_scale")


def save_model(model: ModelCoder, path: str | Path) -> Path:
    """Write a fitted :class:`~chrysalide.coding.model.ModelCoder` to ``path``."""
    path = Path(path)
    parts = model.parts_
    meta = {
        "format": FORMAT, "C": model.C, "secondary_threshold": model.secondary_threshold,
        "random_state": model.random_state, "settings": model.settings_,
        "codebook_version": model.codebook_.version, "codebook_digest": model.codebook_.digest,
        "codebook_yaml": model.codebook_.yaml_text, "training": model.training_,
        "temperature_fast": model.temperature_fast_, "temperature_full": model.temperature_full_,
        "bias_fast": model.bias_fast_.tolist(), "bias_full": model.bias_full_.tolist(),
        "review_below": model.review_below_, "mlp_layers": [len(layers) for layers in parts.get("mlp", [])],
    }  # fmt: skip
    arrays: dict[str, np.ndarray] = {"meta": np.array(json.dumps(meta, ensure_ascii=False)),
                                     "vocab": np.array(parts["vocab"], dtype=str), "confusion": model.confusion_}  # fmt: skip
    arrays.update({name: parts[name] for name in _ARRAYS if name in parts})
    for name in ("fast", "full"):
        if name in parts:
            arrays[f"{name}_coef"], arrays[f"{name}_intercept"] = parts[name]
    for k, layers in enumerate(parts.get("mlp", [])):
        for j, (w, b) in enumerate(layers):
            arrays[f"mlp{k}_w{j}"], arrays[f"mlp{k}_b{j}"] = w, b
    with path.open("wb") as fh:
        np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
    return path


def _read(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such model file") from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a Chrysalide model file ({exc})") from exc
    try:
        meta = json.loads(str(arrays["meta"]))
    except (KeyError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a Chrysalide model file (no metadata)") from exc
    if meta.get("format") not in _READABLE:
        raise InputError(f"{path}: unsupported model format {meta.get('format')!r} (expected {FORMAT}); "
                         "retrain it with `chrysalide code train`")  # fmt: skip
    return meta, arrays


def load_model(cls: type[ModelCoder], path: str | Path | None = None) -> ModelCoder:
    """Read a model file (the shipped default when ``path`` is None)."""
    from chrysalide.coding.model import default_model_path

    path = Path(path) if path is not None else default_model_path()
    meta, arrays = _read(path)
    try:
        book = parse_codebook(meta["codebook_yaml"], f"{path} (embedded codebook)")
    except ConfigError as exc:
        raise InputError(str(exc)) from exc
    model = cls(codebook=book, C=meta["C"], secondary_threshold=meta["secondary_threshold"],
                settings=meta["settings"], random_state=meta["random_state"])  # fmt: skip
    model.codebook_, model.settings_, model.training_ = book, meta["settings"], meta["training"]
    model.lexicon_ = LexiconCoder(codebook=book).fit()
    model.temperature_fast_, model.temperature_full_ = meta["temperature_fast"], meta["temperature_full"]
    none = [0.0] * len(arrays["confusion"])
    model.bias_fast_, model.bias_full_ = (
        np.asarray(meta.get(f"bias_{k}", none), dtype=float) for k in ("fast", "full")
    )
    model.review_below_, model.confusion_ = meta["review_below"], arrays["confusion"]
    parts: dict[str, Any] = {"vocab": arrays["vocab"].tolist()}
    parts.update({name: arrays[name] for name in _ARRAYS if name in arrays})
    for name in ("fast", "full"):
        if f"{name}_coef" in arrays:
            parts[name] = (arrays[f"{name}_coef"], arrays[f"{name}_intercept"])
    if meta["mlp_layers"]:
        parts["mlp"] = [[(arrays[f"mlp{k}_w{j}"], arrays[f"mlp{k}_b{j}"]) for j in range(n)]
                        for k, n in enumerate(meta["mlp_layers"])]  # fmt: skip
    model.parts_ = parts
    return model
