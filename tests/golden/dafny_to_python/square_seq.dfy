// Reference solution of specs/examples/square_seq.toml, against its Dafny 2.3 contract:
// Dafny 2.3 has no seq(n, i => e), so the spec's seq(n, i => i * i + k) is the generated SeqInit1.
function SeqInit1(n: int, k: int): seq<int>
  requires n >= 0
  decreases n
{
  if n == 0 then [] else SeqInit1(n - 1, k) + [var i := n - 1; i * i + k]
}

method SquareSeq(n: nat, k: int) returns (s: seq<int>)
  ensures s == SeqInit1(n, k)
{
  s := [];
  var j := 0;
  while j < n
    invariant 0 <= j <= n
    invariant s == SeqInit1(j, k)
  {
    s := s + [j * j + k];
    j := j + 1;
  }
}
