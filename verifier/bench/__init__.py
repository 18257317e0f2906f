"""Benchmarking models on FVAPPS-style Lean tasks, with the real Lean as the judge.

`proofroute bench fvapps DATA --llm PROVIDER` runs, `proofroute bench report DIR` reports;
docs/fvapps.md explains the stages, the scoring and the results format.
"""

from verifier.bench.fvapps_data import FvappsTask, load_tasks, select_tasks
from verifier.bench.lean_source import SpecParts, extract_code, split_spec
from verifier.bench.llm_log import LoggedLLM
from verifier.bench.passk import mean_pass_at_k, pass_at_k
from verifier.bench.report import Report, build_report
from verifier.bench.runner import FvappsRunner, RunConfig, RunEvent, RunOutcome
from verifier.bench.scoring import summarize
from verifier.bench.store import RecordKey, ResultsStore

__all__ = [
    "FvappsRunner",
    "FvappsTask",
    "LoggedLLM",
    "RecordKey",
    "Report",
    "ResultsStore",
    "RunConfig",
    "RunEvent",
    "RunOutcome",
    "SpecParts",
    "build_report",
    "extract_code",
    "load_tasks",
    "mean_pass_at_k",
    "pass_at_k",
    "select_tasks",
    "split_spec",
    "summarize",
]
