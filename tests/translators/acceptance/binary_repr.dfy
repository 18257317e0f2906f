// Binary digits of a nat as a string, most significant first.
method ToBinary(n: nat) returns (s: string)
  ensures |s| >= 1
{
  if n == 0 {
    return "0";
  }
  s := "";
  var m := n;
  while m > 0
    invariant m >= 0
    invariant m < n ==> |s| >= 1
    invariant m == n ==> |s| == 0
    decreases m
  {
    s := (if m % 2 == 1 then "1" else "0") + s;
    m := m / 2;
  }
}
