private axiom hidden : False

theorem bad : (1 : Nat) = 2 := hidden.elim
