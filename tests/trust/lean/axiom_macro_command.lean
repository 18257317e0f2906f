macro "declare_magic" : command => `(axiom magic : False)

declare_magic

theorem bad : (1 : Nat) = 2 := magic.elim
