instance bogus : Nonempty False := sorry

theorem bad : False := Classical.choice inferInstance
