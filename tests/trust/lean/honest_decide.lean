theorem t3 : (10 : Nat) % 3 = 1 := by decide

theorem t4 : [1, 2, 3].length = 3 := by decide
