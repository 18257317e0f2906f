method SquareMap(n: nat) returns (m: map<int, int>)
  ensures forall i :: 0 <= i < n ==> i in m && m[i] == i * i
{
  m := map i | 0 <= i < n :: i * i;
}
