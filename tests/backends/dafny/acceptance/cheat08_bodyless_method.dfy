// verdict: UNKNOWN
// exit: 2
// unsound: 4:1
method MagicSort(a: array<int>)
  modifies a
  ensures forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]

method Client(a: array<int>)
  modifies a
  ensures forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]
{
  MagicSort(a);
}
