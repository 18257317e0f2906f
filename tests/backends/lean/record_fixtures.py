"""Re-record the trusted driver's answers the pure tests judge (needs the real Lean).

usage: python tests/backends/lean/record_fixtures.py [CASE...]
Each case `fixtures/NAME.lean` (+ optional `NAME.units`) is built with the fixed nonce
below and checked once by a fresh trusted driver; its raw answer goes to
`NAME.response`, the built file to `NAME.built.lean` (the pure tests assert that the
harness still builds exactly that).
"""

from __future__ import annotations

import sys
from pathlib import Path

from verifier.backends.lean import LeanBackend, harness, source_scan, units
from verifier.backends.lean.session import WarmSession

HERE = Path(__file__).parent / "fixtures"
NONCE = "f1x7e5"
CASES = ("cheats", "audit_model", "units_model")


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
    tc = LeanBackend(cache=False).toolchain()
    built = build_case(name)
    (HERE / f"{name}.built.lean").write_text(built.text, encoding="utf-8")
    session = WarmSession(tc.argv, tc.environ(), ("Init",))
    try:
        session.wait_ready()
        raw = session.exchange(built.text, 600)
    finally:
        session.close()
    (HERE / f"{name}.response").write_bytes(raw)
    print(name, len(raw), "bytes")


if __name__ == "__main__":
    for case in sys.argv[1:] or CASES:
        record(case)
