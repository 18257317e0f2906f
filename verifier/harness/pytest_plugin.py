"""pytest plugin (entry point `pytest11`): spec properties collected as ordinary tests.

Two sources of tests, one per (spec, function):
- the ini option `proofroute_specs`, one `SPEC MODULE:FUNCTION` per line, paths relative
  to the ini file;
- functions decorated with `@verifier.spec(path)` or `@verifier.contract(...)` found in
  the test modules pytest collects (defined there or imported there).

Each test is `run_properties` — the function runs in the sandbox, failures are shrunk and
stored in the failure database shared with `proofroute test` (`.proofroute/examples` in
the rootdir) — so a failure shows the shrunk counterexample, the failing clause and the
seed. Items are made in a fixed order from the ini text and module contents, so every
pytest-xdist worker collects the same list. The plugin does nothing when unused.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from verifier.errors import ProofrouteError
from verifier.harness.contracts import Contract, SpecFile, attached, contract_of, contract_toml
from verifier.harness.failure_db import DEFAULT_DIR, FailureDB
from verifier.harness.report import HarnessReport
from verifier.harness.runner import run_properties
from verifier.specs import model as m
from verifier.specs.loader import load_spec, load_spec_text

INI = "proofroute_specs"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(INI, type="linelist", default=[],
                  help="spec properties to test: one 'SPEC MODULE:FUNCTION' per line, relative to the ini file")
    group = parser.getgroup("proofroute", "proofroute spec properties")
    group.addoption("--proofroute-seed", type=int, default=None, help="Hypothesis seed for every property")
    group.addoption("--proofroute-examples", type=int, default=100, help="generated inputs per property")
    group.addoption("--proofroute-no-db", action="store_true", help="neither replay nor store failures")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Ini-declared properties join the collected items (before -k/-m deselection runs)."""
    lines = [ln.strip() for ln in config.getini(INI) if ln.strip() and not ln.strip().startswith("#")]
    base = config.inipath.parent if config.inipath else config.rootpath
    for line in lines:
        spec_text, _, target = line.partition(" ")
        name = f"proofroute[{spec_text} {target.strip()}]"
        items.append(PropertyItem.from_parent(session, name=name, source=SpecFile(spec_text), base=base,
                                              target=target.strip(), line=line))


def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> list[pytest.Item] | None:
    found = attached(obj)
    if found is None or not isinstance(collector, pytest.Module):
        return None
    try:
        file = Path(inspect.getsourcefile(obj) or "")  # type: ignore[arg-type]
    except TypeError:
        return None
    function = getattr(obj, "__name__", name)
    return [PropertyItem.from_parent(collector, name=f"{name}[proofroute]", source=found, base=file.parent,
                                     target=f"{file}:{function}", line="", function_obj=obj)]


class PropertyItem(pytest.Item):
    def __init__(self, *, source: SpecFile | Contract, base: Path, target: str, line: str,
                 function_obj: object = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source, self.base, self.target, self.line = source, base, target, line
        self.function_obj = function_obj
        self.report: HarnessReport | None = None

    def runtest(self) -> None:
        if not self.target or ":" not in self.target:
            raise PropertyError(f"{self.line!r} in {INI}: write 'SPEC MODULE:FUNCTION', e.g. specs/max.toml impl:max_of_list")
        config = self.config
        database = None if config.getoption("proofroute_no_db") else FailureDB(
            config.rootpath / DEFAULT_DIR, project=config.rootpath)
        try:
            spec = self._spec()
            self.report = run_properties(spec, self.target, max_examples=config.getoption("proofroute_examples"),
                                         seed=config.getoption("proofroute_seed"), cwd=self.base, database=database)
        except ProofrouteError as exc:
            raise PropertyError(str(exc)) from None
        if self.report.failures:
            raise PropertyFailed(self.report)

    def _spec(self) -> m.Spec:
        match self.source:
            case SpecFile(path=path):
                return load_spec(self._find(path))
            case Contract():
                found, params, returns = contract_of(self.function_obj)  # type: ignore[arg-type]
                where = f"{self.target.rpartition(':')[0]}: @contract of {self.target.rpartition(':')[2]}"
                name = self.target.rpartition(":")[2]
                return load_spec_text(contract_toml(name, found, params, returns, where), file=where)
        raise PropertyError(f"unknown spec source {self.source!r}")

    def _find(self, path: str) -> Path:
        """Relative spec paths: from the function's (or ini file's) folder upwards to the rootdir."""
        for folder in _upwards(self.base, self.config.rootpath):
            if (folder / path).is_file():
                return folder / path
        raise PropertyError(f"spec file {path!r} not found in {self.base} or any folder above it up to "
                            f"{self.config.rootpath}; give a path relative to one of them")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, PropertyFailed):
            report = excinfo.value.report
            return "\n".join([*report.lines(), report.summary(),
                              f"reproduce with --proofroute-seed {report.seed}"])
        if isinstance(excinfo.value, PropertyError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.name


class PropertyFailed(Exception):
    def __init__(self, report: HarnessReport) -> None:
        super().__init__(report.summary())
        self.report = report


class PropertyError(Exception):
    """A property that cannot run (bad ini line, missing spec, bad spec, sandbox violation)."""


def _upwards(start: Path, stop: Path) -> Iterator[Path]:
    folder = start.resolve()
    stop = stop.resolve()
    while True:
        yield folder
        if folder == stop or folder.parent == folder:
            return
        folder = folder.parent
