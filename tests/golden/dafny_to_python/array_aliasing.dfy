method AliasWrite(a: array<int>, v: int) returns (r: int, same: bool)
  requires a.Length > 0
  modifies a
  ensures r == v && same
  ensures a[0] == v
{
  var b := a;
  b[0] := v;
  r := a[0];
  same := a == b;
}
