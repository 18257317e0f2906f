// verdict: UNKNOWN
// exit: 2
// error: 6:8 timeout
// error: 10:20 timeout
// Hard nonlinear arithmetic, checked with a small --timeout: a time out, never VERIFIED.
method Hard(x: int, y: int, z: int)
  requires 1 < x && 1 < y && 1 < z
  requires x * x * x + y * y * y == z * z * z + 1
{
  assert x * y * z != 12345;
}
