method SliceParts(s: seq<int>, i: int, j: int) returns (mid: seq<int>, pre: seq<int>, suf: seq<int>)
  requires 0 <= i <= j <= |s|
  ensures pre + mid + suf == s
{
  mid := s[i..j];
  pre := s[..i];
  suf := s[j..];
}
