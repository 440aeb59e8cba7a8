"""Bounded reading of a model container: limits, zip directory, .npy headers, JSON depth."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import numpy as np
import pytest

import kvclassify as kv
from kvclassify.archive import LIMIT_VARIABLES, Limits, open_members, parse_json, parse_npy


def test_every_limit_has_its_variable() -> None:
    assert set(LIMIT_VARIABLES) == {f.name for f in dataclasses.fields(Limits)}
    env = {var: str(i + 2) for i, var in enumerate(LIMIT_VARIABLES.values())}
    assert dataclasses.astuple(Limits.from_env(env)) == tuple(range(2, 2 + len(env)))


def test_npy_version_2_headers_are_read_and_shapes_must_match() -> None:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.arange(6, dtype="<i8").reshape(2, 3), version=(2, 0))
    assert parse_npy("a", buf.getvalue(), "<i8", 2).tolist() == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(kv.ModelIntegrityError, match="holds 40 bytes"):
        parse_npy("a", buf.getvalue()[:-8], "<i8", 2)
    with pytest.raises(kv.ModelIntegrityError, match="not a valid .npy"):
        parse_npy("a", b"\x93NUMPY\x09\x00", "<i8", 1)


@pytest.mark.parametrize(("depth", "ok"), [(32, True), (33, False)])
def test_json_depth_is_counted_outside_strings(depth: int, ok: bool) -> None:
    text = ('{"s": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"", "x": ' + "[" * (depth - 1) + "]" * (depth - 1)
            + "}").encode()
    if ok:
        assert parse_json("a.json", text, Limits())["s"].startswith("[[[")
    else:
        with pytest.raises(kv.ModelIntegrityError, match="nests deeper than 32"):
            parse_json("a.json", text, Limits())


def test_unterminated_strings_and_bad_bytes_are_integrity_errors() -> None:
    for data in (b'{"a": "' + b"\\" * 100_001, b"\xff\xfe", b"[1, 2"):
        with pytest.raises(kv.ModelIntegrityError):
            parse_json("a.json", data, Limits())


def test_a_payload_without_a_zip_directory_is_refused() -> None:
    with pytest.raises(kv.ModelIntegrityError, match="not a zip archive"):
        open_members(b"PK\x03\x04" + b"\x00" * 100, Limits())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(6):
            zf.writestr(f"m{i}", b"x")
    with pytest.raises(kv.ModelIntegrityError, match="declares 6 members"):
        open_members(buf.getvalue(), Limits(members=5))
