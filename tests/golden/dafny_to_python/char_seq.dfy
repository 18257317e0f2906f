method CharStuff(s: string, c: char) returns (t: string, has: bool, idx: int, code: int)
  requires |s| > 0
{
  t := [c] + s[1..];  // s[0 := c] on strings crashes Dafny 2.3's JS build
  has := c in s;
  idx := if s[0] == c then 0 else -1;
  code := s[0] as int;
}
