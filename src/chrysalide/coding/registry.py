"""The coder registry: one name per coder kind, the same registry for plug-ins (as the importers').

A coder kind is registered with a factory ``(model, codebook) -> (fitted coder, recorded name)``; the
recorded name goes to ``codes.coder`` and ``runs.component`` (kind plus codebook or model-file digest, the
text rules in force, :func:`chrysalide.text.step.rules_key`: both coders read lemmas, person features and the
own-health flag through them, and what they read of the context, :data:`chrysalide.coding.context.VERSION`), so
that another codebook, model file, text rules version, health word list or context is another coder, which
codes every message again. Third-party coders register with
:func:`register_coder` or the ``chrysalide.coders`` entry-point group.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

from chrysalide.coding.base import StageCoder
from chrysalide.coding.codebook import Codebook
from chrysalide.coding.context import VERSION as CONTEXT
from chrysalide.errors import ConfigError
from chrysalide.text.step import rules_key

CoderFactory = Callable[[str | Path | None, str | Path | Codebook | None], tuple[StageCoder, str]]

_REGISTRY: dict[str, CoderFactory] = {}


def register_coder(kind: str) -> Callable[[CoderFactory], CoderFactory]:
    """Decorator adding a coder factory under ``kind``."""

    def add(factory: CoderFactory) -> CoderFactory:
        _REGISTRY[kind] = factory
        return factory

    return add


@register_coder("lexicon")
def _lexicon(model: str | Path | None, codebook: str | Path | Codebook | None) -> tuple[StageCoder, str]:
    from chrysalide.coding.lexicon import LexiconCoder

    if model is not None:
        raise ConfigError("--model applies to the model coder, not to the lexicon coder")
    lex = LexiconCoder(codebook=codebook).fit()
    return lex, f"lexicon:codebook-{lex.codebook_.version}:{lex.codebook_.digest}+text-{rules_key()}+{CONTEXT}"


@register_coder("model")
def _model(model: str | Path | None, codebook: str | Path | Codebook | None) -> tuple[StageCoder, str]:
    from chrysalide.coding.model import ModelCoder, default_model_path

    if codebook is not None:
        raise ConfigError(
            "a model carries the codebook it was trained with; --codebook applies to the "
            "lexicon coder and to `chrysalide code train`"
        )
    path = Path(model) if model is not None else default_model_path()
    fitted = ModelCoder.load(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return fitted, f"model:{path.name}:{digest}+text-{rules_key()}+{CONTEXT}"


def _load_plugins() -> None:
    for ep in entry_points(group="chrysalide.coders"):
        if ep.name not in _REGISTRY:
            register_coder(ep.name)(ep.load())


def coder_kinds() -> list[str]:
    """The registered coder kinds."""
    _load_plugins()
    return sorted(_REGISTRY)


def make_coder(
    kind: str = "model", model: str | Path | None = None, codebook: str | Path | Codebook | None = None
) -> tuple[StageCoder, str]:
    """The fitted coder of ``kind`` and the name recorded in ``codes.coder``."""
    _load_plugins()
    factory = _REGISTRY.get(kind)
    if factory is None:
        raise ConfigError(f"unknown coder {kind!r} (choose one of: {', '.join(sorted(_REGISTRY))})")
    return factory(model, codebook)
