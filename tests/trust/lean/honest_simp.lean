theorem t1 (xs : List Nat) : (xs ++ []).length = xs.length := by simp
