method MaxMultiplicity(xs: seq<int>) returns (c: nat)
  ensures forall x :: x in xs ==> multiset(xs)[x] <= c
  ensures |xs| == 0 ==> c == 0
  ensures |xs| > 0 ==> exists x :: x in xs && multiset(xs)[x] == c
{
  c := 0;
  var i := 0;
  while i < |xs|
    invariant 0 <= i <= |xs|
    invariant forall j :: 0 <= j < i ==> multiset(xs)[xs[j]] <= c
    invariant i == 0 ==> c == 0
    invariant i > 0 ==> exists x :: x in xs && multiset(xs)[x] == c
  {
    var m := multiset(xs)[xs[i]];
    if m > c {
      c := m;
    }
    i := i + 1;
  }
}
