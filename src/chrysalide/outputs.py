"""Where commands write (reports, exports, codebooks, coded CSVs, the demo's folder): one check, one way to write.

A file given with ``--out`` must stand in an existing folder and be no folder nor special file (a device, a pipe):
each case is refused in one line naming the path. It is written beside itself (``<name>.part``) and put in its
place once complete, so that a failed write (no permission, a folder the system owns) leaves the earlier file as it
was and no part file holding exported text behind. A full disk is left to the command line's own sentence for it
(:func:`chrysalide.errors.explain`).
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from chrysalide.errors import ConfigError


def output_file(out: str | Path) -> Path:
    """``out`` checked as a file to write (module docstring); a ConfigError naming it otherwise."""
    path = Path(out)
    if not path.parent.is_dir():
        raise ConfigError(f"{path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise ConfigError(f"{path}: is a folder; give the name of a file to write")
    if path.exists() and not path.is_file():
        raise ConfigError(f"{path}: is no regular file (a device or a pipe); give the name of a file to write")
    return path


@contextmanager
def writing(out: str | Path) -> Iterator[Path]:
    """The part file to write ``out`` to; it takes ``out``'s place when the block ends without error."""
    path = output_file(out)
    part = path.with_name(path.name + ".part")
    try:
        yield part
        part.replace(path)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise
        raise ConfigError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)


def output_folder(out: str | Path, *, parents: bool = False, make: bool = True) -> Path:
    """``out`` as a folder to write into, made when missing (with its missing parents when ``parents``, else its
    parent must exist; only checked unless ``make``); a ConfigError naming it when it is a file or cannot be made."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{path}: exists and is not a folder")
    if not parents and not path.parent.is_dir():
        raise ConfigError(f"{path}: folder {path.parent} does not exist")
    if not make:
        return path
    try:
        path.mkdir(parents=parents, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot make the folder: {exc.strerror or exc}") from exc
    return path
