@[export lean_proofroute_evil] def evil (n : Nat) : Nat := n + 1

theorem fine : evil 1 = 2 := rfl
