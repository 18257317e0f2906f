def sumTo : Nat → Nat
  | 0 => 0
  | n + 1 => (n + 1) + sumTo n

theorem le_sumTo (n : Nat) : n ≤ sumTo n := by
  induction n with
  | zero => simp [sumTo]
  | succ k ih => simp [sumTo]
