method BubbleSort(a: array<int>)
  modifies a
  ensures forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]
  ensures multiset(a[..]) == multiset(old(a[..]))
{
  var hi := a.Length;
  while hi > 1
    invariant 0 <= hi <= a.Length
    invariant forall x, y :: hi <= x < y < a.Length ==> a[x] <= a[y]
    invariant forall x, y :: 0 <= x < hi <= y < a.Length ==> a[x] <= a[y]
    invariant multiset(a[..]) == multiset(old(a[..]))
  {
    var j := 0;
    while j < hi - 1
      invariant 0 <= j <= hi - 1
      invariant forall x :: 0 <= x <= j ==> a[x] <= a[j]
      invariant forall x, y :: hi <= x < y < a.Length ==> a[x] <= a[y]
      invariant forall x, y :: 0 <= x < hi <= y < a.Length ==> a[x] <= a[y]
      invariant multiset(a[..]) == multiset(old(a[..]))
    {
      if a[j] > a[j + 1] {
        a[j], a[j + 1] := a[j + 1], a[j];
      }
      j := j + 1;
    }
    hi := hi - 1;
  }
}
