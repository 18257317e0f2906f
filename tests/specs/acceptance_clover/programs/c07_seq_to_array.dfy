method ToArray<T(==)>(xs: seq<T>) returns (a: array<T>)
  ensures a.Length == |xs|
  ensures forall i :: 0 <= i < |xs| ==> a[i] == xs[i]
{
  a := new T[|xs|](k requires 0 <= k < |xs| => xs[k]);
}
