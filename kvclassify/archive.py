"""Reading a model file within limits: the file, its zip members, ``.npy`` arrays and JSON documents.

Nothing here trusts a size the file declares before checking it against a
limit, and nothing is inflated or allocated before it has been checked: the
zip directory is read first (member count, names, declared sizes), arrays
are parsed from their header (dtype, shape) and must account for exactly the
bytes present, and JSON nesting is measured before it is parsed. The limits
are the fields of :class:`Limits`, each overridable by an environment
variable (see ``SECURITY.md``). Every failure is a ``ModelIntegrityError``.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import stat
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError, ModelError, ModelIntegrityError, ModelNotFoundError

__all__ = ["Limits", "LIMIT_VARIABLES", "read_file", "open_members", "read_member", "parse_npy", "parse_json"]

#: The environment variable that overrides each field of :class:`Limits`.
LIMIT_VARIABLES: dict[str, str] = {
    "file_bytes": "KVCLASSIFY_MAX_MODEL_BYTES",
    "member_bytes": "KVCLASSIFY_MAX_MEMBER_BYTES",
    "total_bytes": "KVCLASSIFY_MAX_MODEL_MEMORY",
    "members": "KVCLASSIFY_MAX_MEMBERS",
    "json_bytes": "KVCLASSIFY_MAX_JSON_BYTES",
    "json_depth": "KVCLASSIFY_MAX_JSON_DEPTH",
}
_EOCD = struct.Struct("<4s4H2LH")  # the zip's end-of-central-directory record
_STRING = re.compile(r'"(?:[^"\\]|\\.)*+"')  # a JSON string; possessive: linear on any input
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_MAX_ENTRY_BYTES = 1024  # a directory entry of this writer: 46 bytes and a short name


@dataclass(frozen=True, slots=True)
class Limits:
    """What a model file may ask of memory and time (the shipped model needs under a tenth of each).

    Parameters
    ----------
    file_bytes : size of the ``.kvc`` file.
    member_bytes : uncompressed size of one zip member.
    total_bytes : uncompressed size of all members together.
    members : number of zip members.
    json_bytes : size of one JSON member.
    json_depth : nesting depth of a JSON member.

    Examples
    --------
    >>> Limits.from_env({"KVCLASSIFY_MAX_MEMBERS": "10"}).members
    10
    """

    file_bytes: int = 128 << 20
    member_bytes: int = 64 << 20
    total_bytes: int = 256 << 20
    members: int = 4096
    json_bytes: int = 16 << 20
    json_depth: int = 32

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        """The defaults, with each limit whose variable of :data:`LIMIT_VARIABLES` is set replaced."""
        values: dict[str, int] = {}
        for f in fields(cls):
            raw = environ.get(LIMIT_VARIABLES[f.name])
            if raw is None:
                continue
            try:
                values[f.name] = int(raw)
            except ValueError:
                values[f.name] = 0
            if values[f.name] < 1:
                raise ModelError(f"{LIMIT_VARIABLES[f.name]} must be a positive integer, got {raw!r}")
        return cls(**values)


def read_file(path: Path, limits: Limits) -> bytes:
    """The bytes of a regular file of at most ``limits.file_bytes`` (never reads more than one byte beyond its size).

    Examples
    --------
    >>> read_file(Path("/dev/zero"), Limits())
    Traceback (most recent call last):
    ...
    kvclassify.errors.ModelNotFoundError: model path is not a regular file (a device, FIFO or socket): /dev/zero
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ModelNotFoundError(f"model file not found: {path}") from None
    except IsADirectoryError:
        raise ModelNotFoundError(f"model path is a directory, not a .kvc file: {path}") from None
    except OSError as exc:
        raise ModelNotFoundError(f"cannot read model file {path}: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL byte in the path
        raise InputError(f"model path {str(path)!r} is not a valid path: {exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ModelNotFoundError(f"model path is a directory, not a .kvc file: {path}")
        raise ModelNotFoundError(f"model path is not a regular file (a device, FIFO or socket): {path}")
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > limits.file_bytes:
            raise ModelIntegrityError(f"{path} has {info.st_size} bytes, over the limit of {limits.file_bytes}")
        try:
            # The size it has, plus one byte to notice growth: read(n) reserves n bytes up front.
            raw = fh.read(info.st_size + 1)
        except OSError as exc:
            raise ModelNotFoundError(f"cannot read model file {path}: {exc.strerror or exc}") from None
    if len(raw) > info.st_size:
        raise ModelIntegrityError(f"{path} changed while it was read")
    return raw


def open_members(payload: bytes, limits: Limits) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """The zip archive of a payload and its members by name, checked before anything is inflated.

    Examples
    --------
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as zf:
    ...     zf.writestr("a.json", "{}")
    >>> archive, infos = open_members(buf.getvalue(), Limits())
    >>> read_member(archive, infos["a.json"])
    b'{}'
    >>> open_members(buf.getvalue(), Limits(member_bytes=1))
    Traceback (most recent call last):
    ...
    kvclassify.errors.ModelIntegrityError: member 'a.json' declares 2 bytes, over the limit of 1
    """
    # The member count is read from the end record first: the zip module would build every entry.
    end = payload.rfind(b"PK\x05\x06", max(0, len(payload) - (1 << 16) - _EOCD.size))
    if end < 0 or len(payload) - end < _EOCD.size:
        raise ModelIntegrityError("the payload is not a zip archive")
    count, directory_size = _EOCD.unpack_from(payload, end)[4:6]
    if count > limits.members or directory_size > limits.members * _MAX_ENTRY_BYTES:
        raise ModelIntegrityError(f"the archive declares {count} members, over the limit of {limits.members}")
    archive = zipfile.ZipFile(io.BytesIO(payload))
    infos: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in archive.infolist():
        name = info.filename
        if name in infos:
            raise ModelIntegrityError(f"the archive holds member {name!r} twice")
        if info.flag_bits & 0x1 or info.compress_type not in _METHODS:
            raise ModelIntegrityError(f"member {name!r} is encrypted or uses an unsupported compression")
        if info.file_size > limits.member_bytes:
            raise ModelIntegrityError(
                f"member {name!r} declares {info.file_size} bytes, over the limit of {limits.member_bytes}"
            )
        total += info.file_size
        if total > limits.total_bytes:
            raise ModelIntegrityError(f"the members declare over {limits.total_bytes} bytes in all")
        infos[name] = info
    if len(infos) > limits.members:
        raise ModelIntegrityError(f"the archive has over {limits.members} members")
    return archive, infos


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, read through a stream that stops one byte past its declared size (see :func:`open_members`)."""
    with archive.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise ModelIntegrityError(f"member {info.filename!r} does not have its declared size")
    return data


def parse_npy(name: str, data: bytes, dtype: str, ndim: int) -> np.ndarray:
    """A read-only array from ``.npy`` bytes whose header says ``dtype`` and ``ndim`` dimensions.

    The header is parsed first; its shape times the item size must equal the
    bytes that follow it, so nothing is allocated on the header's word.

    Examples
    --------
    >>> buf = io.BytesIO(); np.save(buf, np.arange(3, dtype="<i4"))
    >>> parse_npy("a.npy", buf.getvalue(), "<i4", 1).tolist()
    [0, 1, 2]
    """
    buf = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(buf)
        read_header = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
        shape, fortran_order, found = read_header[version](buf)
    except (ValueError, KeyError, SyntaxError, TypeError) as exc:
        raise ModelIntegrityError(f"member {name!r} is not a valid .npy array: {exc}") from None
    if found.str != dtype or fortran_order or len(shape) != ndim:
        raise ModelIntegrityError(
            f"member {name!r} holds {found.str} of {len(shape)} dimension(s)"
            f"{' in Fortran order' if fortran_order else ''}; expected {dtype} of {ndim}"
        )
    count = math.prod(shape)
    if count * found.itemsize != len(data) - buf.tell():
        raise ModelIntegrityError(
            f"member {name!r} declares shape {shape} but holds {len(data) - buf.tell()} bytes of data"
        )
    return np.frombuffer(data, dtype=found, count=count, offset=buf.tell()).reshape(shape)


def _no_constant(token: str) -> Any:
    raise ValueError(f"{token} is not a number")


def parse_json(name: str, data: bytes, limits: Limits, *, constants: bool = False) -> Any:
    """A JSON document of at most ``limits.json_bytes`` and ``limits.json_depth`` levels.

    ``NaN`` and ``Infinity`` are refused unless ``constants`` (the free-form
    card may hold them; nothing computes with it).

    Examples
    --------
    >>> parse_json("a.json", b'{"a": [1, 2]}', Limits())
    {'a': [1, 2]}
    """
    if len(data) > limits.json_bytes:
        raise ModelIntegrityError(f"member {name!r} has {len(data)} bytes, over the JSON limit of {limits.json_bytes}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ModelIntegrityError(f"member {name!r} is not UTF-8") from None
    brackets = np.frombuffer(_STRING.sub("", text).encode("utf-32-le"), dtype=np.uint32)
    step = np.isin(brackets, (ord("["), ord("{"))).astype(np.int64) - np.isin(brackets, (ord("]"), ord("}")))
    if len(step) and int(np.cumsum(step).max()) > limits.json_depth:
        raise ModelIntegrityError(f"member {name!r} nests deeper than {limits.json_depth} levels")
    try:
        return json.loads(text) if constants else json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise ModelIntegrityError(f"member {name!r} is not valid JSON: {exc}") from None
