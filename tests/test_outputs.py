"""Where commands write (chrysalide.outputs): a folder, a device or a missing folder is refused in one line, and a
failed write leaves the earlier file as it was and no part file behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from chrysalide.errors import ConfigError
from chrysalide.outputs import output_file, output_folder, writing

CLI = [sys.executable, "-c", "from chrysalide.cli.main import run; run()"]


def test_output_file_refuses_a_folder_a_device_and_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        output_file(tmp_path)
    with pytest.raises(ConfigError, match="is no regular file"):
        output_file("/dev/null")
    with pytest.raises(ConfigError, match="does not exist"):
        output_file(tmp_path / "nowhere" / "x.html")
    assert output_file(tmp_path / "x.html") == tmp_path / "x.html"


def test_a_failed_write_keeps_the_earlier_file_and_leaves_no_part(tmp_path: Path) -> None:
    out = tmp_path / "corpus.txt"
    out.write_text("earlier", encoding="utf-8")
    with pytest.raises(RuntimeError), writing(out) as part:
        part.write_text("half of the new one", encoding="utf-8")
        raise RuntimeError("the export failed")
    assert out.read_text(encoding="utf-8") == "earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.txt"]
    with writing(out) as part:
        part.write_text("new", encoding="utf-8")
    assert out.read_text(encoding="utf-8") == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["corpus.txt"]


def test_a_folder_that_takes_no_file_is_a_clear_error() -> None:
    """/proc takes no new file, even from root."""
    with pytest.raises(ConfigError, match="cannot write"), writing("/proc/chrysalide-test.txt") as part:
        part.write_text("x", encoding="utf-8")


def test_output_folder(tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="exists and is not a folder"):
        output_folder(file)
    with pytest.raises(ConfigError, match="does not exist"):
        output_folder(tmp_path / "a" / "b")
    assert not (tmp_path / "c").exists() and output_folder(tmp_path / "c", make=False) == tmp_path / "c"
    assert output_folder(tmp_path / "a" / "b", parents=True).is_dir()
    with pytest.raises(ConfigError, match="cannot make the folder"):
        output_folder("/proc/chrysalide-test")


@pytest.mark.parametrize(
    "command",
    [
        ["code", "codebook", "--out", "{dir}"],
        ["export", "codebook", "--out", "{dir}"],
        ["code", "codebook", "--out", "/dev/null"],
        ["export", "codebook", "--out", "/proc/x.qdc"],
        ["demo", "--out", "{file}"],
    ],
)
def test_the_commands_say_it_in_one_line(tmp_path: Path, command: list[str]) -> None:
    """Regression: these gave "internal error (IsADirectoryError ...)" or FileExistsError, and an export over a
    device file replaced it."""
    file = tmp_path / "file"
    file.write_text("", encoding="utf-8")
    args = [a.format(dir=tmp_path, file=file) for a in command]
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and "internal error" not in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
