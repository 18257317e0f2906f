method MinMaxSum(a: array<int>) returns (mn: int, mx: int, total: int)
  requires a.Length > 0
  ensures forall i :: 0 <= i < a.Length ==> mn <= a[i] <= mx
  ensures exists i :: 0 <= i < a.Length && a[i] == mn
  ensures exists i :: 0 <= i < a.Length && a[i] == mx
  ensures total == SumSeq(a[..])
{
  mn, mx, total := a[0], a[0], a[0];
  var k := 1;
  assert a[..1] == [a[0]];
  while k < a.Length
    invariant 1 <= k <= a.Length
    invariant forall i :: 0 <= i < k ==> mn <= a[i] <= mx
    invariant exists i :: 0 <= i < k && a[i] == mn
    invariant exists i :: 0 <= i < k && a[i] == mx
    invariant total == SumSeq(a[..k])
  {
    assert a[..k + 1][..k] == a[..k];
    if a[k] < mn { mn := a[k]; }
    if a[k] > mx { mx := a[k]; }
    total := total + a[k];
    k := k + 1;
  }
  assert a[..k] == a[..];
}
