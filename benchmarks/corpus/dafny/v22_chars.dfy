predicate method IsDigit(c: char) { '0' <= c <= '9' }

method CountDigits(s: string) returns (n: nat)
  ensures n <= |s|
{
  n := 0;
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant n <= i
  {
    if IsDigit(s[i]) { n := n + 1; }
    i := i + 1;
  }
}
