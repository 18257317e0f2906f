"""Whether a spec's properties can be tested, decided in one place.

Property tests draw inputs and keep those that meet `requires`; a `requires` that cannot
be executed (a quantifier over an unbounded range, `forall n: nat :: f(n) ...`) cannot
filter them, and testing unfiltered inputs would test a program outside its contract.
So such a spec has no property test at all: `proofroute test` refuses it as bad input,
`generate` ships the proof without property tests and says why (certificate, test
module, output), `recheck` re-checks the proof and says the same. An `ensures` clause
that cannot be executed is only skipped (and reported as unchecked); when every one is,
nothing would be tested, which again means no property test.

A helper that cannot be executed counts against each clause that calls it (directly or
through other helpers).
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.specs import model as m
from verifier.translators.spec_python import NotExecutableClause, not_executable

TRANSLATION = "the Python translation"  # what goes untested, in the Dafny route's words


@dataclass(frozen=True)
class Blocker:
    """Why no property test can run: a clause that cannot be executed (`clause` is None
    when no single clause is to blame: every ensures clause is unexecutable)."""

    what: str  # "requires[0]", "every ensures clause"
    message: str
    clause: NotExecutableClause | None = None  # where the problem is (a helper's, if through one)
    text: str = ""  # the blocked clause as written

    def sentence(self, spec_file: str | None = None) -> str:
        """`requires[0] at spec.toml:6:21 is not executable: <why>`, the file named as
        given (the artifact's `spec.toml`) or as the spec was read."""
        c = self.clause
        if c is None:
            return f"{self.what} is not executable: {self.message}"
        file = spec_file or c.file or "<spec>"
        return f"{self.what} at {file}:{c.line}:{c.col} is not executable: {self.message}"


@dataclass(frozen=True)
class Testability:
    """The decision for one spec: `blocker` None means property tests can run, skipping
    the `unchecked` ensures clauses (their texts)."""

    blocker: Blocker | None
    unchecked: tuple[str, ...]

    @property
    def testable(self) -> bool:
        return self.blocker is None

    def reason(self, spec_file: str | None = None, subject: str = TRANSLATION) -> str:
        """The sentence generate and recheck print, the certificate records and the
        emitted test module states (`subject`: what is left untested)."""
        assert self.blocker is not None
        return f"{self.blocker.sentence(spec_file)}; the proof stands, {subject} is not property-tested"


def testability(spec: m.Spec) -> Testability:
    """Which clauses of `spec` can run as Python, and whether that allows testing."""
    problems = not_executable(spec)
    broken = _helpers_reaching(problems, spec)
    unchecked: list[str] = []
    for where, clauses in (("requires", spec.requires), ("ensures", spec.ensures)):
        for i, c in enumerate(clauses):
            own = next((p for p in problems if p.where == f"{where}[{i}]"), None)
            via = sorted(_calls(c.expr) & set(broken))
            if own is None and not via:
                continue
            if where == "requires":
                cause = own or broken[via[0]]
                return Testability(Blocker(f"{where}[{i}]", _short(cause, via, own), cause, c.text), ())
            unchecked.append(c.text)
    if spec.ensures and len(unchecked) == len(spec.ensures):
        return Testability(Blocker("every ensures clause", (
            "each has a quantifier whose range cannot be bounded (see spec check's not-executable "
            "warnings), so nothing would be tested")), tuple(unchecked))
    return Testability(None, tuple(unchecked))


def _short(cause: NotExecutableClause, via: list[str], own: NotExecutableClause | None) -> str:
    """The reason without the fix-it part (the spec check's warning carries that)."""
    why = cause.message.split("; ")[0].removesuffix(", so it cannot be executed")
    return why if own is not None else f"it calls {via[0]}, which cannot be executed ({why})"


def _calls(e: object) -> set[str]:
    """Names called anywhere in e (helpers and function-typed parameters alike)."""
    found = {e.name} if isinstance(e, m.Call) else set()
    for sub in m.subexpressions(e):
        found |= _calls(sub)
    return found


def _helpers_reaching(problems: list[NotExecutableClause], spec: m.Spec) -> dict[str, NotExecutableClause]:
    """Every helper that is, or calls (transitively), an unexecutable helper, mapped to
    the problem it leads to."""
    reach = {p.where.removeprefix("helper "): p for p in problems if p.where.startswith("helper ")}
    calls = {h.name: set().union(_calls(h.body), *(_calls(r.expr) for r in h.requires)) for h in spec.helpers}
    changed = True
    while changed:
        changed = False
        for name, callees in calls.items():
            hit = next((c for c in sorted(callees) if c in reach), None)
            if name not in reach and hit is not None:
                reach[name] = reach[hit]
                changed = True
    return reach
