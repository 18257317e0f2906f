"""LeanParanoia's exploit files through the Lean backend: how many come back VERIFIED.

usage: python benchmarks/lean_paranoia.py DATA [--json] [--cold]
DATA is a clone of https://github.com/oOo0oOo/LeanParanoia (not committed here). Every
file under `tests/lean_exploit_files/` is checked as `proofroute verify` would (warm
sessions unless --cold, no result cache). Files in `Valid/` are honest and should be
VERIFIED; every other file is an exploit and must not be. A file that imports a sibling
module of LeanParanoia's test project (`import LeanTestProject…`) cannot be checked alone:
it is counted apart as `needs-project`.

Some files outside `Valid/` prove a true statement and are exploits only against a
reference solution (LeanParanoia's own verifier and lean4checker accept them too; see its
VERIFIER_COMPARISON.md): alone they must be VERIFIED, and `TRUE_ALONE` says why for each.
With a task, the task's definitions keep their bodies, which is what catches them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from verifier.backends.lean import LeanBackend

from verifier.results import Verdict

TRUE_ALONE = {
    "AuxiliaryShadowing/MatcherShadowing.lean": "foo reuses bar's matcher; bar 5 = 4 and foo 5 = 4 hold",
    "AuxiliaryShadowing/PrivateShadowing.lean": "foo is bar's unfolding; foo [1,2,3] = bar [1,2,3] holds",
    "AuxiliaryShadowing/ProofShadowing.lean": "foo reuses bar's matcher; foo 5 = 4 holds",
    "Transitive/Level0_Clean.lean": "the clean base of the transitive chain: clean_value = 42",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args(argv)
    root = args.data / "tests" / "lean_exploit_files"
    files = sorted(root.rglob("*.lean"))
    if not files:
        print(f"no .lean files under {root}", file=sys.stderr)
        return 2
    rows = []
    with LeanBackend(cache=False, cold=args.cold) as lean:
        if not args.cold:
            lean.warm_up()
        for path in files:
            text = path.read_text(encoding="utf-8")
            category = path.parent.name
            started = time.monotonic()
            result = lean.check(text, timeout=300, filename=path.name)
            kinds = sorted({d.kind for d in result.diagnostics if d.kind != "adaptation"})
            needs_project = "import LeanTestProject" in text
            name = f"{category}/{path.name}"
            expected = "verified" if category == "Valid" or name in TRUE_ALONE else "not-verified"
            got = "verified" if result.verdict == Verdict.VERIFIED else result.verdict.value
            outcome = (
                "needs-project" if needs_project and got != "verified"
                else "ok" if (got == "verified") == (expected == "verified")
                else "FALSE-VERIFIED" if got == "verified"
                else "false-alarm"
            )  # fmt: skip
            rows.append({"file": name, "expected": expected, "verdict": got,
                         "outcome": outcome, "kinds": kinds,
                         "seconds": round(time.monotonic() - started, 2)})  # fmt: skip
            if not args.json:
                print(f"{outcome:15} {category}/{path.name:35} {got:10} {' '.join(kinds)}")
    summary = Counter(r["outcome"] for r in rows)
    if args.json:
        print(json.dumps({"summary": dict(summary), "files": rows}, indent=1))
    else:
        print(f"\n{len(rows)} files: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.items())))
    return 1 if summary["FALSE-VERIFIED"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
