namespace Sneaky

def Nat := Unit

end Sneaky

open Sneaky

def double (n : Nat) : Nat := n

theorem double_ge (n : Nat) : double n ≥ n := by
  sorry

theorem double_even (n : Nat) : double n % 2 = 0 := by
  sorry
