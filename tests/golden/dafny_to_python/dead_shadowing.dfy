// A local that shadows a live result and is never read: dropped like any dead local
// (it used to be emitted as `r_2 = 100`, an unused variable ruff rejects), while a
// shadowing local that is read stays.
method DeadShadow(n: nat) returns (r: int)
{
  r := 1;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
  {
    var r := i * 2;
    i := i + 1;
  }
  if n > 3 {
    var r := 100;
  }
  var n := n + 0;
  r := r + n;
}
