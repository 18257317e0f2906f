"""The one place that writes Lean text around model code (pure).

A check elaborates the model's file plus an appendix of ours: the unit tests. The axiom
audit is not in the file: the trusted driver (`trusted_driver.lean`, read back by
`trusted.py`) audits every declaration after the last command, where nothing the file
says can reach it. What the appendix looks like depends on the toolchain's dialect:
native Lean runs `#guard_msgs in #eval` units; the WebAssembly build (incomplete compiled
code) needs kernel-checked units and a `noncomputable section`, put on one extra first
line, so model line N is line N+1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from verifier.backends.lean.source_scan import header_imports
from verifier.backends.lean.units import UnitTest


@dataclass(frozen=True)
class Dialect:
    """What differs between toolchains; native Lean needs no adaptation."""

    name: str
    kernel_units: bool  # units as `decide` theorems instead of `#eval`
    noncomputable: bool  # elaborate model code inside `noncomputable section`
    header_imports: tuple[str, ...] = ()
    import_roots: tuple[str, ...] | None = None  # modules available; None = ask Lean

    @property
    def adaptations(self) -> tuple[str, ...]:
        out = []
        if self.noncomputable:
            out.append("model code elaborated inside `noncomputable section` (no code generation)")
        if self.kernel_units:
            out.append("unit tests checked by the kernel first (`f x = y` and `¬(f x = y)`, each `by first | decide +kernel | decide`); a unit neither proves is run as written (`#guard_msgs in #eval`) in the sandbox, and is unchecked when that cannot decide it either")
        return tuple(out)


NATIVE = Dialect(name="native", kernel_units=False, noncomputable=False)
WASM = Dialect(
    name="wasm",
    kernel_units=True,
    noncomputable=True,
    import_roots=("Init", "Std", "Lean", "Lake"),
)


REFUTATION_SUFFIX = "_false"


@dataclass(frozen=True)
class UnitSlot:
    test: UnitTest
    name: str  # theorem name on the kernel route, "" on the #eval route
    first_line: int  # lines of the built file
    last_line: int
    refutation: str = ""  # kernel route: the theorem stating the unit is false
    refutation_line: int = 0


@dataclass(frozen=True)
class BuiltFile:
    text: str
    line_offset: int  # built line = model line + line_offset
    model_lines: int
    appendix_line: int  # first line of our appendix in the built file
    audit_targets: tuple[str, ...]
    units: tuple[UnitSlot, ...]
    nonce: str
    adaptations: tuple[str, ...] = field(default_factory=tuple)

    def to_model_line(self, line: int | None) -> int | None:
        if line is None:
            return None
        return line - self.line_offset

    def in_model(self, line: int | None) -> bool:
        return line is not None and self.line_offset < line < self.appendix_line

    def in_appendix(self, line: int | None) -> bool:
        return line is not None and line >= self.appendix_line


def missing_imports(source: str, dialect: Dialect) -> tuple[tuple[str, int], ...]:
    """Imports the toolchain cannot satisfy (e.g. Mathlib on the WebAssembly build)."""
    if dialect.import_roots is None:
        return ()
    out = []
    for module, start, _ in header_imports(source):
        root = module.split(".", 1)[0]
        if root not in dialect.import_roots:
            out.append((module, source.count("\n", 0, start) + 1))
    return tuple(out)


def plain_name(name: str) -> str:
    """Names as reported: without «» quoting."""
    return name.replace("«", "").replace("»", "")


def build(
    source: str,
    *,
    dialect: Dialect,
    theorem_names: Sequence[str],
    units: Sequence[UnitTest] = (),
    units_text: str | None = None,
    nonce: str,
) -> BuiltFile:
    # Long on purpose: the checked file is assembled in one pass (header, body, units,
    # audit list) so that every line offset it records is computed in one place.
    body = source
    offset = 0
    if dialect.header_imports or dialect.noncomputable:
        # Move the model's imports onto our single header line and blank them in place,
        # so the model's line numbers shift by exactly one.
        imports = header_imports(source)
        chars = list(source)
        for _, start, end in imports:
            for k in range(start, end):
                chars[k] = " "
        body = "".join(chars)
        modules = [*dialect.header_imports, *(m for m, _, _ in imports)]
        header = " ".join(f"import {m}" for m in dict.fromkeys(modules))
        if dialect.noncomputable:
            header = (header + " noncomputable section").strip()
        body = header + "\n" + body
        offset = 1
    if not body.endswith("\n"):
        body += "\n"
    model_lines = source.count("\n") + (0 if source.endswith("\n") else 1)
    lines: list[str] = [""]
    appendix_line = body.count("\n") + 1

    def here() -> int:
        return appendix_line + len(lines)

    slots: list[UnitSlot] = []
    if dialect.kernel_units:
        for test in units:
            if test.expected is None:
                slots.append(UnitSlot(test, "", here(), here()))
                continue
            name = f"proofroute_unit_{nonce}_{test.index}"
            first = here()
            # `decide +kernel` lets the kernel evaluate what the elaborator will not unfold
            # (well-founded recursion, irreducible defs). The unit and its negation are
            # both stated: a unit holds when the first is proved, fails when the second
            # is, and is unchecked on this toolchain when neither is.
            lines.append(f"theorem {name} : ({test.expr}) = ({test.expected}) := "
                         "by first | decide +kernel | decide")
            lines.append(f"theorem {name}{REFUTATION_SUFFIX} : ¬(({test.expr}) = ({test.expected})) := "
                         "by first | decide +kernel | decide")
            slots.append(UnitSlot(test, name, first, first, f"{name}{REFUTATION_SUFFIX}", first + 1))
    elif units_text:
        for test in units:
            first = here()
            lines.extend(test.text.splitlines())
            slots.append(UnitSlot(test, "", first, here() - 1))
            lines.append("")
    targets = [*theorem_names, *(s.name for s in slots if s.name),
               *(s.refutation for s in slots if s.refutation)]  # fmt: skip
    text = body + "\n".join(lines) + "\n"
    return BuiltFile(
        text=text,
        line_offset=offset,
        model_lines=model_lines,
        appendix_line=appendix_line,
        audit_targets=tuple(targets),
        units=tuple(slots),
        nonce=nonce,
        adaptations=tuple(
            a for a in dialect.adaptations if units or not a.startswith("unit tests")
        ),
    )


_PRIVATE = re.compile(r"^_private\.[^.]+(?:\.[^.]+)*?\.0\.")


def strip_private(name: str) -> str:
    """`_private.Proof.0.Foo.bar` -> `Foo.bar` (module files make every declaration private)."""
    return _PRIVATE.sub("", name)


@dataclass(frozen=True)
class AxiomLeaf:
    name: str
    local: bool  # declared in the checked file itself
