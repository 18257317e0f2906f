inductive Big : Type where
  | mk : Type → Big

theorem fine : (1 : Nat) = 1 := rfl
