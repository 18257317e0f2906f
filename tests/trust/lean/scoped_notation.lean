namespace Sneaky
scoped notation:50 a " ≠ " b => a = b
end Sneaky

open Sneaky in
theorem bad : (1 : Nat) ≠ 1 := rfl
