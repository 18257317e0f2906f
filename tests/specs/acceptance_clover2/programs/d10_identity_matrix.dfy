method Identity(n: nat) returns (m: seq<seq<int>>)
  ensures m == SeqInit1(n, n)
{
  m := [];
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant m == SeqInit1(i, n)
  {
    var row := [];
    var j := 0;
    while j < n
      invariant 0 <= j <= n
      invariant row == SeqInit2(j, i)
    {
      row := row + [if i == j then 1 else 0];
      j := j + 1;
    }
    m := m + [row];
    i := i + 1;
  }
}
