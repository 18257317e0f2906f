-- expected: refuted
theorem bad (n : Nat) : n + 1 = n := by omega
theorem good (n : Nat) : n + 1 ≠ n := by omega
