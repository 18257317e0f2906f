function Tri(n: nat): nat
{
  if n == 0 then 0 else n + Tri(n - 1)
}

lemma TriClosed(n: nat)
  ensures 2 * Tri(n) == n * (n + 1)
{
  if n > 0 {
    TriClosed(n - 1);
  }
}

// nat parameters, a ghost function in the contract, a lemma called (and dropped).
method TriangleNumber(n: nat) returns (t: nat)
  ensures t == Tri(n)
  ensures 2 * t == n * (n + 1)
{
  t := 0;
  var i: nat := 0;
  ghost var steps := 0;
  while i < n
    invariant i <= n
    invariant t == Tri(i)
    invariant steps == i
  {
    i := i + 1;
    t := t + i;
    steps := steps + 1;
  }
  TriClosed(n);
}
