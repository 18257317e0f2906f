theorem bad : (1 : Nat) = 2 := by
  apply?
