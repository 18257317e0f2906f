"""Every difference between Dafny versions, in one object.

Dafny 2.x/3.x write compiled functions as `function method`; Dafny 4 makes plain
`function` compiled and spells ghost ones `ghost function`. Translators ask the dialect
instead of testing version numbers themselves. The Dafny backend asks it for command
lines too.

Dafny 2.3 is exercised on these machines; the Dafny 4 command lines follow the Dafny 4
reference manual (`dafny verify`, `--verification-time-limit`, `--solver-path`,
`dafny translate js`, `--boogie`) and cannot be run here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    major: int

    @property
    def name(self) -> str:
        return f"dafny{self.major}"

    def function_keyword(self, *, compiled: bool) -> str:
        if self.major >= 4:
            return "function" if compiled else "ghost function"
        return "function method" if compiled else "function"

    def predicate_keyword(self, *, compiled: bool) -> str:
        if self.major >= 4:
            return "predicate" if compiled else "ghost predicate"
        return "predicate method" if compiled else "predicate"

    # --- command lines ---------------------------------------------------------------------

    @property
    def has_server(self) -> bool:
        """DafnyServer (the line protocol of TOOLCHAINS.md) ships with Dafny 2.x and 3.x;
        Dafny 4 replaced it with an LSP server (`dafny server`) this backend does not speak,
        so Dafny 4 always runs cold."""
        return self.major < 4

    @property
    def column_offset(self) -> int:
        """Added to a printed column to make it 1-based (Dafny prints 0-based columns)."""
        return 1

    def _legacy_flags(
        self,
        time_limit: int,
        z3: str | None,
        model_file: str | None,
        *,
        trace: bool,
        print_file: str | None = None,
    ) -> list[str]:
        flags = ["/compile:0", f"/timeLimit:{time_limit}"]
        if trace:
            flags.append("/trace")
        if z3:
            flags.append(f"/z3exe:{z3}")
        if model_file:
            flags.append(f"/mv:{model_file}")
        if print_file:
            flags.append(f"/print:{print_file}")
        return flags

    def verify_argv(
        self,
        dafny: Sequence[str],
        file: str,
        *,
        time_limit: int,
        z3: str | None = None,
        model_file: str | None = None,
        print_file: str | None = None,
    ) -> list[str]:
        """The cold command line: verify `file`, one `Verifying X ... [N proof obligations]
        status` line per procedure (Boogie's /trace), the model to `model_file`, the Boogie
        program to `print_file` (Dafny 2.3 writes one file per module, `<stem>_<module>.bpl`,
        when there are several)."""
        if self.major >= 4:
            argv = [*dafny, "verify", file, f"--verification-time-limit:{time_limit}"]
            if z3:
                argv.append(f"--solver-path:{z3}")
            argv += ["--boogie", "/trace"]
            if model_file:
                argv += ["--boogie", f"/mv:{model_file}"]
            if print_file:
                argv.append(f"--bprint:{print_file}")
            return argv
        return [
            *dafny,
            "/nologo",
            *self._legacy_flags(time_limit, z3, model_file, trace=True, print_file=print_file),
            file,
        ]

    @property
    def has_audit(self) -> bool:
        """`dafny audit` (a report of unsound constructs) came with Dafny 4."""
        return self.major >= 4

    def audit_argv(self, dafny: Sequence[str], file: str) -> list[str]:
        """`dafny audit FILE` reports each finding as a warning and exits 0 even with
        findings (see `dafny_audit.py` for the format)."""
        if not self.has_audit:
            raise ValueError(f"{self.name} has no `dafny audit`")
        return [*dafny, "audit", file]

    def server_args(
        self,
        *,
        time_limit: int,
        z3: str | None = None,
        model_file: str | None = None,
        boogie: bool = False,
    ) -> list[str]:
        """The `args` of a DafnyServer `verify` request (Dafny 2.x/3.x): the server prints
        per-procedure lines by itself, so no /trace. DafnyServer ignores `/print`; with
        `boogie`, Boogie's `/printInstrumented` prints each module's program to the answer
        (before that module's `Verifying` lines) instead."""
        flags = self._legacy_flags(time_limit, z3, model_file, trace=False)
        return [*flags, "/printInstrumented"] if boogie else flags

    def js_build_argv(
        self,
        dafny: Sequence[str],
        file: str,
        out_js: str,
        *,
        z3: str | None = None,
        time_limit: int = 60,
    ) -> list[str]:
        """Compile `file` to one JavaScript file at `out_js`. Dafny 2.3 writes it only after
        verifying (`/noVerify` and `/dafnyVerify:0` write nothing) and then exits 3."""
        if self.major >= 4:
            return [*dafny, "translate", "js", file, "--no-verify", f"--output:{out_js}"]
        argv = [*dafny, "/nologo", "/compile:0", f"/timeLimit:{time_limit}"]
        if z3:
            argv.append(f"/z3exe:{z3}")
        return [*argv, "/spillTargetCode:2", "/compileTarget:js", f"/out:{out_js}", file]


DAFNY2 = Dialect(major=2)
DAFNY4 = Dialect(major=4)


def dialect_for_version(version: str) -> Dialect:
    """'2.3.0.10506' -> Dafny 2 rules; '4.8.1' -> Dafny 4 rules; 3.x uses 2.x syntax."""
    try:
        major = int(version.strip().split(".")[0])
    except ValueError:
        major = 2
    return Dialect(major=major)
