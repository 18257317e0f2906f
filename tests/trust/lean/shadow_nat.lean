namespace Y
def Nat := Unit
theorem bad (a b : Nat) : a = b := rfl
end Y
