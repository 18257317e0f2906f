axiom Empty.mk : Empty

theorem bad : False := Empty.elim Empty.mk
