theorem t2 (a b : Nat) (h : a < b) : a + 1 ≤ b := by omega
