namespace Z
def Eq (_ _ : Nat) : Prop := True
theorem bad : Eq 1 2 := trivial
end Z
