import Lean
open Lean Elab Command Term Meta

syntax (name := forgeTerm2) "forge2!" : term

def elabForge2 : TermElab := fun _ type? => do
  let some type := type? | throwError "need a type"
  return mkApp2 (mkConst ``sorryAx [levelZero]) type (mkConst ``Bool.false)

attribute [term_elab forgeTerm2] elabForge2

theorem bad : (1 : Nat) = 2 := forge2!
