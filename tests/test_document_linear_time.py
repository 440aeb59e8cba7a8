"""Adversarial texts cost linear time in the parser and in classify_document.

Each family is timed at 25 KB and 100 KB (best of 3, CPU time: the machine is
shared): linear growth is a ratio of about 4, quadratic about 16. The bound
(10x plus 50 ms of slack for timer noise) is generous; the cubic and quadratic
cases of v1 took seconds to minutes at these sizes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import kvclassify as kv

H = "Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie (ingezonden 3 maart 2025).\n\n"
#: name -> text of about n characters
FAMILIES: dict[str, Callable[[int], str]] = {
 "antwoord_van_spaces": lambda n: "Antwoord van minister" + " " * n + "x",
 "number_spaces": lambda n: "1" + " " * n + "x",
 "tk_spaces": lambda n: "Tweede Kamer der Staten-Generaal" + " " * n + "x",
 "address_stop": lambda n: "Vragen van het lid A (SP) aan de minister van Defensie" + " " * n + "x",
 "answer_address": lambda n: "Antwoord van minister A (Defensie), mede namens de minister van" + " ," * (n // 2) + "\n\nVraag 1\nKent u?",
 "continuation_paras": lambda n: H + "Kent u het bericht?\n\n" + "zo ja, waarom?\n\n" * (n // 16),
 "vraag_en": lambda n: "Vraag 1" + " en 2" * (n // 5) + "\nKent u?",
 "antwoord_op": lambda n: "Vraag 1\nKent u?\nAntwoord op vraag 1" + " en 1" * (n // 5),
 "bare_numbers": lambda n: H + "1.\n" * (n // 3),
 "counting_list": lambda n: H + "".join(f"{i}. Kent u dit?\n" for i in range(1, n // 16)),
 "brackets": lambda n: H + "1. Kent u dit" + "[1]" * (n // 3) + "?",
 "members": lambda n: "Vragen van het lid " + "A (JA21), " * (n // 10) + "aan de minister",
 "footnote_lines": lambda n: H + "1. Kent u dit?1\n" + "".join(f"{i}NOS, 1 mei\n" for i in range(1, n // 12)),
 "glued_word": lambda n: H + "1. Kent u " + "enwilt" * (n // 6) + "?",
 "url_run": lambda n: H + "1. Kent u https://" + "a/\n" * (n // 3) + "?",
 "hyphen_lines": lambda n: H + "1. Kent u ab-\n" + "cd-\n" * (n // 4) + "?",
 "ingezonden_spaces": lambda n: "Vragen van het lid A (SP) (ingezonden" + " " * n + "3 maart 2025)",
 "open_parens": lambda n: H + "1. Kent u " + "(" * n + "?",
 "digits_run": lambda n: H + "1. Kent u dit?" + "1" * n,
 "vragen_van_repeat": lambda n: "Vragen van het lid " * (n // 19),
 "antwoord_lines": lambda n: "Vraag 1\nKent u?\n" + "Antwoord 1\nJa.\n" * (n // 16),
 "question_marks": lambda n: H + "1. Kent u dit" + "?" * n,
 "one_line_questions": lambda n: H + "Vraag 1 en 2 " + "Kent u dit? " * (n // 12),
 "page_numbers": lambda n: H + "Kent u dit?\n\n2\n\n" * (n // 16),
 "bare_after_bare": lambda n: H + "1\n" + "3\n" * (n // 2),
 "wrapped_numbers": lambda n: H + "1. Kent u het\n" + "2. Dat\n" * (n // 7),
 "spaced_footnotes": lambda n: H + "Kent u dit?1\n\n" + "".join(f"{i} NOS, 1 mei 2025\n" for i in range(1, n // 20)),
 "answer_list": lambda n: ("Antwoord van minister A (Defensie) (ontvangen 1 mei 2025)\n\n1. Kent u?\n\nAntwoord:\n"
                           + "1. Een.\n" * (n // 8)),
 "soft_hyphens": lambda n: H + "1. Kent u ab\xad\n" * (n // 14) + "?",
 "vraag_lowercase": lambda n: H + "1. Kent u dit\n" + "Vraag 2 van de enquête\n" * (n // 24),
 "sourceless_footnotes": lambda n: H + "Kent u dit?1\n\n" + "".join(f"{i} Omroep Gelderland\n" for i in range(1, n // 22)),
 "sourceless_pages": lambda n: H + "".join(f"Kent u dit?{i % 999 + 1}\n{i % 999 + 1} Omroep\nAH 1\n" for i in range(n // 30)),
 "bare_then_digit": lambda n: H + "".join(f"{i}\n{i} procent is het?\n" for i in range(1, n // 20)),
 "questions_then_answers": lambda n: ("Antwoord van minister A (Defensie) (ontvangen 1 mei 2025)\n\n"
                                      + "".join(f"Vraag {i}\nKent u?\n" for i in range(1, n // 36))
                                      + "".join(f"Antwoord {i}\nJa.\n" for i in range(1, n // 36))),
 "antwoord_one_line": lambda n: "Vraag 1 Kent u?\nAntwoord 1" + " " * n + "Ja.",
 "asked_then_spaced": lambda n: H + "Kent u dit?\n" + "1 Omroep Gelderland\n" * (n // 20),
}

#: The families of issue #10 for classify_document, plus a few of the costliest for the model.
#: ("question_marks" is left out: the featurizer's tokeniser is another module's.)
CLASSIFY = ("antwoord_van_spaces", "number_spaces", "tk_spaces", "address_stop", "answer_address",
            "continuation_paras", "counting_list", "one_line_questions")


def _best(function: Callable[[str], object], text: str, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function(text)
        times.append(time.process_time() - start)
    return min(times)


def _assert_linear(function: Callable[[str], object], make: Callable[[int], str]) -> None:
    small, large = _best(function, make(25_000)), _best(function, make(100_000))
    assert large <= 10 * small + 0.05, f"25 KB: {small:.3f} s, 100 KB: {large:.3f} s"


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_parse_document_is_linear(name: str) -> None:
    _assert_linear(kv.parse_document, FAMILIES[name])


@pytest.mark.parametrize("name", CLASSIFY)
def test_classify_document_is_linear(name: str) -> None:
    kv.load_model()  # the first call reads the model: not part of the timing
    _assert_linear(kv.classify_document, FAMILIES[name])
