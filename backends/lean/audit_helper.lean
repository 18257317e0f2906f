-- proofroute axiom audit (WebAssembly build: `#print axioms` is refused in a module).
-- Self-contained: this build's interpreter cannot call non-exported library helpers.
-- Leaves from imported modules are reported with `I:` (their proofs are not in the
-- exported .olean files, so they show up as leaves); the file's own with `L:`.
open Lean in
partial def _root_.ProofrouteAudit_NONCE.nameStr : Name → String
  | .anonymous => ""
  | .str p s => let q := ProofrouteAudit_NONCE.nameStr p; if q.isEmpty then s else q ++ "." ++ s
  | .num p n => let q := ProofrouteAudit_NONCE.nameStr p; (if q.isEmpty then "" else q ++ ".") ++ toString n
open Lean in
partial def _root_.ProofrouteAudit_NONCE.join (env : Environment) (a : Array Name) (i : Nat) (acc : String) : String :=
  if h : i < a.size then
    ProofrouteAudit_NONCE.join env a (i + 1)
      (acc ++ (if acc.isEmpty then "" else ",")
        ++ (match env.getModuleIdxFor? a[i] with | some _ => "I:" | none => "L:")
        ++ ProofrouteAudit_NONCE.nameStr a[i])
  else acc
open Lean in
def _root_.ProofrouteAudit_NONCE.audit (n : Name) : CoreM String := do
  return "PROOFROUTE-AXIOMS-NONCE " ++ ProofrouteAudit_NONCE.nameStr n ++ " ["
    ++ ProofrouteAudit_NONCE.join (← getEnv) (← collectAxioms n) 0 "" ++ "]"
open Lean in
def _root_.ProofrouteAudit_NONCE.typeOf (n : Name) : CoreM String := do
  match (← getEnv).find? n with
  | some ci => return "PROOFROUTE-TYPE-NONCE " ++ ProofrouteAudit_NONCE.nameStr n ++ " :: " ++ toString ci.type
  | none => return "PROOFROUTE-TYPE-NONCE " ++ ProofrouteAudit_NONCE.nameStr n ++ " ?"
