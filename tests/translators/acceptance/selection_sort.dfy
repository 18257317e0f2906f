// Selection sort over a copy: new int[n], nested loops, a swap.
method SelectionSorted(s: seq<int>) returns (a: array<int>)
  ensures a.Length == |s|
  ensures forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]
  ensures multiset(a[..]) == multiset(s)
{
  a := new int[|s|];
  var k := 0;
  while k < |s|
    invariant 0 <= k <= |s|
    invariant a[..k] == s[..k]
  {
    a[k] := s[k];
    k := k + 1;
  }
  assert a[..] == s;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall x, y :: 0 <= x < y < i ==> a[x] <= a[y]
    invariant forall x, y :: 0 <= x < i <= y < a.Length ==> a[x] <= a[y]
    invariant multiset(a[..]) == multiset(s)
  {
    var m := i;
    var j := i + 1;
    while j < a.Length
      invariant i <= m < a.Length
      invariant i + 1 <= j <= a.Length
      invariant forall t :: i <= t < j ==> a[m] <= a[t]
    {
      if a[j] < a[m] {
        m := j;
      }
      j := j + 1;
    }
    a[i], a[m] := a[m], a[i];
    i := i + 1;
  }
}
