"""Loading DafnyBench and vericoding tasks as published (small files in their layout)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.bench.dafny_program import candidate, implemented, stub_lines
from verifier.bench.program_tasks import (
    Benchmark,
    Language,
    TaskDataError,
    load_dafnybench,
    load_vericoding,
    select,
)

DATA = Path(__file__).parent / "data"


def test_dafnybench_from_the_clone_or_its_dataset_folder() -> None:
    for root in (DATA / "dafnybench", DATA / "dafnybench" / "DafnyBench" / "dataset"):
        tasks = load_dafnybench(root)
        assert [t.task_id for t in tasks] == [
            "bitwise_or", "broken_removal", "dafny4_only", "max_index", "sum_to", "wrong_truth"]
    task = tasks[4]
    assert task.benchmark is Benchmark.DAFNYBENCH and task.language is Language.DAFNY
    assert "invariant" not in task.program and task.reference and "invariant" in task.reference
    assert task.difficulty == "short (<50 lines)"


def test_dafnybench_elsewhere_says_what_to_give(tmp_path: Path) -> None:
    with pytest.raises(TaskDataError, match="no DafnyBench hints_removed folder"):
        load_dafnybench(tmp_path)


def test_vericoding_jsonl_both_languages() -> None:
    tasks = load_vericoding(DATA / "vericoding" / "tasks.jsonl")
    assert [t.task_id for t in tasks] == ["VC1", "VC2", "VC3", "VC4", "VC5", "VL1"]
    lean = tasks[-1]
    assert lean.language is Language.LEAN and "theorem f_spec" in lean.program
    dafny = load_vericoding(DATA / "vericoding", language=Language.DAFNY)
    assert {t.source for t in dafny} == {"humaneval", "apps", "verina"}
    assert select(dafny, ids=["VC2"])[0].section("vc-spec").startswith("method CountUp")


def test_vericoding_yaml_task(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "vc-description: |-\n  d\nvc-preamble: |-\n  predicate P(x: int) { x > 0 }\n"
        "vc-helpers: |-\n\nvc-spec: |-\n  method M(x: int) returns (y: int)\n    ensures P(y)\n"
        "vc-code: |-\n  {\n    assume {:axiom} false;\n  }\nvc-postamble: |-\n",
        encoding="utf-8",
    )
    (task,) = load_vericoding(tmp_path)
    assert task.task_id == "t" and task.language is Language.DAFNY
    assert implemented(task) == ("M",)
    lines = task.program.splitlines()
    assert any("assume" in lines[n - 1] for n in stub_lines(task))


def test_a_body_only_reply_goes_in_place_of_the_stub() -> None:
    task = select(load_vericoding(DATA / "vericoding"), ids=["VC1"])[0]
    built = candidate(task, "{\n  y := if x < 0 then -x else x;\n}\n")
    assert "assume" not in built.program and "function AbsSpec" in built.program
    assert built.open_bodies == ("Abs",)


def test_bad_rows_are_reported_with_their_place(tmp_path: Path) -> None:
    (tmp_path / "t.jsonl").write_text(json.dumps({"id": "x", "language": "dafny"}) + "\n{oops\n")
    with pytest.raises(TaskDataError, match=r"t.jsonl:1: no 'vc-spec' field"):
        load_vericoding(tmp_path / "t.jsonl")
