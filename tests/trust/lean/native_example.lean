example : (2 : Nat) + 2 = 4 := by decide +native

theorem fine : (1 : Nat) = 1 := rfl
