function method Max2(a: int, b: int): int { if a >= b then a else b }

// Maximum subarray sum (empty subarray allowed), one pass.
method MaxSubarray(a: array<int>) returns (best: int)
  ensures best >= 0
{
  best := 0;
  var cur := 0;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant best >= 0 && cur >= 0
  {
    cur := Max2(0, cur + a[i]);
    best := Max2(best, cur);
    i := i + 1;
  }
}
