"""Safe writing: targets checked first, nothing left behind on errors or SIGTERM, the folder synced."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify.writing import atomic_write_bytes, check_target

ROOT = Path(__file__).resolve().parents[1]


def test_a_new_file_in_a_new_folder_is_fine(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "m.kvc"
    assert check_target(target) == target
    atomic_write_bytes(target, b"data")
    assert target.read_bytes() == b"data"
    assert sorted(p.name for p in target.parent.iterdir()) == ["m.kvc"]


@pytest.mark.parametrize("kind", ["directory", "symlink", "fifo", "device"])
def test_a_target_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "m.kvc"
    if kind == "directory":
        target.mkdir()
    elif kind == "symlink":
        (tmp_path / "real").write_bytes(b"old")
        target.symlink_to(tmp_path / "real")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target = Path("/dev/null")
    before = os.lstat(target)
    with pytest.raises(kv.OutputError, match="not a regular file"):
        atomic_write_bytes(target, b"new")
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)  # untouched, not replaced
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_folder_is_refused(tmp_path: Path) -> None:
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(kv.OutputError, match="not writable"):
            check_target(tmp_path / "m.kvc")
    finally:
        tmp_path.chmod(stat.S_IRWXU)


def test_a_file_as_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(kv.OutputError, match="is not a folder"):
        check_target(tmp_path / "file" / "m.kvc")


def test_the_folder_is_fsynced_after_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[bool] = []
    real = os.fsync

    def spy(fd: int) -> None:
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    atomic_write_bytes(tmp_path / "m.kvc", b"data")
    assert synced == [False, True]  # the file's data, then the folder's entry


_SLOW_WRITER = """
import os, sys, time
from kvclassify import writing
real = os.fsync
def slow(fd):
    print("writing", flush=True)
    time.sleep(30)
os.fsync = slow
writing.atomic_write_bytes(sys.argv[1], b"x" * 1000)
"""


def test_sigterm_during_a_write_removes_the_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "m.kvc"
    target.write_bytes(b"old")
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # the temp file exists mid-write
    proc.send_signal(signal.SIGTERM)
    start = time.perf_counter()
    assert proc.wait(timeout=10) == 128 + signal.SIGTERM
    assert time.perf_counter() - start < 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.kvc"] and target.read_bytes() == b"old"


@pytest.mark.parametrize("path", [None, 3, b"/tmp/x", "bad\x00path"])
def test_a_path_that_is_no_path_is_an_input_error(path: object) -> None:
    with pytest.raises(kv.InputError):
        atomic_write_bytes(path, b"x")  # type: ignore[arg-type]
    with pytest.raises(kv.InputError):
        kv.save_model(kv.load_model(), path)  # type: ignore[arg-type]


def test_checking_a_target_leaves_nothing_behind(tmp_path: Path) -> None:
    check_target(tmp_path / "m.kvc")
    check_target(tmp_path / "new" / "deeper" / "m.kvc")
    assert list(tmp_path.iterdir()) == []  # the probe file is gone, and no folder is made before the write


def test_a_folder_that_refuses_new_files_is_refused_up_front(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")  # as /sys does, though os.access says writable to root

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # the temporary file of a write
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)  # the unnamed probe of check_target
    target = tmp_path / "m.kvc"
    for attempt in (lambda: check_target(target), lambda: atomic_write_bytes(target, b"x")):
        with pytest.raises(kv.OutputError, match=r"^cannot write .*m\.kvc: Permission denied$"):
            attempt()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("path", ["/proc/x.csv", "/sys/x.csv", "/proc/self/x.csv"])
def test_an_out_in_proc_or_sys_is_a_bad_option(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    from kvclassify.cli import main

    with pytest.raises(kv.OutputError, match=f"^cannot write {path}: "):
        check_target(path)
    document = ROOT / "tests" / "fixtures" / "documents" / "seed-2025-om-ict.txt"
    assert main(["classify", str(document), "--out", path]) == 3  # as the README says, not 1
    err = capsys.readouterr().err
    assert err.startswith(f"kvclassify: error: --out: cannot write {path}: ") and err.count("\n") == 1
