// Merge two sorted arrays into a new array.
method MergeArrays(a: array<int>, b: array<int>) returns (c: array<int>)
  requires forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]
  requires forall i, j :: 0 <= i < j < b.Length ==> b[i] <= b[j]
  ensures c.Length == a.Length + b.Length
  ensures fresh(c)
{
  c := new int[a.Length + b.Length];
  var i, j, k := 0, 0, 0;
  while k < c.Length
    invariant 0 <= i <= a.Length && 0 <= j <= b.Length
    invariant k == i + j
    invariant k <= c.Length
  {
    if j >= b.Length || (i < a.Length && a[i] <= b[j]) {
      c[k] := a[i];
      i := i + 1;
    } else {
      c[k] := b[j];
      j := j + 1;
    }
    k := k + 1;
  }
}
