-- expected: verified
theorem add_zero' (n : Nat) : n + 0 = n := by simp
theorem add_comm' (a b : Nat) : a + b = b + a := by omega
theorem mul_two (n : Nat) : 2 * n = n + n := by omega
