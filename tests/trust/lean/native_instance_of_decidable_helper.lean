theorem helper : (2 : Nat) + 2 = 4 := by decide +native

theorem main : (2 : Nat) + 2 = 4 := helper
