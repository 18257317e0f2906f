unsafe inductive Bad where
  | mk : (Bad → False) → Bad

theorem fine : (1 : Nat) = 1 := rfl
