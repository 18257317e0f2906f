function method ShiftChar(c: char, k: int): char
{
  if 'a' <= c <= 'z' then ((c as int - 'a' as int + k) % 26 + 'a' as int) as char
  else if 'A' <= c <= 'Z' then ((c as int - 'A' as int + k) % 26 + 'A' as int) as char
  else c
}

// Char arithmetic with `as int` / `as char`; k may be negative (Euclidean %).
method Caesar(s: string, k: int) returns (t: string)
  ensures |t| == |s|
{
  t := "";
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant |t| == i
  {
    t := t + [ShiftChar(s[i], k)];
    i := i + 1;
  }
}

method ParseNat(s: string) returns (ok: bool, v: nat)
{
  v := 0;
  if |s| == 0 {
    return false, 0;
  }
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
  {
    if !('0' <= s[i] <= '9') {
      return false, 0;
    }
    v := v * 10 + (s[i] as int - '0' as int);
    i := i + 1;
  }
  ok := true;
}
