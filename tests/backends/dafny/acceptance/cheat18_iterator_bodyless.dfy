// verdict: UNKNOWN
// exit: 2
// unsound: 5:1
// A body-less iterator: every MoveNext() caller assumes its ensures clauses.
iterator Gen() yields (x: int)
  yield ensures false
  ensures false

method Anything() ensures false
{
  var it := new Gen();
  var more := it.MoveNext();
}
