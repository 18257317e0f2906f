// Bitvectors: arithmetic modulo 2^N, bitwise `&` and `^`, shifts, complement, and
// conversions to and from int (DafnyBench's swap-by-xor and xor-of-sequences tasks).
method XorSwap(X: bv8, Y: bv8) returns (x: bv8, y: bv8)
  ensures x == Y && y == X
{
  x, y := X, Y;
  x := x ^ y;
  y := x ^ y;
  x := x ^ y;
}

method XorAll(a: seq<bv32>, b: seq<bv32>) returns (r: seq<bv32>)
  requires |a| == |b|
  ensures |r| == |a| && forall i :: 0 <= i < |r| ==> r[i] == a[i] ^ b[i]
{
  r := [];
  var i := 0;
  while i < |a|
    invariant 0 <= i <= |a| && |r| == i
    invariant forall k :: 0 <= k < i ==> r[k] == a[k] ^ b[k]
  {
    r := r + [a[i] ^ b[i]];
    i := i + 1;
  }
}

method Wrap(a: bv8, b: bv16, d: nat) returns (sum: bv8, diff: bv8, prod: bv16, shl: bv16, shr: bv16, low: bv8, neg: bv8)
  requires d < 16
{
  sum := a + 200;
  diff := a - 10;
  prod := b * 300;
  shl := b << d;
  shr := b >> d;
  low := !a & 0x0F;
  neg := -a;
}

method BitCount(x: bv16) returns (n: int)
  ensures 0 <= n <= 16
{
  n := 0;
  var y := x;
  var i := 0;
  while i < 16
    invariant 0 <= i <= 16 && 0 <= n <= i
  {
    if y & 1 == 1 { n := n + 1; }
    y := y >> 1;
    i := i + 1;
  }
}

method FromInt(k: nat) returns (b: bv8, back: int)
  requires k < 256
  ensures back == k
{
  b := k as bv8;
  back := b as int;
}
