"""Dafny's own JavaScript build, called on JSON inputs: the reference our Python must match.

Why: the translation validator checks that the Python we generate behaves like the Dafny
program; Dafny's own compiler to JavaScript is an independent implementation of those
semantics. `build_js` runs the real Dafny (`/compileTarget:js`; Dafny 2.3 exits 3 even
when it writes the file, so the file decides, not the code). `JsProgram.call` runs ALL
inputs in ONE node process, under `verifier.sandbox.run_limited`, because the compiled
program is model-written code.

JSON conventions (inputs and outputs): int as JSON int (any size, exact; a decimal string
is accepted on input), bool, char as a 1-char str, string as str, seq as list, set as a
sorted list, multiset as a sorted list with repetitions, map as a list of [key, value]
pairs sorted by key, array as list.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.backends.dafny.cold import temp_name
from verifier.backends.dafny.declarations import Callable, find_callables
from verifier.backends.dafny.toolchain import Toolchain, discover

from verifier.errors import ProofrouteError, ToolchainMissing, VerifierCrashed
from verifier.sandbox.limits import CompletedRun, Limits, run_limited, scrubbed_env

_RUNNER = Path(__file__).with_name("js_runner.js")
_SCALARS = {
    "int": "int",
    "nat": "int",
    "bool": "bool",
    "char": "char",
    "string": "string",
    "real": "real",
    "native": "native",  # a newtype Dafny represents as a JS number
}


@dataclass(frozen=True)
class JsCallResult:
    outputs: dict[str, Any] = field(default_factory=dict)  # out-parameter name -> value
    arrays_after: dict[str, list[Any]] = field(default_factory=dict)  # array params after
    error: str | None = None


def parse_type(text: str) -> dict[str, Any]:
    """'map<int, seq<char>>' -> {'k': 'map', 'key': {'k': 'int'}, 'val': {...}}."""
    t = text.replace(" ", "")
    if t in _SCALARS:
        return {"k": _SCALARS[t]}
    if (t.startswith("int") and t[3:].isdigit()) or (t.startswith("bv") and t[2:].isdigit()):
        return {"k": "int"}  # Dafny 2.3's JS build keeps bitvectors as BigNumbers too
    kinds = {"seq": "seq", "set": "set", "iset": "set", "multiset": "multiset", "array": "array"}
    kinds["array?"] = "array"
    for name, kind in kinds.items():
        if t.startswith(name + "<") and t.endswith(">"):
            return {"k": kind, "e": parse_type(t[len(name) + 1 : -1])}
    if t.startswith("map<") and t.endswith(">"):
        inner = t[4:-1]
        depth = 0
        for i, ch in enumerate(inner):
            if ch == "<":
                depth += 1
            elif ch == ">":
                depth -= 1
            elif ch == "," and depth == 0:
                return {"k": "map", "key": parse_type(inner[:i]), "val": parse_type(inner[i + 1 :])}
    raise ProofrouteError(
        f"the JS bridge cannot convert values of type '{text}'",
        hint="use int, nat, bool, char, string, real, seq, set, multiset, map or array "
        "parameters, or pass param_types",
    )


def _from_json(value: Any) -> Any:
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if isinstance(value, dict):
        if "$int" in value:
            return int(value["$int"])
        if "$real" in value:
            return value["$real"]
        if "$set" in value or "$multiset" in value:
            items = [_from_json(v) for v in value.get("$set", value.get("$multiset"))]
            return sorted(items, key=_sort_key)
        if "$map" in value:
            pairs = [[_from_json(k), _from_json(v)] for k, v in value["$map"]]
            return sorted(pairs, key=lambda kv: _sort_key(kv[0]))
        if "$value" in value:
            return value["$value"]
        return {k: _from_json(v) for k, v in value.items()}
    return value


def _sort_key(v: Any) -> Any:
    return (
        (type(v).__name__, v)
        if not isinstance(v, list)
        else ("list", json.dumps(v, sort_keys=True))
    )


def _to_json(value: Any) -> Any:
    """Python input values to JSON; ints beyond 2**53 travel as decimal strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return [_to_json(v) for v in sorted(value, key=_sort_key)]
    if isinstance(value, Mapping):
        return [[_to_json(k), _to_json(v)] for k, v in value.items()]
    return value


