open Nat in
theorem succ_pos' (n : Nat) : 0 < succ n := Nat.succ_pos n

set_option maxRecDepth 2000 in
theorem small : (2 : Nat) + 2 = 4 := by decide
