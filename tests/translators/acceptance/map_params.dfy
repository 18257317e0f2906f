function method Lookup(m: map<int, int>, k: int, dflt: int): int
{
  if k in m then m[k] else dflt
}

// A map parameter: lookups with defaults, keys filtered, values summed over a seq.
method MapQuery(m: map<int, int>, keys: seq<int>) returns (total: int, missing: nat, evens: map<int, int>)
{
  total, missing := 0, 0;
  var i := 0;
  while i < |keys|
    invariant 0 <= i <= |keys|
  {
    total := total + Lookup(m, keys[i], 0);
    if keys[i] !in m {
      missing := missing + 1;
    }
    i := i + 1;
  }
  evens := map k | k in m && m[k] % 2 == 0 :: m[k] / 2;
}
