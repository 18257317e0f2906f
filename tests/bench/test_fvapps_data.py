from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from verifier.bench.fvapps_data import DataError, load_tasks, select_tasks


def test_jsonl_sample_loads_every_field(sample_dir: Path) -> None:
    tasks = load_tasks(sample_dir / "tasks.jsonl")
    assert [t.apps_id for t in tasks] == ["fvs_sum", "fvs_count", "fvs_triple", "fvs_mathlib", "fvs_legacy"]
    first = tasks[0]
    assert first.difficulty == "introductory"
    assert first.assurance_level == "guarded_and_plausible"
    assert first.sorries == 3
    assert "#guard_msgs in" in first.units
    assert first.spec.startswith("def listSum")


def test_parquet_gives_the_same_tasks_as_jsonl(sample_dir: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in (sample_dir / "tasks.jsonl").read_text().splitlines()]
    path = tmp_path / "train.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    assert load_tasks(path) == load_tasks(sample_dir / "tasks.jsonl")


def test_integer_ids_become_strings(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"apps_id": 4012, "spec": "def f : Nat := sorry"}) + "\n")
    (task,) = load_tasks(path)
    assert task.apps_id == "4012"
    assert task.units == "" and task.difficulty == "unknown"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"apps_id": "a"}\n', "t.jsonl:1: record lacks spec"),
        ('{"apps_id": "a", "spec": "x"}\n{oops\n', "t.jsonl:2: not valid JSON"),
        ('{"apps_id": "a", "spec": "x", "sorries": "many"}\n', "'sorries' must be an integer"),
        ('{"apps_id": "a", "spec": "x"}\n{"apps_id": "a", "spec": "y"}\n', "occurs twice"),
    ],
)
def test_bad_records_are_reported_with_their_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(content)
    with pytest.raises(DataError, match=message):
        load_tasks(path)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        load_tasks(tmp_path / "absent.jsonl")
    other = tmp_path / "data.csv"
    other.write_text("a,b\n")
    with pytest.raises(DataError, match="unknown data format"):
        load_tasks(other)


def test_dataset_name_without_datasets_library_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_datasets(name: str, *args: object, **kwargs: object) -> object:
        if name == "datasets":
            raise ImportError("No module named 'datasets'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_datasets)
    with pytest.raises(DataError, match="'datasets' library is not installed") as info:
        load_tasks("quinn-dougherty/fvapps")
    assert "parquet" in str(info.value)


def test_select_by_ids_keeps_data_order_then_limits(sample_dir: Path) -> None:
    tasks = load_tasks(sample_dir / "tasks.jsonl")
    chosen = select_tasks(tasks, ids=["fvs_triple", "fvs_sum"])
    assert [t.apps_id for t in chosen] == ["fvs_sum", "fvs_triple"]
    assert [t.apps_id for t in select_tasks(tasks, limit=1)] == ["fvs_sum"]
    with pytest.raises(DataError, match="unknown task id"):
        select_tasks(tasks, ids=["nope"])
