datatype Tree = Leaf | Node(left: Tree, val: int, right: Tree)

function Size(t: Tree): nat
{
  match t
  case Leaf => 0
  case Node(l, _, r) => Size(l) + 1 + Size(r)
}

function method Apply(f: int -> int, x: int): int { f(x) }

method Lambdas(s: seq<int>) returns (m: map<int, int>, total: int)
  ensures forall k :: k in m ==> m[k] == 2 * k
  ensures total == Apply(x => x + 1, 1)
{
  m := map k | k in s :: 2 * k;
  var g := (x: int) => x + 1;
  total := g(1);
  var pair := (1, 2);
  assert pair.0 + pair.1 == 3;
  var w := if |s| > 0 then s[0] else 0;
  calc {
    total;
  == { assert g(1) == 2; }
    2;
  }
  var i := 0;
  while i < 3
    invariant 0 <= i <= 3
    decreases 3 - i
  {
    i := i + 1;
  }
}

abstract module Spec {
  function F(x: int): int
  lemma Pos(x: int) ensures F(x) >= x
}

module Impl refines Spec {
  function F(x: int): int { x + 1 }
  lemma Pos(x: int) ensures F(x) >= x { }
}
