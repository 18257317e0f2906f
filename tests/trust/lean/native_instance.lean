class Fact' (p : Prop) : Prop where
  out : p

instance four : Fact' ((2 : Nat) + 2 = 4) := ⟨by decide +native⟩
