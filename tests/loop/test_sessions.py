"""Recorded sessions through the whole loop: replay provider, guard, sandbox, real Dafny.

Each session ends with the right outcome, transcript and number of Dafny calls; no
cheating candidate ever reaches Dafny, let alone comes back verified.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import loop_replies as R
import pytest

from verifier.api import generate
from verifier.errors import BudgetExhausted
from verifier.llm import get_llm
from verifier.results import Verdict

pytestmark = [pytest.mark.slow, pytest.mark.dafny]


def kinds(path: Path) -> list[str]:
    return [json.loads(line)["kind"] for line in path.read_text().splitlines()]


def records(path: Path, kind: str) -> list[dict[str, Any]]:
    return [r for r in map(json.loads, path.read_text().splitlines()) if r["kind"] == kind]


def test_correct_at_once(tmp_path: Path, dafny: Any, replay: Any) -> None:
    art = generate(R.MAX_SPEC, llm=replay(R.fenced(R.MAX_OK)), out=tmp_path, backend=dafny,
                   validate=10)
    assert art.verified and dafny.calls == 1
    folder = tmp_path / "max_of_list"
    assert sorted(p.name for p in folder.iterdir()) == [
        "certificate.json", "max_of_list.dfy", "max_of_list.py", "spec.toml",
        "test_max_of_list.py", "transcript.jsonl"]
    cert = json.loads((folder / "certificate.json").read_text())
    assert cert["verdict"] == "verified" and cert["attempts"] == 1
    assert cert["obligations"] and all(o["verdict"] == "verified" for o in cert["obligations"])
    assert cert["translation_validation"]["ok"] and cert["translation_validation"]["compared"] > 0
    assert cert["toolchain"]["dafny"].startswith("2.3")
    assert kinds(folder / "transcript.jsonl")[:8] == [
        "header", "session", "prompt", "response", "guard", "quicktest", "check", "outcome"]
    assert (folder / "max_of_list.dfy").read_text() == R.MAX_OK
    assert "def MaxOfList(xs: list[int]) -> int:" in (folder / "max_of_list.py").read_text()


def test_wrong_then_repaired_from_dafny_diagnostics(tmp_path: Path, dafny: Any, replay: Any) -> None:
    llm = replay(R.fenced(R.MAX_WEAK_INVARIANT), R.fenced(R.MAX_OK, "Adding the invariant:"))
    art = generate(R.MAX_SPEC, llm=llm, out=tmp_path, backend=dafny, validate=0)
    assert art.verified and art.certificate.run.attempts == 2 and dafny.calls == 2
    transcript = tmp_path / "max_of_list" / "transcript.jsonl"
    checks = records(transcript, "check")
    assert [c["verdict"] for c in checks] == ["refuted", "verified"]
    repair = records(transcript, "prompt")[1]["messages"][-1]["content"]
    assert "A postcondition might not hold" in repair
    assert "clause: ensures exists i :: 0 <= i < |xs| && xs[i] == m" in repair


def test_quick_test_counterexample_drives_the_repair(tmp_path: Path, dafny: Any, replay: Any) -> None:
    llm = replay(R.fenced(R.COUNT_ODD), R.fenced(R.COUNT_OK))
    art = generate(R.COUNT_SPEC, llm=llm, out=tmp_path, backend=dafny, validate=0)
    assert art.verified and dafny.calls == 1  # the wrong candidate never reached Dafny
    assert dafny.sources == [R.COUNT_OK]
    transcript = tmp_path / "count_evens" / "transcript.jsonl"
    (refuted, _passed) = records(transcript, "quicktest")
    assert refuted["refuted"] and "CountEvens returns c=" in refuted["failure"]
    repair = records(transcript, "prompt")[1]["messages"][-1]["content"]
    assert refuted["failure"] in repair


def test_cheats_never_reach_dafny(tmp_path: Path, dafny: Any, replay: Any) -> None:
    cheats = [R.fenced(text) for text in R.CHEATS.values()]
    with pytest.raises(BudgetExhausted) as info:
        generate(R.MAX_SPEC, llm=replay(*cheats), out=tmp_path, backend=dafny,
                 attempts=len(cheats), restart_after=0, validate=0)
    exc = info.value
    assert dafny.calls == 0
    assert len(exc.attempts) == len(cheats)
    assert all(a.stage == "guard" and a.verdict == Verdict.REFUTED for a in exc.attempts)
    assert exc.best is not None and exc.best.stage == "guard"
    assert not (tmp_path / "max_of_list" / "certificate.json").exists()
    guards = records(tmp_path / "max_of_list" / "transcript.jsonl", "guard")
    assert len(guards) == len(cheats) and not any(g["ok"] for g in guards)


def test_cheats_then_honest_proof(tmp_path: Path, dafny: Any, replay: Any) -> None:
    llm = replay(R.fenced(R.CHEATS["assume"]), R.fenced(R.CHEATS["weakened_ensures"]),
                 R.fenced(R.CHEATS["bodyless_lemma"]), R.fenced(R.MAX_OK))
    art = generate(R.MAX_SPEC, llm=llm, out=tmp_path, backend=dafny, restart_after=0, validate=0)
    assert art.certificate.run.verified_attempt == 4 and dafny.sources == [R.MAX_OK]


def test_contract_tampering_is_refused(tmp_path: Path, dafny: Any, replay: Any) -> None:
    llm = replay(R.fenced(R.FILL_NO_MODIFIES), R.fenced(R.FILL_OK))
    art = generate(R.FILL_SPEC, llm=llm, out=tmp_path, backend=dafny, validate=0)
    assert art.certificate.run.attempts == 2 and dafny.sources == [R.FILL_OK]
    helper = replay(R.fenced(R.COUNT_REDEFINED_HELPER))
    with pytest.raises(BudgetExhausted):
        generate(R.COUNT_SPEC, llm=helper, out=tmp_path, backend=dafny, attempts=1, validate=0)
    assert dafny.calls == 1


def test_garbage_replies_end_not_verified(tmp_path: Path, dafny: Any, replay: Any) -> None:
    with pytest.raises(BudgetExhausted) as info:
        generate(R.MAX_SPEC, llm=replay(*R.GARBAGE), out=tmp_path, backend=dafny,
                 attempts=len(R.GARBAGE), validate=0)
    assert dafny.calls == 0 and len(info.value.attempts) == len(R.GARBAGE)
    assert {a.stage for a in info.value.attempts} <= {"reply", "guard"}


def test_never_converging_restarts_and_exhausts(tmp_path: Path, dafny: Any, replay: Any) -> None:
    llm = replay(*[R.fenced(R.MAX_WEAK_INVARIANT)] * 4)
    with pytest.raises(BudgetExhausted) as info:
        generate(R.MAX_SPEC, llm=llm, out=tmp_path, backend=dafny, attempts=4,
                 restart_after=2, validate=0)
    exc = info.value
    assert "no verified program after 4 attempts" in exc.message
    assert dafny.calls == 4 and exc.best.stage == "dafny"
    transcript = tmp_path / "max_of_list" / "transcript.jsonl"
    assert len(records(transcript, "restart")) == 1
    # after the restart the conversation is the fresh task again
    prompts = records(transcript, "prompt")
    assert [p["turns"] for p in prompts] == [2, 4, 6, 2]


def test_transcript_replays_to_the_same_outcome(tmp_path: Path, dafny: Any, replay: Any) -> None:
    llm = replay(R.fenced(R.CHEATS["assume"]), R.fenced(R.MAX_WEAK_INVARIANT), R.fenced(R.MAX_OK))
    first = generate(R.MAX_SPEC, llm=llm, out=tmp_path / "a", backend=dafny, validate=0)
    recorded = tmp_path / "a" / "max_of_list" / "transcript.jsonl"
    second = generate(R.MAX_SPEC, llm=f"replay:{recorded}", out=tmp_path / "b", backend=dafny,
                      validate=0)
    replayed = tmp_path / "b" / "max_of_list" / "transcript.jsonl"

    def story(path: Path) -> list[tuple[str, Any]]:
        out = []
        for r in map(json.loads, path.read_text().splitlines()):
            if r["kind"] in ("prompt", "response", "guard", "quicktest", "check", "outcome"):
                key = {"prompt": "messages", "response": "content", "guard": "ok",
                       "quicktest": "failure", "check": "verdict", "outcome": "verified"}[r["kind"]]
                out.append((r["kind"], r[key]))
        return out

    assert story(recorded) == story(replayed)
    assert first.dafny == second.dafny and first.python == second.python


def test_replay_running_out_ends_not_verified(tmp_path: Path, dafny: Any, replay: Any) -> None:
    with pytest.raises(BudgetExhausted) as info:
        generate(R.MAX_SPEC, llm=replay(R.fenced(R.MAX_WRONG_CODE)), out=tmp_path, backend=dafny,
                 attempts=3, validate=0)
    assert "model provider failed" in info.value.message and "no response left" in info.value.message
    assert len(info.value.attempts) == 1 and dafny.calls == 0


def test_token_budget(tmp_path: Path, dafny: Any, replay: Any) -> None:
    llm = replay(*[R.fenced(R.MAX_WRONG_CODE)] * 3, tokens=(900, 300))
    with pytest.raises(BudgetExhausted) as info:
        generate(R.MAX_SPEC, llm=llm, out=tmp_path, backend=dafny, tokens=2000, validate=0)
    assert "token budget of 2000" in info.value.message
    assert len(info.value.attempts) == 2  # 1200 tokens after one, 2400 after two


def test_candidates_are_checked_together(tmp_path: Path, dafny: Any, replay: Any) -> None:
    llm = replay(R.fenced(R.MAX_WEAK_INVARIANT), R.fenced(R.MAX_OK))
    art = generate(R.MAX_SPEC, llm=llm, out=tmp_path, backend=dafny, candidates=2, validate=0)
    assert art.verified and dafny.calls == 2 and art.certificate.run.attempts == 2
    responses = records(tmp_path / "max_of_list" / "transcript.jsonl", "response")
    assert [r["round"] for r in responses] == [1, 1]


def test_dafny_counterexample_is_executed_before_it_is_shown(
    tmp_path: Path, dafny: Any, replay: Any
) -> None:
    # no examples and no drawn inputs: only Dafny can find the bug, and its model's
    # values are run on the candidate before the model is told about them
    llm = replay(R.fenced(R.ABS_WRONG), R.fenced(R.ABS_OK))
    art = generate(R.ABS_SPEC, llm=llm, out=tmp_path, backend=dafny, quick_inputs=0, validate=0)
    assert art.verified and dafny.calls == 2
    repair = records(tmp_path / "abs" / "transcript.jsonl", "prompt")[1]["messages"][-1]["content"]
    assert "counterexample: for x=-" in repair
    assert "Abs returns y=-" in repair and "(executed)" in repair


class _Warming:
    """The counting backend, recording the warm-ups the loop asks for."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.warm_ups: list[dict[str, Any]] = []

    def warm_up(self, **kwargs: Any) -> None:
        self.warm_ups.append(kwargs)
        self.inner.real.warm_up(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class _Slow:
    """A provider with latency (a live model): the same replies, not `instant`."""

    instant = False

    def __init__(self, spec: str) -> None:
        self.inner = get_llm(spec)
        self.name = "slow:" + self.inner.name

    def complete(self, messages: Any, **kwargs: Any) -> Any:
        time.sleep(0.2)
        return self.inner.complete(messages, **kwargs)


@pytest.mark.parametrize("live", [True, False], ids=["live-model", "replay"])
def test_the_verifier_warms_up_during_a_live_models_latency_only(
    tmp_path: Path, dafny: Any, replay: Any, live: bool
) -> None:
    backend = _Warming(dafny)
    llm = replay(R.fenced(R.MAX_OK))
    art = generate(R.MAX_SPEC, llm=_Slow(llm) if live else llm, out=tmp_path,
                   backend=backend, validate=0)
    assert art.verified
    deadline = time.monotonic() + 30  # the warm-up runs on its own thread
    while live and not backend.warm_ups and time.monotonic() < deadline:
        time.sleep(0.05)
    assert backend.warm_ups == ([{"verify": True}] if live else [])


GENERIC_SPEC = """name = "first_index"
signature = "method FirstIndex<T(==)>(xs: seq<T>, x: T) returns (i: int)"
ensures = ["-1 <= i < |xs|", "i >= 0 ==> xs[i] == x", "forall k :: 0 <= k < i || (i < 0 && 0 <= k < |xs|) ==> xs[k] != x"]
"""
GENERIC_OK = """method FirstIndex<T(==)>(xs: seq<T>, x: T) returns (i: int)
  ensures -1 <= i < |xs|
  ensures i >= 0 ==> xs[i] == x
  ensures forall k :: 0 <= k < i || (i < 0 && 0 <= k < |xs|) ==> xs[k] != x
{
  i := 0;
  while i < |xs| && xs[i] != x
    invariant 0 <= i <= |xs|
    invariant forall k :: 0 <= k < i ==> xs[k] != x
  {
    i := i + 1;
  }
  if i == |xs| { i := -1; }
}
"""


def test_a_verified_generic_method_is_shipped_with_its_translation_marked_unvalidated(
    tmp_path: Path, dafny: Any, replay: Any,
) -> None:
    """Validation cannot draw values of a type parameter: the certificate says the
    translation is not validated and why; the proof and the property tests stand (it
    ended NOT VERIFIED after Dafny verified it before)."""
    spec = tmp_path / "first_index.toml"
    spec.write_text(GENERIC_SPEC)
    art = generate(spec, llm=replay(R.fenced(GENERIC_OK)), out=tmp_path / "out", backend=dafny, validate=10)
    assert art.verified
    cert = json.loads((tmp_path / "out" / "first_index" / "certificate.json").read_text())
    validation = cert["translation_validation"]
    assert validation["checked"] is False
    assert "inputs not generated: cannot generate values of T (in seq<T>)" in validation["reason"]
