// Lomuto partition around a pivot value; returns the split point.
method PartitionAround(a: array<int>, pivot: int) returns (p: int)
  modifies a
  ensures 0 <= p <= a.Length
  ensures forall k :: 0 <= k < p ==> a[k] < pivot
  ensures forall k :: p <= k < a.Length ==> a[k] >= pivot
  ensures multiset(a[..]) == multiset(old(a[..]))
{
  p := 0;
  var j := 0;
  while j < a.Length
    invariant 0 <= p <= j <= a.Length
    invariant forall k :: 0 <= k < p ==> a[k] < pivot
    invariant forall k :: p <= k < j ==> a[k] >= pivot
    invariant multiset(a[..]) == multiset(old(a[..]))
  {
    if a[j] < pivot {
      a[p], a[j] := a[j], a[p];
      p := p + 1;
    }
    j := j + 1;
  }
}
