namespace X
def False : Prop := True
theorem bad : False := trivial
end X
