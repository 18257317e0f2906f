unsafe def cheat : (1 : Nat) = 2 := unsafeCast ()
