"""Following `include`s, when the caller allows it: confined, audited, really verified.

Dafny 2.3 parses and resolves an included file but neither verifies it nor reports it,
so a body-less `lemma Bad() ensures false` there proves anything in the main file. With
`allow_includes`, every included file must lie inside the main file's folder tree (after
resolving symlinks; absolute paths and `..` escapes are refused), passes the same audit
as the main file, and is verified in the same Dafny run: the closure is copied, exactly as
audited, into a private folder and checked with `/verifyAllModules` (Dafny 4:
`--verify-included-files`), which makes Dafny verify the included modules too.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from verifier.backends.dafny.audit import Audit, audit
from verifier.backends.dafny.cold import read_boogie_files, time_limit, wall_limit
from verifier.backends.dafny.toolchain import Toolchain
from verifier.backends.dafny.verdict import (
    Judgement,
    RunOutcome,
    audit_diagnostics,
    judge,
)

from verifier.results import Diagnostic, IncludedFile, Severity, Verdict
from verifier.sandbox.limits import Limits, run_limited, scrubbed_env


@dataclass(frozen=True)
class Closure:
    """The main file and every file it includes, transitively, as audited."""

    root: Path  # the main file's folder (resolved)
    main: PurePosixPath  # relative to root
    texts: dict[PurePosixPath, str]  # relative path -> text (main included)
    audits: dict[PurePosixPath, Audit]
    problems: tuple[Diagnostic, ...]  # refused or unreadable includes

    @property
    def included(self) -> tuple[IncludedFile, ...]:
        return tuple(
            IncludedFile(
                path=str(self.root / rel),
                sha256=hashlib.sha256(self.texts[rel].encode("utf-8")).hexdigest(),
            )
            for rel in sorted(self.texts)
            if rel != self.main
        )


def _problem(message: str, file: str, line: int, col: int) -> Diagnostic:
    return Diagnostic(
        kind="include", message=message, severity=Severity.ERROR, file=file, line=line, col=col
    )


def collect(main_path: Path, main_text: str, main_audit: Audit) -> Closure:
    """Resolve and audit the include closure of `main_path` (whose text and audit the
    caller has). Every include that leaves the folder tree or cannot be read becomes a
    problem at its `include` line; the rest is followed."""
    root = main_path.resolve().parent
    main = PurePosixPath(main_path.name)
    texts = {main: main_text}
    audits = {main: main_audit}
    problems: list[Diagnostic] = []
    queue = [main]
    while queue:
        current = queue.pop()
        for inc in audits[current].includes:
            where = str(root / current)
            target = _confined(root, current, inc.path)
            if isinstance(target, str):
                problems.append(_problem(target, where, inc.line, inc.col))
                continue
            if target in texts:
                continue
            try:
                text = (root / target).read_bytes().decode("utf-8").removeprefix("\ufeff")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(
                    _problem(
                        f'cannot read the included file "{inc.path}" ({exc}); check the path '
                        "and save it as UTF-8",
                        where,
                        inc.line,
                        inc.col,
                    )
                )
                continue
            texts[target] = text
            audits[target] = audit(text)
            queue.append(target)
    return Closure(root, main, texts, audits, tuple(problems))


def _confined(root: Path, including: PurePosixPath, written: str) -> PurePosixPath | str:
    """The included file's path relative to `root`, or why it is refused."""
    if os.path.isabs(written) or written.startswith(("\\", "~")) or ":" in written:
        return (
            f'`include "{written}"`: absolute include paths are refused; include files by a '
            f"path relative to the including file, inside {root}"
        )
    lexical = os.path.normpath(os.path.join(str(including.parent), written))
    if lexical == ".." or lexical.startswith(".." + os.sep) or os.path.isabs(lexical):
        return (
            f'`include "{written}"` leaves the main file\'s folder {root} (`..` escape); only '
            "files inside that folder tree may be included — move the file inside it"
        )
    resolved = (root / lexical).resolve()
    if not resolved.is_relative_to(root):
        return (
            f'`include "{written}"` resolves (through a symlink) to {resolved}, outside the '
            f"main file's folder {root}; only files inside that folder tree may be included"
        )
    if not resolved.is_file():
        return f'`include "{written}"`: no such file {root / lexical}; check the path'
    return PurePosixPath(lexical)


def check_closure(
    toolchain: Toolchain, closure: Closure, *, timeout: float, filename: str
) -> tuple[Judgement, tuple[IncludedFile, ...]]:
    """Verify the whole closure in one Dafny run (included modules too) and judge it.
    With a refused or unreadable include nothing runs: Dafny would read that file."""
    if closure.problems:
        judged = Judgement(Verdict.UNKNOWN, closure.problems, (), None)
        return judged, closure.included
    main_text = closure.texts[closure.main]
    main_audit = closure.audits[closure.main]
    outcome = _run(toolchain, closure, timeout=timeout)
    # The cross-check compares Dafny's procedures with the parsed callables of every file
    # Dafny verified: the main file's and each included file's.
    everything = replace(main_audit, callables=tuple(c for a in closure.audits.values() for c in a.callables))
    judged = judge(outcome, main_text, filename=None, audited=everything, includes_checked=True)
    diagnostics = [_relocate(d, closure, filename) for d in judged.diagnostics]
    extra = list(closure.problems)
    for rel, audited in sorted(closure.audits.items()):
        if rel != closure.main:
            extra.extend(audit_diagnostics(audited, str(closure.root / rel), includes_checked=True))
    verdict = judged.verdict
    if extra and verdict is Verdict.VERIFIED:
        verdict = Verdict.UNKNOWN
    return (
        replace(judged, verdict=verdict, diagnostics=tuple(diagnostics + extra)),
        closure.included,
    )


def _relocate(d: Diagnostic, closure: Closure, filename: str) -> Diagnostic:
    """Dafny printed paths relative to the private copy: back to the user's files."""
    main = d.file is None or d.file == str(closure.main)
    new = filename if main else str(closure.root / str(d.file))
    return replace(d, file=new, related=tuple(_relocate(r, closure, filename) for r in d.related))


def _run(toolchain: Toolchain, closure: Closure, *, timeout: float) -> RunOutcome:
    with tempfile.TemporaryDirectory(prefix="proofroute-dafny-inc-") as tmp:
        for rel, text in closure.texts.items():
            path = Path(tmp) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        boogie = Path(tmp) / ".boogie"
        boogie.mkdir()
        argv = toolchain.dialect.verify_argv(
            toolchain.dafny, str(closure.main), time_limit=time_limit(timeout), z3=toolchain.z3,
            print_file=str(boogie / "program.bpl"),
        )
        if toolchain.dialect.major >= 4:
            argv = [*argv, "--verify-included-files"]
        else:
            argv = [*argv[:-1], "/verifyAllModules", argv[-1]]
        wall = wall_limit(timeout)
        run = run_limited(
            argv, limits=Limits(wall_seconds=wall), cwd=tmp, env=scrubbed_env({"HOME": tmp})
        )
        printed = read_boogie_files(boogie)
    crash = None
    if run.signal is not None:
        crash = f"Dafny was killed by signal {run.signal}"
    elif run.truncated:
        crash = "Dafny's output was too long and was cut; nothing is proved"
    return RunOutcome(
        text=run.stdout.decode("utf-8", "replace") + run.stderr.decode("utf-8", "replace"),
        mode="cold",
        returncode=run.returncode,
        timed_out=run.timed_out,
        wall_seconds=wall,
        crash=crash,
        boogie=printed,
    )
