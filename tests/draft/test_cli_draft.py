"""Recorded drafting sessions through the real CLI: the real replay provider, the real
`spec check` (Dafny resolving each draft, z3), the real Dafny verifying the generated code.

Each session under sessions/ is a replay file written for this test: a vague description
ends with a question, contradictions are caught before any code, a clean draft is
confirmed with --yes and carried through to verified Python.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from verifier.specs.loader import load_spec

from verifier.cli import main
from verifier.llm import get_llm
from verifier.transcript import Transcript

SESSIONS = Path(__file__).resolve().parent / "sessions"


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def replay(name: str) -> str:
    return f"replay:{SESSIONS / name}.jsonl"


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.slow
@pytest.mark.dafny
def test_vague_description_ends_with_a_question(tmp_path: Path) -> None:
    out = tmp_path / "spec.toml"
    result = run("spec", "draft", "--describe", "Return the position of the largest element of a list.",
                 "--llm", replay("vague_index_of_max"), "--json", "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["clean"] and doc["confirmed"] and doc["file"] == str(out)
    (q,) = doc["questions"]
    xs = q["args"]["xs"]
    # a list whose largest value occurs twice, and the two positions of it
    assert len(xs) >= 2 and xs.count(max(xs)) >= 2
    ks = sorted(o["k"] for o in q["outputs"])
    assert len(set(ks)) == 2 and all(xs[k] == max(xs) for k in ks)
    assert "Which result is intended?" in q["question"]
    # the read-back is in the document, in words, with the Dafny beside it
    english = [c["english"] for c in doc["readback"]["clauses"]]
    assert "every element of `xs` is at most `xs[k]`" in english
    assert "`xs` is not empty" in english
    assert doc["readback"]["allowed"], "concrete calls the contract allows"
    # the model heard about the ambiguity once, kept the choice open, and the user is asked
    log = records(Path(str(out) + ".transcript.jsonl"))
    prompts = [r for r in log if r["kind"] == "prompt"]
    assert len(prompts) == 2
    assert "two different outputs satisfy ensures" in prompts[1]["messages"][-1]["content"]
    assert [r["stage"] for r in log if r["kind"] == "draft-check"] == ["check", "clean"]
    assert load_spec(out).name == "index_of_max"


@pytest.mark.slow
@pytest.mark.dafny
def test_answering_the_question_tightens_the_spec(tmp_path: Path) -> None:
    from verifier.cli.drafting import confirm
    from verifier.draft import Drafter, DraftRequest

    drafter = Drafter(get_llm(replay("vague_index_of_max")),
                      DraftRequest("Return the position of the largest element of a list."),
                      transcript=Transcript())
    draft = drafter.run()
    (q,) = draft.questions
    first = min(range(2), key=lambda i: q.outputs[i]["k"])
    # the user picks the first position, then accepts
    with CliRunner().isolation(input=f"{first + 1}\na\n"):
        result = confirm(drafter, draft, interactive=True)
    assert result.confirmed and result.draft is not None
    final = result.draft
    assert final.clean and final.questions == ()
    assert any("xs[i] < xs[k]" in c.text for c in final.spec.ensures)
    assert any(dict(ex.args) == q.args and dict(ex.result) == q.outputs[first] for ex in final.spec.examples)
    assert [e.kind for e in drafter.transcript.events].count("answer") == 1


@pytest.mark.slow
@pytest.mark.dafny
def test_unsatisfiable_requires_is_repaired_by_feedback(tmp_path: Path) -> None:
    out = tmp_path / "last.toml"
    result = run("spec", "draft", "--describe", "The last element of a non-empty list.",
                 "--llm", replay("unsat_requires"), "--yes", "-o", str(out))
    assert result.exit_code == 0, result.output
    log = records(Path(str(out) + ".transcript.jsonl"))
    checks = [r for r in log if r["kind"] == "draft-check"]
    assert "requires-unsat" in {f["code"] for f in checks[0]["findings"]}
    assert checks[1]["stage"] == "clean"
    repair = [r for r in log if r["kind"] == "prompt"][1]["messages"][-1]["content"]
    assert "requires is unsatisfiable" in repair
    assert load_spec(out).requires[0].text == "|xs| > 0" and len(load_spec(out).requires) == 1
    assert "`xs` is not empty" in result.stderr  # the read-back was shown


@pytest.mark.slow
@pytest.mark.dafny
def test_contradicting_example_is_caught_and_repaired(tmp_path: Path) -> None:
    result = run("spec", "draft", "--describe", "The smallest element of a non-empty list.",
                 "--llm", replay("contradicting_example_repaired"), "--json",
                 "--transcript", str(tmp_path / "t.jsonl"))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["clean"] and 'result = { m = 1 }' in doc["spec"]
    checks = [r for r in records(tmp_path / "t.jsonl") if r["kind"] == "draft-check"]
    assert [f["code"] for f in checks[0]["findings"] if f["severity"] == "error"] == ["example-ensures"]


@pytest.mark.slow
@pytest.mark.dafny
def test_contradiction_stops_generate_before_any_code(tmp_path: Path) -> None:
    result = run("generate", "--describe", "The smallest element of a non-empty list.",
                 "--llm", replay("contradicting_example"), "--yes", "--out", str(tmp_path), "--json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert not doc["ok"] and "no clean spec after 4 drafts" in doc["reason"]
    assert "example-ensures" in {f["code"] for f in doc["draft"]["findings"]}
    assert not (tmp_path / "smallest").exists()  # no code was generated
    assert not (tmp_path / "drafts").exists()


def test_user_example_that_contradicts_the_draft_is_reported(tmp_path: Path) -> None:
    # the user's example is added to the draft, so the checks hold the contract against it
    result = run("spec", "draft", "--describe", "The smallest element of a non-empty list.",
                 "--example", "xs = [5, 2] -> m = 5", "--llm", replay("contradicting_example_repaired"),
                 "--json", "--attempts", "1", "--no-dafny")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert not doc["ok"] and "no clean spec after 1 drafts" in doc["reason"]
    messages = [f["message"] for f in doc["draft"]["findings"] if f["code"] == "example-ensures"]
    assert any(msg.startswith("examples[1]") for msg in messages)  # the user's, after the model's


def test_bad_example_and_missing_description_file_are_input_errors(tmp_path: Path) -> None:
    bad = run("spec", "draft", "--describe", "x", "--example", "xs = [1, 2] => 3", "--llm",
              replay("unsat_requires"))
    assert bad.exit_code == 2 and "has no '->'" in bad.stderr
    missing = run("spec", "draft", "--describe", f"@{tmp_path / 'nope.txt'}", "--llm", replay("unsat_requires"))
    assert missing.exit_code == 2 and "cannot read the description file" in missing.stderr


@pytest.mark.slow
@pytest.mark.dafny
def test_clean_draft_confirmed_with_yes_generates_verified_python(tmp_path: Path) -> None:
    # a real subprocess: the installed command, as a user runs it
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "generate", "--describe", "Return the larger of two integers.",
         "--llm", replay("clean_larger"), "--yes", "--out", str(tmp_path), "--json"],
        capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["ok"] and doc["results"][0]["verified"]
    assert doc["draft"]["clean"] and doc["draft"]["questions"] == []
    assert doc["consistency"]["examples_run"] == 2 and doc["consistency"]["example_failures"] == []
    assert doc["consistency"]["description_warning"] is None
    module = tmp_path / "larger" / "larger.py"
    namespace: dict[str, Any] = {}
    exec(compile(module.read_text(), str(module), "exec"), namespace)  # the verified Python runs
    assert namespace["Larger"](3, 7) == 7 and namespace["Larger"](-2, -9) == -2
    assert (tmp_path / "drafts" / "larger.toml").exists()
    assert "m == a || m == b" in (tmp_path / "larger" / "spec.toml").read_text()


def _vague_draft() -> tuple[Any, Any]:
    from verifier.draft import Drafter, DraftRequest

    drafter = Drafter(get_llm(replay("vague_index_of_max")),
                      DraftRequest("Return the position of the largest element of a list."))
    return drafter, drafter.run()


@pytest.mark.slow
@pytest.mark.dafny
def test_edit_opens_the_editor_and_checks_the_edit_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from verifier.cli.drafting import confirm

    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\np = sys.argv[1]\nt = open(p).read()\n"
        "open(p, 'w').write(t.replace('ensures = [', 'ensures = [\\n  \"forall i :: 0 <= i < k ==> xs[i] < xs[k]\",', 1))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    drafter, draft = _vague_draft()
    # "either is fine" to the question, then edit, then accept
    with CliRunner().isolation(input="3\ne\na\n"):
        result = confirm(drafter, draft, interactive=True)
    assert result.confirmed and result.draft is not None
    assert result.draft.spec.ensures[0].text == "forall i :: 0 <= i < k ==> xs[i] < xs[k]"
    assert result.draft.clean and result.draft.questions == ()


@pytest.mark.slow
@pytest.mark.dafny
def test_regenerate_asks_the_model_again_with_the_reason() -> None:
    from verifier.cli.drafting import confirm

    drafter, draft = _vague_draft()
    with CliRunner().isolation(input="3\nr\nreturn the first position\na\n"):
        result = confirm(drafter, draft, interactive=True)
    assert result.confirmed and result.draft is not None
    assert any("xs[i] < xs[k]" in c.text for c in result.draft.spec.ensures)
    last_prompt = [e for e in drafter.transcript.events if e.kind == "prompt"][-1]
    assert "return the first position" in last_prompt.data["messages"][-1]["content"]
