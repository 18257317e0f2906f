-- expected: verified
def sumTo : Nat → Nat
  | 0 => 0
  | n + 1 => (n + 1) + sumTo n

theorem sumTo_ge (n : Nat) : n ≤ sumTo n := by
  induction n with
  | zero => simp [sumTo]
  | succ k ih => simp only [sumTo]; omega

theorem rev_rev (l : List Nat) : l.reverse.reverse = l := by simp
