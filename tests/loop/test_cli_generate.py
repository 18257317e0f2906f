"""`proofroute generate / recheck / demo` end to end: output, files and exit codes."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from pathlib import Path
from typing import Any

import loop_replies as R
import pytest
from click.testing import CliRunner

from verifier.cli import main


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.slow
@pytest.mark.dafny
def test_generate_several_specs_json_and_exit_codes(
    tmp_path: Path, replay: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    llm = replay(R.fenced(R.MAX_OK), R.fenced(R.FIND_OK))
    result = run("generate", str(R.MAX_SPEC), str(R.FIND_SPEC), "--llm", llm,
                 "--out", str(tmp_path), "--validate", "0", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["ok"] and [r["spec"] for r in doc["results"]] == ["max_of_list", "find"]
    assert (tmp_path / "find" / "find.py").exists()
    assert "VERIFIED at attempt 1" in result.stderr

    recheck = run("recheck", str(tmp_path / "find"), str(tmp_path / "max_of_list"), "--no-tests")
    assert recheck.exit_code == 0, recheck.output
    monkeypatch.chdir(tmp_path)  # relative folders, as a user types them
    with_tests = run("recheck", "find", "--json")
    assert with_tests.exit_code == 0, with_tests.output
    steps = json.loads(with_tests.stdout)["reports"][0]["steps"]
    assert [s["name"] for s in steps] == ["hashes", "guard", "dafny", "tests"]

    bad = run("generate", str(R.MAX_SPEC), "--llm", replay(*R.GARBAGE[:2]), "--out",
              str(tmp_path / "bad"), "--attempts", "2")
    assert bad.exit_code == 1
    assert "not verified" in bad.stdout and "guard REFUSED" in bad.stderr
    assert (tmp_path / "bad" / "max_of_list" / "transcript.jsonl").exists()


def test_bad_input_exits_2(tmp_path: Path, replay: Any) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\nsignature = "method X(a: int) returns (b: int)"\nensures = ["b =="]\n')
    result = run("generate", str(broken), "--llm", replay(R.fenced(R.MAX_OK)), "--out", str(tmp_path))
    assert result.exit_code == 2 and "broken.toml:3" in result.stderr
    unknown = run("generate", str(R.MAX_SPEC), "--llm", "nosuch:model", "--out", str(tmp_path))
    assert unknown.exit_code == 2 and "unknown model provider" in unknown.stderr


def test_missing_dafny_exits_4(tmp_path: Path, replay: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROOFROUTE_DAFNY", str(tmp_path / "no-dafny-here"))
    result = run("generate", str(R.MAX_SPEC), "--llm", replay(R.fenced(R.MAX_OK)), "--out", str(tmp_path))
    assert result.exit_code == 4 and "Dafny" in result.stderr


def test_recheck_of_a_folder_without_certificate_fails(tmp_path: Path) -> None:
    result = run("recheck", str(tmp_path))
    assert result.exit_code != 0


@pytest.mark.slow
@pytest.mark.dafny
def test_demo_replays_three_sessions_and_writes_verified_python(tmp_path: Path) -> None:
    result = run("demo", "--out", str(tmp_path), "--validate", "5")
    assert result.exit_code == 0, result.output
    assert "REPLAY" in result.stderr
    assert "Dafny REFUTED" in result.stderr  # max_of_list: repaired from diagnostics
    assert "quick test REFUTED" in result.stderr and "(Dafny not called)" in result.stderr
    assert "guard REFUSED" in result.stderr and "`assume` is not allowed" in result.stderr
    for name in ("max_of_list", "count_evens", "find"):
        assert (tmp_path / name / f"{name}.py").exists()
        assert f"{name}.py" in result.stdout


def _fake_openai_class() -> Any:
    """The loopback OpenAI server of the provider tests (tests/llm/conftest.py)."""
    path = Path(__file__).resolve().parents[1] / "llm" / "conftest.py"
    module = sys.modules.get("llm_fakes")
    if module is None:
        spec = importlib.util.spec_from_file_location("llm_fakes", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["llm_fakes"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return module.FakeOpenAI


@pytest.mark.slow
@pytest.mark.dafny
@pytest.mark.parametrize("jobs", [2, 1])
def test_jobs_work_on_specs_at_once_with_a_live_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    replies = {"MaxOfList": R.fenced(R.MAX_OK), "Find": R.fenced(R.FIND_OK)}

    class ByMethod(_fake_openai_class()):
        """Answers each spec's prompt with its program, slowly, counting requests in flight."""

        inflight = peak = 0

        def handle(self, path: str, headers: dict[str, str], raw: bytes) -> Any:
            with arrived:
                ByMethod.inflight += 1
                ByMethod.peak = max(ByMethod.peak, ByMethod.inflight)
                arrived.notify_all()
                # a model's latency, held until `jobs` requests are in flight: specs that run
                # at once must overlap here however loaded the machine; serial ones time out
                arrived.wait_for(lambda: ByMethod.peak >= jobs, timeout=30)
            try:
                return super().handle(path, headers, raw)
            finally:
                with arrived:
                    ByMethod.inflight -= 1

        def success(self, request: dict, text: str) -> dict:
            prompt = " ".join(m["content"] for m in request["messages"])
            return super().success(request, next(v for k, v in replies.items()
                                                 if f"method {k}(" in prompt))

    arrived = threading.Condition()
    server = ByMethod(api_key=None)
    try:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        result = run("generate", str(R.MAX_SPEC), str(R.FIND_SPEC), "--llm", "openai:fake",
                     "--out", str(tmp_path), "--validate", "0", "--jobs", str(jobs), "--json")
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [r["spec"] for r in doc["results"]] == ["max_of_list", "find"]  # order kept
    assert all(r["verified"] for r in doc["results"])
    assert ByMethod.peak == jobs
    # progress lines name their spec, so interleaved lines stay readable
    assert any(line.startswith("find ") for line in result.stderr.splitlines())


def test_jobs_with_a_replay_is_refused(tmp_path: Path, replay: Any) -> None:
    result = run("generate", str(R.MAX_SPEC), str(R.FIND_SPEC), "--llm", replay(R.fenced(R.MAX_OK)),
                 "--out", str(tmp_path), "--jobs", "2")
    assert result.exit_code == 2 and "use --jobs 1" in result.stderr


@pytest.mark.parametrize("name", ["../esc", "/tmp/esc_abs", "a/b"])
def test_a_spec_name_that_is_a_path_exits_2_and_writes_nothing(
    tmp_path: Path, replay: Any, name: str
) -> None:
    out = tmp_path / "out"
    spec = tmp_path / "evil.toml"
    spec.write_text(R.MAX_SPEC.read_text().replace('name = "max_of_list"', f'name = "{name}"'))
    result = run("generate", str(spec), "--llm", replay(R.fenced(R.MAX_OK)), "--out", str(out),
                 "--validate", "0")
    assert result.exit_code == 2, result.output
    assert f"evil.toml:1:8: error: the spec name {name!r} is not an identifier" in result.stderr
    assert "hint:" in result.stderr
    assert not out.exists() and not (tmp_path / "esc").exists()
    assert not Path("/tmp/esc_abs").exists()
