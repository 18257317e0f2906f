inductive MyFalse : Prop

axiom MyFalse.rec' : (motive : Prop) → motive

theorem bad : False := MyFalse.rec' False
