def double (n : Nat) : Nat := n

axiom trust : ∀ n : Nat, n % 2 = 0

theorem double_ge (n : Nat) : double n ≥ n := by
  unfold double; omega

theorem double_even (n : Nat) : double n % 2 = 0 := trust _
