def double (k : Nat) : Nat := k * 2

theorem double_ge (m : Nat) : double m ≥ m := by
  unfold double; omega

theorem double_even (m : Nat) : double m % 2 = 0 := by
  unfold double; omega
