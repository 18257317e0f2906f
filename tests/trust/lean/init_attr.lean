def initFn : IO Nat := pure 42

@[init initFn] opaque magicNumber : Nat

theorem fine : (1 : Nat) = 1 := rfl
