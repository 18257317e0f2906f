method SafeIsZero(s: seq<int>, i: int) returns (r: bool, t: bool)
  ensures r == (0 <= i < |s| && s[i] == 0)
{
  r := 0 <= i < |s| && s[i] == 0;
  t := i < 0 || i >= |s| || s[i] != 0;
}
