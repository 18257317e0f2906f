namespace Lean.Elab

def collectAxioms {m : Type → Type} [Monad m] (_ : Lean.Name) : m (Array Lean.Name) := pure #[]

end Lean.Elab

open Lean.Elab

axiom bad_ax : False
theorem bad : (1 : Nat) = 2 := bad_ax.elim
