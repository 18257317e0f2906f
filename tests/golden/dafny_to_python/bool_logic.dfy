method Logic(a: bool, b: bool, c: bool) returns (imp: bool, exp: bool, iff: bool, mix: bool)
  ensures imp == (!a || b)
{
  imp := a ==> b;
  exp := a <== b;
  iff := a <==> b;
  mix := (a && b) || (!a && c) ==> b != c;
}
