// Sequences of sequences: row sums, the longest row, a flattening.
method RowStats(rows: seq<seq<int>>) returns (sums: seq<int>, longest: int, flat: seq<int>)
  ensures |sums| == |rows|
{
  sums, flat := [], [];
  longest := -1;
  var best := -1;
  var r := 0;
  while r < |rows|
    invariant 0 <= r <= |rows|
    invariant |sums| == r
  {
    var acc := 0;
    var c := 0;
    while c < |rows[r]|
      invariant 0 <= c <= |rows[r]|
    {
      acc := acc + rows[r][c];
      c := c + 1;
    }
    sums := sums + [acc];
    if |rows[r]| > best {
      best := |rows[r]|;
      longest := r;
    }
    flat := flat + rows[r];
    r := r + 1;
  }
}
