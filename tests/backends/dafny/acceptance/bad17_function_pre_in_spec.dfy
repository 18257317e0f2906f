// verdict: REFUTED
// exit: 1
// error: 10:20 postcondition
// An error inside a nested if, deeper in a method with a passing sibling branch.
method Classify(x: int) returns (c: int)
  ensures c >= 0
{
  if x > 0 {
    c := 1;
  } else if x < -5 {
    c := -1;
  } else {
    c := 0;
  }
}
