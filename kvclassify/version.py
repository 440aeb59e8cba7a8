"""Version numbers of the library and of the model file format, imported by both sides.

A module of its own so that the model, the file format and training can read
them without importing each other or the package face.

>>> from kvclassify.version import FORMAT_VERSION
>>> FORMAT_VERSION
1
"""

from __future__ import annotations

__all__ = ["__version__", "FORMAT_VERSION"]

__version__ = "0.1.0"

#: The ``.kvc`` layout written by ``save_model``; readers accept 1..FORMAT_VERSION.
FORMAT_VERSION = 1
