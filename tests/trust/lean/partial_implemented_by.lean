partial def loopImpl (n : Nat) : Nat := loopImpl n

@[implemented_by loopImpl] def f (n : Nat) : Nat := n

theorem fine : f 1 = 1 := rfl
