method MapOps(keys: seq<int>, v: int) returns (m: map<int, int>, ks: set<int>, has: bool, size: nat)
  ensures forall k :: k in keys ==> k in m
{
  m := map[];
  var i := 0;
  while i < |keys|
    invariant 0 <= i <= |keys|
    invariant forall k :: k in keys[..i] ==> k in m
  {
    m := m[keys[i] := v + i];
    i := i + 1;
  }
  ks := m.Keys;
  has := 0 in m;
  size := |m|;
}
