"""Why did no generated input meet `requires`? Ask z3 on small shapes.

Called only after generation failed, to turn "Hypothesis gave up" into a message the
user can act on: either requires is unsatisfiable (z3 finds no inputs, exactly for
scalar parameters, up to a size for collections), or it is satisfiable (z3 shows an
input) and only too narrow for random generation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from verifier.specs import model as m


@dataclass(frozen=True)
class Diagnosis:
    status: str  # "unsat" | "sat" | "unknown"
    witness: dict[str, Any] | None = None
    max_size: int = 0
    exact: bool = False  # "unsat" covers every input (no collection parameters)
    reason: str = ""


def diagnose_requires(spec: m.Spec, *, max_size: int = 3, seconds: float = 8.0) -> Diagnosis:
    try:
        import z3

        from verifier.translators import spec_z3
    except ImportError as exc:  # pragma: no cover - z3-solver is a core dependency
        return Diagnosis("unknown", reason=f"z3 is not available: {exc}")
    types = {p.name: (m.SeqType(p.type.elem) if isinstance(p.type, m.ArrayType) else p.type) for p in spec.params}
    has_collections = any(spec_z3.is_collection(t) for t in types.values())
    deadline = time.monotonic() + seconds
    unknown = ""
    try:
        for shape in spec_z3.shapes_for(types, max_size, limit=120):
            left = deadline - time.monotonic()
            if left <= 0:
                return Diagnosis("unknown", reason="z3 ran out of time")
            enc, env = spec_z3.encode_pre(spec, shape)
            solver = z3.Solver()
            solver.set("timeout", max(int(left * 1000), 1))
            solver.add(*enc.constraints)
            solver.add(enc.pre())
            verdict = solver.check()
            if verdict == z3.sat:
                model = solver.model()
                witness = {p.name: spec_z3.to_python(env[p.name], types[p.name], model) for p in spec.params}
                return Diagnosis("sat", witness=witness, max_size=max_size)
            if verdict == z3.unknown:
                unknown = str(solver.reason_unknown())
    except Exception as exc:  # Unsupported constructs, nested types: no diagnosis, not a crash
        return Diagnosis("unknown", reason=f"z3 cannot encode this requires: {exc}")
    if unknown:
        return Diagnosis("unknown", reason=f"z3 answered unknown ({unknown})")
    return Diagnosis("unsat", max_size=max_size, exact=not has_collections)
