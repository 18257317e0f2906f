trait Shape {
  function method Area(): nat
    reads this
}

class Square extends Shape {
  var side: nat
  constructor (s: nat)
    ensures side == s
  {
    side := s;
  }
  function method Area(): nat
    reads this
  {
    side * side
  }
}
