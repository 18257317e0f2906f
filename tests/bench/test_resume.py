"""Resume logic with the real replay provider and a rule-based checker double: an
interrupted run loses nothing finished, redoes nothing, and the recording goes on where
it stopped. (The same with the real Lean and a killed process: test_e2e_lean.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.bench import LoggedLLM, ResultsStore, RunConfig, load_tasks, summarize
from verifier.bench.runner import FvappsRunner, RunEvent
from verifier.bench.store import COMPLETIONS_FILE, RESULTS_FILE, RecordKey, ResultsError
from verifier.errors import LLMError
from verifier.llm import get_llm


def run(sample_dir: Path, out: Path, checker, session: str = "scoring", **config):
    tasks = load_tasks(sample_dir / "tasks.jsonl")
    if session == "repair_sum":
        tasks = [t for t in tasks if t.apps_id == "fvs_sum"]
    store = ResultsStore(out)
    llm = LoggedLLM(get_llm(f"replay:{sample_dir / 'sessions' / session}.jsonl"), out / COMPLETIONS_FILE)
    events: list[RunEvent] = []
    runner = FvappsRunner(
        llm=llm, checker=checker, store=store, config=RunConfig(**config), on_event=events.append
    )
    return runner.run(tasks), events


def expected(sample_dir: Path, name: str) -> dict:
    return json.loads((sample_dir / "expected" / f"{name}.json").read_text())


def statuses(records) -> dict[str, str]:
    return {f"{r['task']}/{r['theorem'] or 'definitions'}": r["status"] for r in records}


def test_uninterrupted_run_scores_the_sample_as_documented(sample_dir: Path, tmp_path: Path, rules: type) -> None:
    outcome, events = run(sample_dir, tmp_path, rules())
    want = expected(sample_dir, "scoring")
    assert outcome.complete and outcome.new_records == 16 == outcome.expected_records
    assert statuses(outcome.records) == want["statuses"]
    summary = summarize(outcome.records)
    assert {k: summary[k] for k in want["summary"]} == want["summary"]
    assert [e.resumed for e in events] == [False] * 16


def test_interrupted_run_resumes_without_loss_or_duplicates(sample_dir: Path, tmp_path: Path, rules: type) -> None:
    first = rules(fail_on_call=6)  # Ctrl-C during the check of fvs_triple's first theorem
    with pytest.raises(KeyboardInterrupt):
        run(sample_dir, tmp_path, first)
    before = (tmp_path / RESULTS_FILE).read_text().splitlines()
    assert len(before) == 7  # fvs_sum (3), fvs_count (3), fvs_triple definitions
    second = rules()
    outcome, events = run(sample_dir, tmp_path, second)
    after = (tmp_path / RESULTS_FILE).read_text().splitlines()
    assert after[:7] == before  # nothing finished was rewritten
    keys = [RecordKey.of(json.loads(line)) for line in after]
    assert len(keys) == len(set(keys)) == 16  # nothing lost, nothing twice
    assert sum(e.resumed for e in events) == 7 and outcome.new_records == 9
    # only unfinished work was checked again: triple_ge (interrupted), mod, add, two, mathlib;
    # fvs_legacy's spec does not elaborate, so its answers are never asked for nor checked
    assert len(second.calls) == 5
    assert second.spec_calls == [t.spec for t in load_tasks(sample_dir / "tasks.jsonl")[3:]]
    assert statuses(outcome.records) == expected(sample_dir, "scoring")["statuses"]
    # the interrupted request was answered from the log, later ones from the recording
    log = [json.loads(x) for x in (tmp_path / COMPLETIONS_FILE).read_text().splitlines()]
    assert sum(1 for e in log if e["kind"] == "response") == 10


def test_finished_run_rerun_does_nothing(sample_dir: Path, tmp_path: Path, rules: type) -> None:
    run(sample_dir, tmp_path, rules())
    again = rules()
    outcome, _ = run(sample_dir, tmp_path, again)
    assert again.calls == again.spec_calls == []
    assert outcome.new_records == 0 and outcome.resumed_records == 16


def test_repair_round_feeds_lean_messages_back(sample_dir: Path, tmp_path: Path, rules: type) -> None:
    checker = rules()
    outcome, _ = run(sample_dir, tmp_path, checker, session="repair_sum", attempts=2)
    want = expected(sample_dir, "repair_sum")
    assert statuses(outcome.records) == want["statuses"]
    definitions = next(r for r in outcome.records if r["theorem"] is None)
    assert definitions["passed_at_attempt"] == 2 and definitions["attempts"] == 2
    prompts = [
        json.loads(x) for x in (tmp_path / COMPLETIONS_FILE).read_text().splitlines()
        if json.loads(x)["kind"] == "prompt"
    ]
    repair = prompts[1]["messages"]
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert "unit-failed" in repair[-1]["content"] and "| [] => 1" in repair[-1]["content"]


def test_truncated_last_line_is_dropped_and_redone(sample_dir: Path, tmp_path: Path, rules: type) -> None:
    run(sample_dir, tmp_path, rules())
    path = tmp_path / RESULTS_FILE
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-1]) + lines[-1][:25])  # a crash mid-write
    assert len(ResultsStore(tmp_path)) == 15
    assert path.read_text().endswith("\n")


def test_settings_change_is_refused(tmp_path: Path) -> None:
    store = ResultsStore(tmp_path)
    base = {"benchmark": "fvapps", "llm": "replay:a.jsonl", "attempts": 1}
    store.check_manifest(base)
    store.check_manifest(base)  # same settings: resume
    with pytest.raises(ResultsError, match="attempts: 1 -> 3"):
        store.check_manifest(base | {"attempts": 3})


def test_budget_stops_before_new_requests_and_resume_finishes(sample_dir: Path, tmp_path: Path, rules: type) -> None:
    outcome, _ = run(sample_dir, tmp_path, rules(), token_budget=700)
    assert outcome.stopped and not outcome.complete
    assert 0 < len(outcome.records) < 16
    outcome, _ = run(sample_dir, tmp_path, rules())
    assert outcome.complete and len(outcome.records) == 16


def test_exhausted_recording_is_an_error_and_keeps_what_was_done(sample_dir: Path, tmp_path: Path, rules: type) -> None:
    short = tmp_path / "short.jsonl"
    short.write_text("".join((sample_dir / "sessions" / "scoring.jsonl").read_text().splitlines(True)[:2]))
    store = ResultsStore(tmp_path / "out")
    llm = LoggedLLM(get_llm(f"replay:{short}"), tmp_path / "out" / COMPLETIONS_FILE)
    runner = FvappsRunner(llm=llm, checker=rules(), store=store, config=RunConfig())
    with pytest.raises(LLMError, match="no response left"):
        runner.run(load_tasks(sample_dir / "tasks.jsonl"))
    assert len(ResultsStore(tmp_path / "out")) == 2


def test_parallel_jobs_write_every_record_once(sample_dir: Path, tmp_path: Path, rules: type) -> None:
    # With several jobs the recording's order no longer matches, so give every request the
    # same correct-looking reply: the point is the bookkeeping, not the scores.
    reply = tmp_path / "same.jsonl"
    reply.write_text((json.dumps({"content": "def listSum := 0"}) + "\n") * 40)
    tasks = load_tasks(sample_dir / "tasks.jsonl")
    store = ResultsStore(tmp_path / "out")
    llm = LoggedLLM(get_llm(f"replay:{reply}"), tmp_path / "out" / COMPLETIONS_FILE)
    runner = FvappsRunner(llm=llm, checker=rules(), store=store, config=RunConfig(jobs=3, k=2))
    outcome = runner.run(tasks)
    keys = [RecordKey.of(r) for r in outcome.records]
    assert len(keys) == len(set(keys)) == outcome.expected_records == 32
