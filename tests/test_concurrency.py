"""Concurrency: threads, joblib and spawned processes give exactly the sequential results.

Also: loading the shipped model from many threads at once returns one
consistent model, and readers of a model file being rewritten (atomically)
never see a half-written file.
"""

from __future__ import annotations

import multiprocessing
import random
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import kvclassify as kv
from kvclassify import api

N_THREADS = 8

_STARTS = ["Kent u het bericht", "Bent u bereid", "Hoeveel", "Deelt u de mening dat", "Waarom is",
           "Wanneer wordt", "Kunt u aangeven welke", "Is het waar dat", "Wat vindt u van", "Welke stappen zet u"]
_WORDS = ("wachtlijsten jeugdzorg gemeenten huurprijzen stikstof boeren subsidie politie agenten rechtspraak "
          "defensie munitie asielzoekers opvang scholen leraren zorgverzekering ziekenhuizen energie belasting "
          "toeslagen ouders kinderen provincie dijken woningbouw pensioenen klimaat cultuur europa").split()


def _texts(n: int, seed: int = 0) -> list[str]:
    rnd = random.Random(seed)
    out = [f"{rnd.choice(_STARTS)} {' '.join(rnd.choices(_WORDS, k=rnd.randint(1, 12)))}?" for _ in range(n)]
    # a few odd ones: empty, foreign, emoji, very long
    return out + ["", "What will the minister do about it and when will you tell us?", "😀 ?", "jeugdzorg " * 500]


def _document(seed: int) -> str:
    qs = _texts(6, seed)[:6]
    return ("Vragen van het lid Jansen (SP) aan de minister van Defensie over munitie "
            "(ingezonden 3 maart 2025).\n\n" + "\n\n".join(f"{i}. {q}" for i, q in enumerate(qs, 1)) + "\n")


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Switch threads far more often than usual, so that races show."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def _run_threads(target, n: int = N_THREADS) -> list:
    results: list = [None] * n
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run(k: int) -> None:
        try:
            barrier.wait()
            results[k] = target(k)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hangs"
    assert not errors, errors
    return results


def test_threads_classify_like_sequential(busy_switching: None) -> None:
    texts = _texts(250)
    expected = [kv.classify(t).to_dict() for t in texts]
    rounds = 1  # 8 threads x 254 texts = 2,032 calls, plus those of the next test

    def work(k: int) -> list[tuple[int, dict]]:
        order = list(range(len(texts)))
        random.Random(k).shuffle(order)
        return [(i, kv.classify(texts[i]).to_dict()) for _ in range(rounds) for i in order]

    for got in _run_threads(work):
        assert len(got) == rounds * len(texts)
        for i, d in got:
            assert d == expected[i], texts[i]


def test_threads_classify_many_and_documents(busy_switching: None) -> None:
    texts = _texts(300, seed=1)
    expected = [c.to_dict() for c in kv.classify_many(texts)]
    docs = [_document(s) for s in range(8)]
    expected_docs = [kv.classify_document(d).to_dict() for d in docs]

    def work(k: int) -> tuple[list[dict], list[dict]]:
        many = [c.to_dict() for c in kv.classify_many(texts[k:] + texts[:k], batch_size=7 + k)]
        documents = [kv.classify_document(docs[(k + j) % len(docs)]).to_dict() for j in range(len(docs))]
        return many, documents

    for k, (many, documents) in enumerate(_run_threads(work)):
        assert many == expected[k:] + expected[:k]
        assert documents == [expected_docs[(k + j) % len(docs)] for j in range(len(docs))]


def test_threads_explain(busy_switching: None) -> None:
    texts = _texts(40, seed=2)
    expected = [kv.explain(t, task="question_type", k=5).to_dict() for t in texts]
    got = _run_threads(lambda k: [kv.explain(t, task="question_type", k=5).to_dict() for t in texts])
    assert all(g == expected for g in got)


def test_concurrent_loading_of_the_shipped_model(busy_switching: None) -> None:
    api._shipped.cache_clear()
    models = _run_threads(lambda k: kv.load_model())
    assert len({id(m) for m in models}) == 1  # one read, shared
    shas = {m.info.sha256 for m in models}
    assert len(shas) == 1 and None not in shas
    text = "Bent u bereid de Kamer hierover te informeren?"
    assert len({repr(kv.classify(text, model=m).to_dict()) for m in models}) == 1
    # afterwards the cache holds one model for everybody
    assert kv.load_model() is kv.load_model()


def test_readers_never_see_a_half_written_model(tmp_path: Path) -> None:
    rows = [{"text": t, "flag": f} for t, f in [
        ("Bent u bereid dit te onderzoeken?", "yes"), ("Wilt u de Kamer informeren?", "yes"),
        ("Gaat u maatregelen nemen?", "yes"), ("Hoeveel mensen wachten?", "no"),
        ("Wat is de stand van zaken?", "no"), ("Klopt het dat dit gebeurde?", "no")]]
    config = kv.TrainConfig(validation="none")
    a = kv.train(rows, label_fields="flag", config=config)
    b = kv.train(rows, label_fields="flag", config=config, card={"name": "other"})
    path = tmp_path / "model.kvc"
    digests = {kv.save_model(b, path), kv.save_model(a, path)}
    stop = threading.Event()
    seen: list[str | None] = []

    def write() -> None:
        for k in range(20):
            kv.save_model(a if k % 2 else b, path)
        stop.set()

    def read() -> None:
        while not stop.is_set():
            seen.append(kv.load_model(path).info.sha256)  # any error fails the test through the thread

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert seen and set(seen) <= digests


def test_joblib_workers_match_sequential() -> None:
    joblib = pytest.importorskip("joblib")
    texts = _texts(60, seed=3)
    expected = [c.to_dict() for c in kv.classify_many(texts)]
    parts = joblib.Parallel(n_jobs=2)(joblib.delayed(kv.classify_many)(texts[k::2]) for k in range(2))
    got: list = [None] * len(texts)
    for k, part in enumerate(parts):
        for j, c in enumerate(part):
            got[k + 2 * j] = c.to_dict()
    assert got == expected


def test_spawned_processes_match_sequential() -> None:
    texts = _texts(40, seed=4)
    expected = [c.to_dict() for c in kv.classify_many(texts)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        singles = pool.map(kv.classify, texts[:20])
        many = pool.map(kv.classify_many, [texts[k::2] for k in range(2)])
    assert [c.to_dict() for c in singles] == expected[:20]
    got: list = [None] * len(texts)
    for k, part in enumerate(many):
        for j, c in enumerate(part):
            got[k + 2 * j] = c.to_dict()
    assert got == expected
