unsafe def fakeImpl : Nat → Bool := fun _ => true

@[implemented_by fakeImpl] def isZero (n : Nat) : Bool := n == 0

theorem fine : isZero 0 = true := rfl
