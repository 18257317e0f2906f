// verdict: UNKNOWN
// exit: 2
// error: 6:23 timeout
// error: 10:20 timeout
// A one-second per-method time limit in the source on a hard nonlinear goal.
method {:timeLimit 1} Hard(x: int, y: int, z: int)
  requires 1 < x && 1 < y && 1 < z
  requires x * x * x + y * y * y == z * z * z + 1
{
  assert x * y * z != 12345;
}
