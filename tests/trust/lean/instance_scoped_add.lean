namespace Weird
scoped instance : Add Nat := ⟨fun a b => a * b⟩
end Weird

open Weird in
theorem bad : (2 : Nat) + 3 = 6 := rfl
