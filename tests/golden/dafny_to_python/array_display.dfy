// Arrays from a display, from a lambda with a requires and reads; Dafny 2.3's optional `;`
// after specification clauses; type characteristics on type parameters.
method CopyOfArray<T(0)>(s: array<T>) returns (t: array<T>)
  ensures t.Length == s.Length;
  ensures forall j :: 0 <= j < s.Length ==> t[j] == s[j];
  ensures fresh(t);
{
  t := new T[s.Length](i requires 0 <= i < s.Length reads s => s[i]);
}

method SquaresOf(n: nat) returns (r: seq<int>)
  ensures |r| == n
{
  var a := new int[n](i => i * i);
  r := a[..];
}

method ArrayDisplays(k: int) returns (a: array<int>, b: array<char>, s: int)
  ensures a.Length == 3 && b.Length == 2
{
  a := new int[][k, -k, 0];
  b := new char[2]['x', '_'];
  s := a[0] + a[1] + a[2];
}

method MergeMaps<K(==), V>(m1: map<K, V>, m2: map<K, V>) returns (r: map<K, V>)
  ensures forall k :: k in m2 ==> k in r;
{
  r := map k | k in (m1.Keys + m2.Keys) :: if k in m2 then m2[k] else m1[k];
}
