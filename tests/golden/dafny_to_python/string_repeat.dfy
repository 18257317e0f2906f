method Repeat(s: string, n: nat) returns (r: string)
  ensures |r| == |s| * n
{
  r := "";
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant |r| == |s| * i
  {
    r := r + s;
    i := i + 1;
  }
}
