method EvenDoubles(s: seq<int>) returns (e: set<int>, r: set<int>)
{
  e := set x | x in s && x % 2 == 0 :: x * 2;
  r := set i | 0 <= i < |s| :: i;
}
