// verdict: REFUTED
// exit: 1
// error: 15:14 precondition
function method Get(s: seq<int>, i: int): int
  requires 0 <= i < |s|
{
  s[i]
}

method Scan(s: seq<int>)
{
  var i := 0;
  while i <= |s|
  {
    var v := Get(s, i);
    i := i + 1;
  }
}
