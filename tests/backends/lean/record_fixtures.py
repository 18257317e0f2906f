"""Re-record the Lean outputs the pure tests judge (needs the real Lean; ~20 s per case).

usage: python tests/backends/lean/record_fixtures.py [CASE...]
Each case `fixtures/NAME.lean` (+ optional `NAME.units`) is built with the fixed nonce
below and run once; the raw `--json` output goes to `NAME.jsonl`, the built file to
`NAME.built.lean` (the pure tests assert that the harness still builds exactly that).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from verifier.backends.lean import LeanBackend, harness, source_scan, units

HERE = Path(__file__).parent / "fixtures"
NONCE = "f1x7e5"


def build_case(name: str) -> harness.BuiltFile:
    source = (HERE / f"{name}.lean").read_text(encoding="utf-8")
    units_path = HERE / f"{name}.units"
    units_text = units_path.read_text(encoding="utf-8") if units_path.exists() else None
    return harness.build(
        source,
        dialect=harness.WASM,
        theorem_names=[t.full_name for t in source_scan.theorems(source)],
        units=units.parse_units(units_text) if units_text else (),
        units_text=units_text,
        nonce=NONCE,
    )


def record(name: str) -> None:
    backend = LeanBackend(cache=False)
    tc = backend.toolchain()
    built = build_case(name)
    (HERE / f"{name}.built.lean").write_text(built.text, encoding="utf-8")
    outcome = backend._run(tc, built.text, 600)
    lines = [json.dumps({"severity": m.severity.value, "data": m.text, "kind": m.kind or "[anonymous]",
                         "pos": {"line": m.line, "column": (m.col or 1) - 1}}) for m in outcome.messages]
    (HERE / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta = {"returncode": outcome.returncode, "timed_out": outcome.timed_out, "toolchain": tc.version}
    (HERE / f"{name}.meta.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
    print(name, meta, len(lines), "messages")


if __name__ == "__main__":
    for case in sys.argv[1:] or ["cheats", "units_model"]:
        record(case)
