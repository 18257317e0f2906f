namespace A
section B
end B
theorem n : (2 : Nat) + 2 = 4 := by decide +native
end A
