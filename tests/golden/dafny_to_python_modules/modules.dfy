// Modules are flattened (one Python namespace); M.f, M.T, D.C and import aliases resolve.
module Util {
  datatype List<T> = Nil | Cons(head: T, tail: List<T>)
  function method Length<T>(l: List<T>): nat { match l case Nil => 0 case Cons(_, t) => 1 + Length(t) }
}
module Main_Mod {
  import opened Util
  import U = Util
  method Build(n: nat) returns (l: U.List<int>, k: nat)
    ensures k == n
  {
    l := Util.List.Nil;
    var i := 0;
    while i < n invariant 0 <= i <= n invariant U.Length(l) == i { l := List.Cons(i, l); i := i + 1; }
    k := Util.Length(l);
  }
}
