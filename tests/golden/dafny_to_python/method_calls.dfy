method Divide(a: int, b: int) returns (q: int, r: int)
  requires b > 0
  ensures a == b * q + r && 0 <= r < b
{
  q := a / b;
  r := a % b;
}

method DigitSum(n: nat) returns (s: nat)
{
  s := 0;
  var m := n;
  while m > 0
    decreases m
  {
    var q, r := Divide(m, 10);
    s := s + r;
    m := q;
  }
}
