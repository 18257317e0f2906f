def double (n : Int) : Int := n + n

theorem double_ge (n : Int) : double n ≥ n := by
  sorry

theorem double_even (n : Int) : double n % 2 = 0 := by
  unfold double; omega
