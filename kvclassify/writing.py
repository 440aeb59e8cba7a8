"""Writing files safely: check the target first, write a temp file, rename it over, fsync the folder.

A target that exists and is not a regular file (a directory, symbolic link,
device, FIFO or socket) is refused, so a model is never written through a
link or over ``/dev/sda``; the temp file is removed on any error and on
SIGTERM.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import Any

from .errors import InputError, KvclassifyError, OutputError

__all__ = ["check_target", "atomic_path", "atomic_write_bytes"]


def _what(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "a device, FIFO or socket"


def check_target(path: str | os.PathLike[str], inputs: Iterable[Any] = ()) -> Path:
    """``path`` as a :class:`~pathlib.Path` if a file may be written there, else an ``OutputError``.

    The target must be absent or a regular file, not one of ``inputs`` (the
    files the result is made from, by any path, hard link or spelling; a
    mapping stands for its values, as the splits of ``train``'s data; values
    that are not paths are ignored), and its nearest existing folder
    writable: a temporary file is created there and closed again, since only
    that tells (``/proc`` or ``/sys`` refuse new files even to root, whom
    ``os.access`` calls every folder writable). Cheap: call it before slow
    work whose result goes there.

    Examples
    --------
    >>> import tempfile
    >>> check_target(os.path.join(tempfile.mkdtemp(), "new", "model.kvc")).name
    'model.kvc'
    >>> check_target(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kvclassify.errors.OutputError: refusing to write ...: it is a directory, not a regular file
    >>> data = os.path.join(tempfile.mkdtemp(), "data.csv")
    >>> _ = open(data, "w").write("text\\n")
    >>> check_target(data, inputs=[data])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kvclassify.errors.OutputError: refusing to write ...: it is an input (...data.csv); choose another output path
    """
    return _checked(_path(path), inputs, probe=True)


def _path(path: Any) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"an output path must be a str or os.PathLike, got {type(path).__name__}")
    return Path(path)


def _checked(target: Path, inputs: Iterable[Any], *, probe: bool) -> Path:
    """:func:`check_target`; ``probe`` creates a file in the folder (needless where the temporary file is made next)."""
    try:
        mode = os.lstat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None  # absent, or under a file: the folder check below says which
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL byte in the path
        raise InputError(f"cannot write {target!r}: {exc}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(f"refusing to write {target}: it is {_what(mode)}, not a regular file")
    if mode is not None:
        for source in (v for item in inputs for v in (item.values() if isinstance(item, Mapping) else (item,))):
            if isinstance(source, (str, os.PathLike)) and _same_file(target, source):
                raise OutputError(f"refusing to write {target}: it is an input ({source}); choose another output path")
    folder = target.parent
    try:
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        is_folder = folder.is_dir()
    except OSError as exc:  # a folder on the way that cannot be looked into
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    if not is_folder:
        raise OutputError(f"cannot write {target}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {target}: the folder {folder} is not writable")
    if probe:  # in the nearest existing folder (missing ones are made there); unnamed where the system allows
        try:
            with tempfile.TemporaryFile(dir=folder):  # O_TMPFILE: nothing to leave behind if the process is killed
                pass
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def _temp_file(target: Path, folder: Path) -> str:
    """A new empty temporary file for ``target`` in ``folder`` (the name atomic_path uses), else an OutputError."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    os.close(fd)
    return tmp


def _remove(tmp: str) -> None:
    """Remove a temporary file; a failure to do so must not hide the error that is being reported."""
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _same_file(target: Path, source: str | os.PathLike[str]) -> bool:
    """Whether ``source`` names the existing file ``target`` (device and inode: links and spellings alike)."""
    try:
        return os.path.samefile(target, source)
    except (OSError, ValueError):  # absent, unreadable or not a path (a NUL byte): not the target
        return False


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises ``SystemExit`` (so ``finally`` and ``except`` clean up) instead of killing."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield  # signal handlers belong to the main thread; a handler of the caller's own is left alone
        return

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable: fsync the folder's entry table (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the data itself is synced
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary file beside ``path`` to write; renamed over ``path`` when the block succeeds.

    The target is checked (:func:`check_target`) before the block and again
    before the rename; the temporary file's data is synced before the rename
    and the folder after it; on an error, or SIGTERM, the temporary file is
    removed and the target left as it was. Missing folders on the way to
    ``path`` are created (and stay if the write then fails). Every failure to
    create or write the file (``OSError``) is an ``OutputError``.

    Examples
    --------
    >>> import tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with atomic_path(path) as tmp:
    ...     with open(tmp, "w") as fh:
    ...         _ = fh.write("hello")
    >>> open(path).read()
    'hello'
    """
    target = _checked(_path(path), (), probe=False)  # the temporary file made below is the probe
    tmp: str | None = None
    with _sigterm_raises():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = _temp_file(target, target.parent)
            yield tmp
            with open(tmp, "rb") as written:
                os.fsync(written.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a saved file is an ordinary file
            _checked(target, (), probe=False)  # again: the target may have been replaced meanwhile
            os.replace(tmp, target)
            tmp = None
        except KvclassifyError:  # the block's own errors (a missing input file is one) pass unchanged
            raise
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        finally:
            if tmp is not None:
                _remove(tmp)
    _fsync_folder(target.parent)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that the target is either the old file or the whole new one.

    Raises ``OutputError`` for a target :func:`check_target` refuses or a failed write;
    missing folders are created (see :func:`atomic_path`).

    Examples
    --------
    >>> import tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> atomic_write_bytes(path, b"hello"); open(path, "rb").read()
    b'hello'
    """
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
