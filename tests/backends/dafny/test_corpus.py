"""The whole corpus through the real Dafny, warm and cold: right verdicts, exact
positions, and identical verdicts in both modes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from verifier.backends.dafny import DafnyBackend

from verifier.results import Severity, Verdict

CORPUS = Path(__file__).resolve().parents[3] / "benchmarks" / "corpus" / "dafny"
requires_dafny = pytest.mark.skipif(shutil.which("dafny") is None, reason="dafny not installed")


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.dfy"))


def expected() -> dict[str, dict]:
    return json.loads((CORPUS / "expected.json").read_text("utf-8"))


pytestmark = [pytest.mark.slow, pytest.mark.dafny, requires_dafny]


def positioned_errors(result) -> set[tuple[int, int, str]]:
    return {
        (d.line, d.col, d.kind)
        for d in result.diagnostics
        if d.severity == Severity.ERROR and d.line is not None
    }


def check_all(backend: DafnyBackend) -> dict[str, object]:
    files = corpus_files()
    results = backend.check_many([(f.read_text("utf-8"), f.name) for f in files], timeout=30)
    return {f.name: r for f, r in zip(files, results, strict=True)}


@pytest.fixture(scope="module")
def warm_results(warm: DafnyBackend) -> dict[str, object]:
    return check_all(warm)


def test_corpus_has_enough_programs() -> None:
    names = [f.name for f in corpus_files()]
    assert len(names) >= 40
    assert set(names) == set(expected()) - {"_doc"}


def test_warm_verdicts_and_positions(warm_results) -> None:
    for name, want in expected().items():
        if name == "_doc":
            continue
        got = warm_results[name]
        assert got.verdict.value == want["verdict"], (name, got.diagnostics)
        assert positioned_errors(got) == {tuple(e) for e in want["errors"]}, name
        if name.startswith("c"):
            assert got.verdict is not Verdict.VERIFIED


def test_counterexample_from_the_model(warm_results) -> None:
    diag = warm_results["f11_seq_counterexample.dfy"].diagnostics[0]
    assert diag.counterexample is not None and diag.counterexample.source == "model"
    inputs = diag.counterexample.inputs
    assert inputs["flag"] is True and inputs["c"] == "q"
    assert isinstance(inputs["s"], list) and inputs["s"][0] == 5


def test_cold_gives_identical_results_on_the_whole_corpus(warm_results) -> None:
    with DafnyBackend(cache=False, cold=True, jobs=2) as cold:
        cold_results = check_all(cold)
    for name, w in warm_results.items():
        c = cold_results[name]
        assert c.verdict == w.verdict, name
        assert positioned_errors(c) == positioned_errors(w), name
        assert [(o.name, o.verdict) for o in c.obligations] == [(o.name, o.verdict) for o in w.obligations], name
