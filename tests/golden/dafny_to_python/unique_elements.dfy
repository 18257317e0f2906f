method UniqueElements(xs: seq<int>) returns (s: set<int>)
  ensures forall x :: x in s ==> x in xs
  ensures forall i :: 0 <= i < |xs| ==> xs[i] in s
{
  s := {};
  var i := 0;
  while i < |xs|
    invariant 0 <= i <= |xs|
    invariant forall x :: x in s <==> x in xs[..i]
  {
    s := s + {xs[i]};
    i := i + 1;
  }
  assert xs[..i] == xs;
}
