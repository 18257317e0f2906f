function method Hyp2(a: int, b: int): int
{
  var x := a * a; var y := b * b; x + y
}

method Hyp(a: int, b: int) returns (h: int)
  ensures h == a * a + b * b
{
  h := Hyp2(a, b);
}
