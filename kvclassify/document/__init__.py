"""Parse a Kamervragen document (questions, answers or oral questions) into parts.

The input is text as extracted from the official PDF or DOCX, with its damage:
page headers and footers, footnote blocks in the middle of a question, words
hyphenated or glued at line ends. :func:`parse_document` recovers the header
(members, addressees, dates, subject), the footnotes and the question units
(with the government's answer when the document has one), in named stages:
:mod:`.text`, :mod:`.header`, :mod:`.footnotes`, :mod:`.units`,
:mod:`.answers`, put together by :mod:`.parse`.

Everything here is pure Python and runs in linear time.
"""

from __future__ import annotations

from .parse import parse_document
from .types import Addressee, Document, Footnote, Marker, Member, QuestionUnit

__all__ = ["Addressee", "Document", "Footnote", "Marker", "Member", "QuestionUnit", "parse_document"]
