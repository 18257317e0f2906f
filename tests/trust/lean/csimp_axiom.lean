def slow (n : Nat) : Nat := n
def fast (_ : Nat) : Nat := 0

axiom slow_eq_fast : @slow = @fast

attribute [csimp] slow_eq_fast

theorem bad : slow 3 = 0 := by native_decide
