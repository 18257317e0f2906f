theorem bad : (1 : Nat) = 2 := by
  exact (rfl : (2 : Nat) = 2)
