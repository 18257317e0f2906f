axiom deep : False

theorem l1 : (1 : Nat) = 2 := deep.elim
theorem l2 : (1 : Nat) = 2 := l1
theorem l3 : (1 : Nat) = 2 := l2
