def impl (_ : Nat) : Nat := 7

@[implemented_by impl] def f (n : Nat) : Nat := n

theorem fine : f 1 = 1 := rfl