@dataclass
class JsProgram:
    """A compiled program in a private folder; `close()` (or GC of the folder) removes it."""

    folder: Path
    js_path: Path
    source: str
    toolchain: Toolchain
    callables: tuple[Callable, ...]

    modules: tuple[str, ...] = ()  # the top-level `let` names of the compiled file

    def _method(self, method: str) -> tuple[str, str, Callable | None]:
        """'M' -> default class of the default module; 'Mod.M' -> default class of Mod.

        Returned as the compiled names (see `compiled_name`), the declaration by its
        source name."""
        module, _, name = method.rpartition(".")
        decl = next((c for c in self.callables if c.name == name), None)
        return self._compiled_module(module), compiled_name(name), decl

    def _compiled_module(self, module: str) -> str:
        """Dafny 2.3 emits module `My_Mod` as `let _0_My__Mod_Compile`: match that shape."""
        if not module:
            return "_module"
        pattern = re.compile(rf"_\d+_{re.escape(compiled_name(module))}_Compile")
        found = [m for m in self.modules if m == module or pattern.fullmatch(m)]
        return found[0] if len(found) == 1 else module

    def call(
        self,
        method: str,
        inputs: Sequence[Mapping[str, Any]],
        *,
        timeout: float = 60,
        param_types: Mapping[str, str] | None = None,
        out_types: Mapping[str, str] | None = None,
    ) -> list[JsCallResult]:
        """Call `method` once per input map (param name -> value), all in one node process."""
        self._require_node()
        module, name, decl = self._method(method)
        params, outs = _signature(method, decl, param_types, out_types)
        with tempfile.TemporaryDirectory(dir=self.folder) as tmp:
            request = Path(tmp) / "request.json"
            results = Path(tmp) / "results.jsonl"
            request.write_text(
                json.dumps(
                    {
                        "module": module,
                        "cls": "__default",
                        "method": name,
                        "params": params,
                        "outs": outs,
                        "calls": [{k: _to_json(v) for k, v in i.items()} for i in inputs],
                    }
                ),
                "utf-8",
            )
            run = run_limited(
                [self.toolchain.node, str(_RUNNER), str(self.js_path), str(request), str(results)],
                limits=Limits(
                    wall_seconds=timeout,
                    cpu_seconds=max(1, math.ceil(timeout)) + 1,
                    file_size_bytes=256 * 1024 * 1024,
                    open_files=256,
                ),
                cwd=tmp,
                env=scrubbed_env({"NODE_PATH": self.toolchain.node_modules}),
            )
            lines = results.read_text("utf-8").splitlines() if results.exists() else []
        return _results(lines, len(inputs), run, timeout)

    def _require_node(self) -> None:
        if self.toolchain.node is None:
            raise ToolchainMissing(
                "node not found: the JS cross-check needs node", hint="install nodejs"
            )
        if self.toolchain.node_modules is None:
            raise ToolchainMissing(
                "bignumber.js is not installed for Dafny's JavaScript runtime",
                hint="run `proofroute setup`",
            )

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def build_js(source: str, *, timeout: float = 120, toolchain: Toolchain | None = None) -> JsProgram:
    """Compile `source` with the real Dafny. Raises VerifierCrashed (with Dafny's messages)
    when no JavaScript comes out, ToolchainMissing when Dafny is absent."""
    tc = toolchain or discover()
    folder = Path(tempfile.mkdtemp(prefix="proofroute-dafny-js-"))
    src = folder / temp_name("program")
    src.write_text(source, encoding="utf-8")
    js = folder / "out" / "program.js"
    argv = tc.dialect.js_build_argv(
        tc.dafny, src.name, str(js), z3=tc.z3, time_limit=max(1, math.ceil(timeout))
    )
    run = run_limited(
        argv,
        limits=Limits(wall_seconds=timeout),
        cwd=folder,
        env=scrubbed_env({"HOME": str(folder)}),
    )
    if not js.exists():
        text = (run.stdout + run.stderr).decode("utf-8", "replace")
        errors = [ln for ln in text.splitlines() if "Error" in ln][:5]
        shutil.rmtree(folder, ignore_errors=True)
        why = "timed out" if run.timed_out else f"exit status {run.returncode}"
        raise VerifierCrashed(
            f"Dafny wrote no JavaScript ({why}): {' | '.join(errors) or text.strip()[-300:]}",
            hint="the program must parse, resolve and verify before it can be built",
        )
    modules = ["_dafny", "_module"]
    text = js.read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("let ") and "= (function() {" in line:
            name = line[4:].split("=")[0].strip()
            if name not in modules:
                modules.append(name)
    with js.open("a", encoding="utf-8") as fh:
        fh.write(f"\nmodule.exports = {{ {', '.join(modules)} }};\n")
    return JsProgram(
        folder=folder,
        js_path=js,
        source=source,
        toolchain=tc,
        callables=find_callables(source),
        modules=tuple(modules),
    )


def compiled_name(name: str) -> str:
    """The name Dafny's compiler gives a declaration in the generated code.

    Dafny doubles every underscore (`double_array_elements` becomes
    `double__array__elements`), so that its own `_`-joined names cannot collide with a
    user's; looking the method up by its source name found nothing and turned a verified
    program into a "translation disagreement". The other characters Dafny allows in names
    but the targets do not are spelled `'` -> `_k`, `?` -> `_q` (`M'` is `M_k`)."""
    return name.replace("_", "__").replace("'", "_k").replace("?", "_q")


def _signature(method: str, decl: Callable | None, param_types: Mapping[str, str] | None,
               out_types: Mapping[str, str] | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The parameters (with their types) and out-parameters of the call, as the runner reads them."""
    if param_types is not None:
        params = [{"name": n, "type": parse_type(t)} for n, t in param_types.items()]
    elif decl is not None:
        params = [{"name": p.name, "type": parse_type(p.type)} for p in decl.params]
    else:
        raise ProofrouteError(
            f"method '{method}' is not declared in the built program",
            hint="give the name of a method of the default class (or 'Module.Method'), "
            "or pass param_types",
        )
    if out_types is not None:
        outs = [{"name": n, "type": {"k": "any"}} for n in out_types]
    elif decl is not None:
        outs = [{"name": p.name, "type": {"k": "any"}} for p in decl.returns]
    else:
        outs = []
    return params, outs


def _results(lines: list[str], n: int, run: CompletedRun, timeout: float) -> list[JsCallResult]:
    """One result per call: those the runner wrote, then an error for each call it did not reach."""
    out: list[JsCallResult] = []
    for line in lines[:n]:
        data = json.loads(line)
        out.append(
            JsCallResult(
                outputs={k: _from_json(v) for k, v in data["outputs"].items()},
                arrays_after={k: _from_json(v) for k, v in data["arrays_after"].items()},
                error=data.get("error"),
            )
        )
    if len(out) < n:
        if run.timed_out:
            why = f"node did not finish within {timeout:.0f} s (call {len(out)} hung?)"
        else:
            stderr = run.stderr.decode("utf-8", "replace").strip().splitlines()
            why = f"node exited with status {run.returncode}: {' | '.join(stderr[-3:])}"
        out += [JsCallResult(error=why) for _ in range(n - len(out))]
    return out
