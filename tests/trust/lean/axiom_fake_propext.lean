axiom propext' {a b : Prop} : a = b

theorem bad : True = False := propext'
