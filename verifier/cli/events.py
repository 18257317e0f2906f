"""One human line per loop event: what `generate` prints locally and what `watch` prints
for a job on a server, so a remote run reads like a local one. Kept apart from the
commands so that the light service verbs do not import the whole generation stack.
"""

from __future__ import annotations

from verifier.transcript import Event


def describe(event: Event) -> str | None:
    """One human line per interesting event, or None for bookkeeping events."""
    d = event.data
    at = f"{event.at:6.1f}s"
    if event.kind == "prompt":
        kind = "task" if d.get("turns", 0) <= 2 else "repair"
        return f"{at}  round {d['round']}: {kind} prompt (~{d['approx_tokens']} tokens)"
    if event.kind == "response":
        toks = d.get("input_tokens", 0) + d.get("output_tokens", 0)
        cost = f" ({toks} tokens)" if toks else ""
        return f"{at}  attempt {d['attempt']}: model replied{cost}"
    if event.kind == "guard":
        if d["ok"]:
            return None
        first = d["problems"][0] if d["problems"] else {"message": "refused"}
        where = f"line {first['line']}: " if first.get("line") else ""
        return f"{at}  attempt {d['attempt']}: guard REFUSED — {where}{first['message']}"[:240]
    if event.kind == "quicktest":
        if d["refuted"]:
            return (f"{at}  attempt {d['attempt']}: quick test REFUTED in {d['seconds']:.2f}s — "
                    f"{d['failure']} (Dafny not called)")[:300]
        return f"{at}  attempt {d['attempt']}: quick test passed on {d['inputs']} inputs"
    if event.kind == "check":
        took = "from the result cache" if d.get("cached") else f"in {d['seconds']:.2f}s"
        label = d.get("label") or d.get("backend", "?")
        line = f"{at}  attempt {d['attempt']}: {label} {d['verdict'].upper()} {took}"
        diags = [x for x in d.get("diagnostics", []) if x.get("line")]
        if diags and d["verdict"] != "verified":
            line += f" — line {diags[0]['line']}: {diags[0]['message']}"
        return line[:240]
    if event.kind == "restart":
        return f"{at}  fresh conversation after {d['restarts']} failed repair series"
    if event.kind == "llm-error":
        return f"{at}  model provider failed: {d['message']}"[:240]
    if event.kind == "outcome":
        if d["verified"]:
            return f"{at}  VERIFIED at attempt {d['attempt']}"
        return f"{at}  NOT VERIFIED: {d['reason']}"
    return None
