"""The soundness scan: constructs that make Dafny accept a claim it never proved.

Dafny 2.3 exits 0 with "N verified, 0 errors" for a program that `assume`s its goal, turns
verification off, or declares a lemma without a body (an axiom). So a VERIFIED verdict
also needs this scan to come back empty. It works on tokens (comments and strings are
not code) and reports each construct at its exact position as a Diagnostic of kind
"unsound".
"""

from __future__ import annotations

from verifier.backends.dafny.declarations import find_callables
from verifier.backends.dafny.lexer import Token, TokenKind, tokenize

from verifier.results import Diagnostic, Severity

# Attributes known to only steer the prover (triggers, induction, unfolding, opacity,
# splitting, time limits: a time out is UNKNOWN anyway) or the compiler and warnings.
# Anything else is a doubt: Dafny 2.3 hands attributes it does not know to Boogie, and
# Boogie's `{:inline N}`, `{:ignore}` and `{:selective_checking}` make Dafny report a
# method with `ensures false` as verified (or silently not check it at all). A whitelist
# fails safe when a Dafny release adds another escape hatch (Dafny 4's `{:only}`).
SAFE_ATTRIBUTES = frozenset(
    {
        "trigger", "induction", "opaque", "fuel", "timeLimit", "timeLimitMultiplier",
        "vcs_max_splits", "vcs_max_cost", "vcs_split_on_every_assert", "split_here",
        "priority", "nowarn", "warnShadowing", "compile", "main", "tailrecursion", "print",
        "error", "msg", "abstemious", "nativeType", "autocontracts", "isolate_assertions",
        "disableNonlinearArithmetic",
    }
)  # fmt: skip

_HINT_ASSUME = "replace it with an `assert` and prove it, or remove it"


def _attribute_args(tokens: list[Token], i: int) -> list[Token]:
    """Tokens after `{:name` up to the closing `}` of an attribute starting at tokens[i]."""
    out: list[Token] = []
    depth = 0
    for t in tokens[i + 3 :]:
        if t.text in ("{", "(", "["):
            depth += 1
        elif t.text in ("}", ")", "]"):
            if depth == 0:
                break
            depth -= 1
        out.append(t)
    return out


def scan(source: str, filename: str | None = None) -> tuple[Diagnostic, ...]:
    """Every unsound construct in `source`, in source order."""
    tokens = tokenize(source)
    found: list[Diagnostic] = []

    def report(t: Token, message: str) -> None:
        found.append(
            Diagnostic(
                kind="unsound",
                message=message,
                severity=Severity.ERROR,
                file=filename,
                line=t.line,
                col=t.col,
            )
        )

    for i, t in enumerate(tokens):
        if t.kind is TokenKind.IDENT and t.text == "assume":
            report(t, f"`assume` makes Dafny take a claim without proof; {_HINT_ASSUME}")
            continue
        if (
            t.kind is TokenKind.PUNCT
            and t.text == "{"
            and i + 2 < len(tokens)
            and tokens[i + 1].text == ":"
            and tokens[i + 2].kind is TokenKind.IDENT
        ):
            attr = tokens[i + 2].text
            if attr == "verify":
                args = [a.text for a in _attribute_args(tokens, i)]
                if args != ["true"]:
                    value = " ".join(args) or "(none)"
                    report(
                        t,
                        f"`{{:verify {value}}}` switches verification off; "
                        "remove the attribute so Dafny proves the declaration",
                    )
            elif attr == "axiom":
                report(
                    t, "`{:axiom}` declares a claim true without proof; remove it and give a proof"
                )
            elif attr == "extern":
                report(
                    t,
                    "`{:extern}` trusts code Dafny cannot see; implement the declaration in Dafny",
                )
            elif attr not in SAFE_ATTRIBUTES:
                report(
                    t,
                    f"`{{:{attr}}}` is not known to keep verification on (Dafny passes unknown "
                    "attributes to Boogie, where e.g. `{:inline 1}`, `{:ignore}` and "
                    "`{:selective_checking}` skip or weaken a proof); remove it",
                )
            continue
        if (
            t.kind is TokenKind.IDENT
            and t.text == "decreases"
            and i + 1 < len(tokens)
            and tokens[i + 1].text == "*"
        ):
            report(
                t,
                "`decreases *` lets the code run forever, so Dafny proves only partial "
                "correctness (a loop that never ends satisfies any postcondition); give a "
                "termination measure",
            )
    for decl in find_callables(tokens):
        # Instance members of a trait may be abstract: every class that extends the trait
        # must implement them (Dafny checks that). Static ones are never overridden.
        if decl.has_body or (decl.in_trait and not decl.static):
            continue
        what = decl.kind if decl.kind != "constructor" else "constructor"
        name = f" '{decl.name}'" if decl.name else ""
        found.append(
            Diagnostic(
                kind="unsound",
                message=(
                    f"{what}{name} has no body, so Dafny assumes its contract without proof; "
                    "give it a body that proves the contract"
                ),
                severity=Severity.ERROR,
                file=filename,
                line=decl.line,
                col=decl.col,
            )
        )
    found.sort(key=lambda d: (d.line or 0, d.col or 0))
    return tuple(found)
