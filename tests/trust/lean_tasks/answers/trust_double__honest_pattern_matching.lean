def double : Nat → Nat
  | 0 => 0
  | n + 1 => double n + 2

theorem double_ge (n : Nat) : double n ≥ n := by
  induction n with
  | zero => simp [double]
  | succ k ih => simp [double]; omega

theorem double_even (n : Nat) : double n % 2 = 0 := by
  induction n with
  | zero => simp [double]
  | succ k ih => simp [double]; omega
