"""Write a spec's properties as a standalone pytest module (`--emit-pytest`, artifacts).

The module needs only pytest and hypothesis: the spec's predicates
(`render_python_module`), the input strategy (`strategies.input_plan`) and the call
checks (`check_runtime`) are pasted in, exactly the code the harness runs, so the test
decides like the harness does. Every failure the harness found becomes an `@example`,
as does every example of the spec, so a wrong implementation stays red on re-run.

Unlike the harness, the emitted test calls the function in-process (it is the user's
own test suite, run on the user's terms).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from verifier.harness.checks import runtime_source, signature_of
from verifier.harness.report import Failure
from verifier.harness.strategies import StrategyOptions, draw_runtime_source, input_plan
from verifier.harness.target import Target, resolve_target
from verifier.specs import model as m
from verifier.specs.datavalues import ctor_of, fields_of, is_datavalue
from verifier.specs.generics import instance_text, instances, instantiate
from verifier.translators.spec_python import class_name, not_executable, render_python_module


def _strip_docstring(source: str) -> str:
    if source.startswith('"""'):
        end = source.index('"""', 3) + 3
        return source[end:].lstrip("\n")
    return source


def emit_pytest(
    spec: m.Spec,
    target: str,
    failures: Sequence[Failure] = (),
    *,
    max_examples: int = 100,
    options: StrategyOptions | None = None,
    cwd: Path | None = None,
) -> str:
    """The text of a pytest module testing `target` (MODULE:FUNCTION) against `spec`.

    A generic method is emitted at its first instance (T := int; the header says so):
    one standalone module draws one kind of input."""
    instance = instances(spec)[0]
    if instance:
        spec = instantiate(spec, instance)
    tgt = resolve_target(target, cwd)
    plan = input_plan(spec, options)
    skip = [p.text for p in not_executable(spec) if p.where.startswith("ensures")]
    test_name = "test_" + "".join(c if c.isalnum() else "_" for c in tgt.function) + "_meets_spec"
    examples = _examples(spec, failures)
    header = _header(spec, tgt) + (f"# the generic method is tested at {instance_text(instance)}\n\n" if instance else "")
    body = _test_body(spec, tgt, examples, skip=skip, test_name=test_name, max_examples=max_examples)
    predicates = _strip_docstring(render_python_module(spec))
    return (
        header
        + "# ---------------------------------------------------------------- spec predicates\n"
        + predicates.rstrip() + "\n\n\n"
        + "# ---------------------------------------------------------------- call checks\n"
        + runtime_source().rstrip() + "\n\n\n"
        + "# ---------------------------------------------------------------- input strategy\n"
        + draw_runtime_source().rstrip() + "\n\n\n"
        + plan.source
        + body
    )


def _examples(spec: m.Spec, failures: Sequence[Failure]) -> list[str]:
    """An `@example` per failure the harness found, then per example of the spec (each input once)."""
    names = [p.name for p in spec.params]
    examples: list[str] = []
    seen: set[str] = set()
    for f in failures:
        literal = _literal({n: f.inputs[n] for n in names})
        if literal not in seen:
            seen.add(literal)
            note = f"{f.source}: {f.message}".replace("\n", " ")
            examples.append(f"@example(inputs={literal})  # {note[:200]}")
    for ex in spec.examples:
        literal = _literal({n: ex.args[n] for n in names})
        if literal not in seen:
            seen.add(literal)
            examples.append(f"@example(inputs={literal})  # examples[{ex.index}] of the spec")
    return examples


def _literal(value: Any) -> str:
    """Python source for a runtime value: `repr`, except that a datatype value is built
    from the pasted predicates' class of its constructor (`D_Fork(D_Tip(), 1, D_Tip())`)."""
    if is_datavalue(value):
        return f"{class_name(ctor_of(value))}({', '.join(_literal(x) for x in fields_of(value))})"
    if isinstance(value, Counter):
        return f"Counter({_literal(dict(value))})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(x)}" for k, x in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(x) for x in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(f"{_literal(x)}, " for x in value) + ")"
    if isinstance(value, (set, frozenset)):
        return f"frozenset([{', '.join(_literal(x) for x in value)}])"
    return repr(value)


def _header(spec: m.Spec, tgt: Target) -> str:
    """The module's docstring and imports."""
    return f'''"""Property tests of {tgt.function} ({tgt.display}) against the spec {spec.name!r}.

Generated by `proofroute test --emit-pytest` from {spec.source or "the spec"}; run it with
pytest. Inputs are generated from the spec's parameter types and requires; each ensures
clause is checked on the result. Failures proofroute found are pinned with @example.
"""
# ruff: noqa
# fmt: off

import copy
import importlib
import importlib.util
import pathlib
import sys
from collections import Counter
from fractions import Fraction  # `@example`s of real values are written as Fraction(n, d)

from hypothesis import HealthCheck, example, given, settings

sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))  # recursive spec helpers

'''


# A spec with datatypes: the drawn values are the predicates' classes; the function gets
# them rebuilt as its own module's classes of the same (constructor) names.
_IMPL_CLASSES = '''
_IMPL_CLASSES = {c.__name__: c for c in _function.__globals__.values()
                 if isinstance(c, type) and "__dataclass_fields__" in vars(c)}
'''


def _test_body(spec: m.Spec, tgt: Target, examples: list[str], *, skip: list[str], test_name: str,
               max_examples: int) -> str:
    """The loader of the function under test, and the test itself."""
    classes = _IMPL_CLASSES if spec.datatypes else ""
    actual = "_adopt(copy.deepcopy(inputs), _IMPL_CLASSES)" if spec.datatypes else "copy.deepcopy(inputs)"
    return f'''

# ---------------------------------------------------------------- the function under test
_MODULE = {tgt.module!r}
_FILE = {str(tgt.file)!r}
_FUNCTION = {tgt.function!r}
_SIGNATURE = {signature_of(spec)!r}
_UNCHECKED = {skip!r}


def _load_function():
    """The module beside this test first (artifact folders), then the original file,
    then an importable module of that name."""
    here = pathlib.Path(__file__).resolve().parent
    for path in (here / pathlib.Path(_FILE).name, pathlib.Path(_FILE)):
        if path.is_file():
            spec = importlib.util.spec_from_file_location(_MODULE, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules.setdefault(_MODULE, module)
            spec.loader.exec_module(module)
            return getattr(module, _FUNCTION)
    return getattr(importlib.import_module(_MODULE), _FUNCTION)


_function = _load_function()
{classes}

@settings(max_examples={max_examples}, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=spec_inputs(){".filter(pre)" if spec.requires else ""})
{chr(10).join(examples)}
def {test_name}(inputs):
    before = copy.deepcopy(inputs)
    actual = {actual}
    returned = _function(*[actual[name] for name, _ in _SIGNATURE["params"]])
    problem = check_call(_SIGNATURE, before, returned, actual, ENSURES, _UNCHECKED)
    assert problem is None, f"{{problem[1]}} for {{show_args(_SIGNATURE['params'], before)}}"
'''
