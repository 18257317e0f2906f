predicate SortedBetween(a: array<int>, lo: int, hi: int)
  requires 0 <= lo <= hi <= a.Length
  reads a
{
  forall i, j :: lo <= i < j < hi ==> a[i] <= a[j]
}

// Nested while loops, in-place swaps with a multi-assignment.
method BubbleSort(a: array<int>)
  modifies a
  ensures SortedBetween(a, 0, a.Length)
  ensures multiset(a[..]) == multiset(old(a[..]))
{
  var i := a.Length - 1;
  while i > 0
    invariant -1 <= i < a.Length
    invariant SortedBetween(a, i + 1, a.Length)
    invariant forall x, y :: 0 <= x <= i < y < a.Length ==> a[x] <= a[y]
    invariant multiset(a[..]) == multiset(old(a[..]))
    decreases i
  {
    var j := 0;
    while j < i
      invariant 0 <= j <= i
      invariant SortedBetween(a, i + 1, a.Length)
      invariant forall x, y :: 0 <= x <= i < y < a.Length ==> a[x] <= a[y]
      invariant forall k :: 0 <= k <= j ==> a[k] <= a[j]
      invariant multiset(a[..]) == multiset(old(a[..]))
      decreases i - j
    {
      if a[j] > a[j + 1] {
        a[j], a[j + 1] := a[j + 1], a[j];
      }
      j := j + 1;
    }
    i := i - 1;
  }
}
