// verdict: VERIFIED
// exit: 0
module Arith {
  function method Max(a: int, b: int): int
  {
    if a >= b then a else b
  }

  lemma MaxIsUpper(a: int, b: int)
    ensures Max(a, b) >= a && Max(a, b) >= b
  {
  }
}

module Client {
  import A = Arith

  method Biggest(x: int, y: int, z: int) returns (m: int)
    ensures m >= x && m >= y && m >= z
  {
    A.MaxIsUpper(x, y);
    m := A.Max(A.Max(x, y), z);
  }
}
