"""Benchmarking models on proof tasks, with the real Lean or Dafny as the judge.

`proofroute bench fvapps DATA --llm PROVIDER` runs FVAPPS (docs/fvapps.md);
`bench dafnybench` and `bench vericoding` run whole-program Dafny tasks
(docs/dafny-benchmarks.md); `proofroute bench report RUN...` reports and compares.
"""

from verifier.bench.fvapps_data import FvappsTask, load_tasks, select_tasks
from verifier.bench.lean_source import SpecParts, extract_code, split_spec
from verifier.bench.llm_log import LoggedLLM
from verifier.bench.passk import mean_pass_at_k, pass_at_k
from verifier.bench.program_record import Status, UnitRecord
from verifier.bench.program_runner import UnitConfig, WorkUnit, run_unit
from verifier.bench.program_tasks import ProgramTask, load_dafnybench, load_vericoding
from verifier.bench.report import Report, build_report
from verifier.bench.runner import FvappsRunner, RunConfig, RunEvent, RunOutcome
from verifier.bench.scoring import summarize
from verifier.bench.store import RecordKey, ResultsStore

__all__ = [
    "FvappsRunner",
    "FvappsTask",
    "LoggedLLM",
    "ProgramTask",
    "RecordKey",
    "Report",
    "ResultsStore",
    "RunConfig",
    "RunEvent",
    "RunOutcome",
    "SpecParts",
    "Status",
    "UnitConfig",
    "UnitRecord",
    "WorkUnit",
    "build_report",
    "extract_code",
    "load_dafnybench",
    "load_tasks",
    "load_vericoding",
    "mean_pass_at_k",
    "pass_at_k",
    "run_unit",
    "select_tasks",
    "split_spec",
    "summarize",
]
