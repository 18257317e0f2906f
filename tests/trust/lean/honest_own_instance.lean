structure Money where
  cents : Nat

instance : Add Money := ⟨fun a b => ⟨a.cents + b.cents⟩⟩

theorem money_add (a b : Money) : (a + b).cents = a.cents + b.cents := rfl
