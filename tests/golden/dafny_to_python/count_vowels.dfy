predicate method IsVowel(c: char)
{
  c in "aeiouAEIOU"
}

method CountVowels(s: string) returns (n: nat)
  ensures n <= |s|
{
  n := 0;
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant n <= i
  {
    if IsVowel(s[i]) {
      n := n + 1;
    }
    i := i + 1;
  }
}
