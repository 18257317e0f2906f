method Corner(m: array2<int>) returns (t: int)
  requires m.Length0 > 0 && m.Length1 > 0
{
  t := m[0, 0];
}

method Table(rows: nat, cols: nat) returns (sums: seq<int>, last: int)
  ensures |sums| == rows
{
  var m := new int[rows, cols];
  var i := 0;
  while i < rows
    invariant 0 <= i <= rows
  {
    var j := 0;
    while j < cols
      invariant 0 <= j <= cols
    {
      m[i, j] := i * cols + j;
      j := j + 1;
    }
    i := i + 1;
  }
  sums := [];
  i := 0;
  while i < rows
    invariant 0 <= i <= rows && |sums| == i
  {
    var s := 0;
    var j := 0;
    while j < m.Length1
      invariant 0 <= j <= m.Length1
    {
      s := s + m[i, j];
      j := j + 1;
    }
    sums := sums + [s];
    i := i + 1;
  }
  last := if rows > 0 && cols > 0 then m[m.Length0 - 1, m.Length1 - 1] else -1;
}
