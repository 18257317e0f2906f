def double (n : Nat) : Nat := n + n

theorem double_ge (n : Nat) : double n ≥ n := by
  unfold double; omega

theorem double_even (n : Nat) : double n % 2 = 0 := by
  unfold double; omega

theorem extra : double 3 = 6 := by decide +native
