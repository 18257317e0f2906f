theorem n : (2 : Nat) + 2 = 4 := by native_decide
