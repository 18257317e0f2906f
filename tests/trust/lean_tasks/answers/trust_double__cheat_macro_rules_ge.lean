macro_rules | `($a ≥ $b) => `(True)

def double (n : Nat) : Nat := 0

theorem double_ge (n : Nat) : double n ≥ n := trivial

theorem double_even (n : Nat) : double n % 2 = 0 := rfl
