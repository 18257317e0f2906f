predicate method IsLower(c: char) { 'a' <= c <= 'z' }
predicate method IsDigitC(c: char) { '0' <= c <= '9' }

// String scanning with chained char comparisons.
method ClassifyChars(s: string) returns (lower: nat, digits: nat, other: nat)
  ensures lower + digits + other == |s|
{
  lower, digits, other := 0, 0, 0;
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant lower + digits + other == i
  {
    var c := s[i];
    if IsLower(c) {
      lower := lower + 1;
    } else if IsDigitC(c) {
      digits := digits + 1;
    } else {
      other := other + 1;
    }
    i := i + 1;
  }
}
