method AddInto(src: array<int>, dst: array<int>)
  requires src != dst
  requires src.Length == dst.Length
  modifies dst
  ensures forall i :: 0 <= i < dst.Length ==> dst[i] == old(dst[i]) + src[i]
{
  var n := 0;
  while n < dst.Length
    invariant 0 <= n <= dst.Length
    invariant forall i :: 0 <= i < n ==> dst[i] == old(dst[i]) + src[i]
    invariant forall i :: n <= i < dst.Length ==> dst[i] == old(dst[i])
  {
    dst[n] := dst[n] + src[n];
    n := n + 1;
  }
}
