local notation "⊥⊥" => True

theorem bad : ⊥⊥ := trivial
