namespace Evil

def collectAxioms {m : Type → Type} [Monad m] (_ : Lean.Name) : m (Array Lean.Name) := pure #[]

axiom bad_ax : False
theorem bad : (1 : Nat) = 2 := bad_ax.elim
