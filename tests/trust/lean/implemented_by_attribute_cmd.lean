def impl (_ : Nat) : Bool := true

def isOdd (n : Nat) : Bool := n % 2 == 1

attribute [implemented_by impl] isOdd

theorem fine : isOdd 1 = true := rfl
