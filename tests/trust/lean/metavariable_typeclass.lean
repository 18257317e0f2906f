theorem bad : (1 : Nat) = 2 := by
  exact (inferInstance : Inhabited ((1 : Nat) = 2)).default
