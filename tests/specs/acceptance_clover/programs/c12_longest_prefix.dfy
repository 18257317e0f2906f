method LongestCommonPrefix(str1: seq<char>, str2: seq<char>) returns (prefix: seq<char>)
  ensures |prefix| <= |str1| && prefix == str1[0..|prefix|] && |prefix| <= |str2| && prefix == str2[0..|prefix|]
  ensures |prefix| == |str1| || |prefix| == |str2| || (str1[|prefix|] != str2[|prefix|])
{
  var n := 0;
  while n < |str1| && n < |str2| && str1[n] == str2[n]
    invariant 0 <= n <= |str1| && n <= |str2|
    invariant str1[..n] == str2[..n]
  {
    n := n + 1;
  }
  prefix := str1[..n];
}
