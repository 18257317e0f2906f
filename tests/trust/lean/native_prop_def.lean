def n : (2 : Nat) + 2 = 4 := by decide +native
