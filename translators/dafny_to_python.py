"""Verified Dafny to standalone, idiomatic, typed Python with Dafny's exact semantics.

The output uses only the standard library (users take the module away). Names and
parameter order are kept; several results come back as a tuple; arrays are lists changed
in place while sequences are values that the generated code never mutates, so sharing a
list between two sequence variables is safe. Where Python's meaning differs from
Dafny's (`/` and `%` on negative numbers, `<` on sequences, `==` on arrays), the
translator either proves the simple spelling is equal (a positive literal divisor, a
length) or emits a small helper, only when used. Anything it cannot translate exactly is
an `UnsupportedConstruct` at the construct's line and column.

This module is the public entry; the translation is split by meaning:
`dafny_ghost` (what is proof only), `dafny_liveness` (what compiled code needs),
`dafny_types` (types and the subset's type rules), `dafny_scope` (names),
`dafny_bounds` (finite ranges of bound variables), `dafny_emit_expr` / `dafny_emit_stmt`
/ `dafny_emit_module` (writing Python), `python_syntax` (the Python written, as a tree)
and `python_helpers` (the runtime helpers it may need).
"""

from __future__ import annotations

from verifier.backends.dafny.dialect import Dialect
from verifier.translators import dafny_ast as A
from verifier.translators.dafny_emit_module import ModuleEmitter, PyFunction, PyParam, PythonModule
from verifier.translators.dafny_parser import parse
from verifier.translators.dafny_scope import param_names, py_identifier
from verifier.translators.python_helpers import HELPERS

__all__ = ["PyFunction", "PyParam", "PythonModule", "check_wrapper", "py_identifier", "translate"]


def translate(
    source: str, *, dialect: Dialect | None = None, program: A.Program | None = None
) -> PythonModule:
    """Translate a whole Dafny program; raises UnsupportedConstruct / DafnySyntaxError.

    `program` is `source` already parsed (the guard's parse: each candidate is parsed
    once); the source is still needed for the literal texts the translation copies."""
    if program is None:
        program = parse(source)
    return ModuleEmitter(source, program, dialect).module()


_REALS_TO_TEXT = """def __reals__(v):
    if isinstance(v, Fraction):
        return str(v)
    if isinstance(v, (list, tuple)):
        return type(v)(__reals__(x) for x in v)
    return v"""


def _mentions_real(t: A.Type) -> bool:
    return t.name == "real" or any(_mentions_real(a) for a in t.args)


def _real_from_text(name: str, t: A.Type) -> str:
    """Python that turns the text form of a value of type `t` (reals as "n/d") into the
    module's values (`Fraction`); only reals and sequences of them are generated."""
    if t.name == "real":
        return f"Fraction({name})"
    if t.name == "seq" and t.args and t.args[0].name == "real":
        return f"[Fraction(x) for x in {name}]"
    return name


def check_wrapper(
    source: str, method: str, *, dialect: Dialect | None = None, with_requires: bool = True
) -> str:
    """Python text to append to the translation of `source`: `__check__(*args)`.

    `__check__` returns `[False, None]` when the arguments violate the `requires` of
    `method` and `[True, result]` after calling it otherwise. Translation validation runs
    it in the sandbox next to the exact module users get, so inputs are filtered and the
    method is called in one child process. Spec-only (ghost) functions that `requires`
    calls are translated here too, after the module's own definitions.
    """
    program = parse(source)
    decl = program.find(method)
    if not isinstance(decl, (A.Method, A.Function)):
        raise KeyError(method)
    base = ModuleEmitter(source, program, dialect)
    base.module()
    tr = ModuleEmitter(source, program, dialect, extra_roots=decl.clause_exprs("requires"))
    tr.module()
    lines = []
    new_imports = tr.needs.imports - base.needs.imports
    if "Counter" in new_imports:
        lines.append("from collections import Counter")
    if "Sequence" in new_imports:
        lines.append("from collections.abc import Sequence")
    if "Fraction" in new_imports:
        lines.append("from fractions import Fraction")
    lines.extend(HELPERS[h] for h in sorted(tr.needs.helpers - base.needs.helpers))
    lines.extend(text for name, text in tr.emitted.items() if name not in base.emitted)
    py = py_identifier(decl.name)
    # named like the method's own parameters, so the sandbox reports arrays after the call
    names = param_names(decl.params)
    args = ", ".join(names[p.name] for p in decl.params if not p.ghost)
    reals = "Fraction" in tr.needs.imports
    if with_requires:
        lines.append(tr.requires_function(decl))
        guard = f"    if not __requires__({args}):\n        return [False, None]\n"
    else:
        guard = ""
    convert = "".join(
        f"    {names[p.name]} = {_real_from_text(names[p.name], p.type)}\n"
        for p in decl.params if not p.ghost and _mentions_real(p.type)
    )
    if reals:
        # reals cross the sandbox boundary as the text of a fraction, both ways
        lines.append(_REALS_TO_TEXT)
        call = f"__reals__({py}({args}))"
    else:
        call = f"{py}({args})"
    lines.append(f"def __check__({args}):\n{convert}{guard}    return [True, {call}]")
    return "\n\n\n" + "\n\n\n".join(lines) + "\n"
