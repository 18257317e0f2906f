theorem bad : (1 : Nat) = 2 := sorryAx _ false
