method Inc(m: map<string, int>, k: string) returns (r: map<string, int>)
  ensures k in r
  ensures k in m ==> r[k] == m[k] + 1
  ensures k !in m ==> r[k] == 1
  ensures forall j :: j in m && j != k ==> j in r && r[j] == m[j]
{
  if k in m {
    r := m[k := m[k] + 1];
  } else {
    r := m[k := 1];
  }
}
