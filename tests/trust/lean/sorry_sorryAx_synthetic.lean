theorem bad : (1 : Nat) = 2 := sorryAx ((1 : Nat) = 2) true
