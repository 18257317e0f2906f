datatype Rec = Record(id: int, qty: int)
datatype Opt = None | Some(at: int)

method FindById(rs: seq<Rec>, key: int) returns (r: Opt)
  ensures match r case None => forall i :: 0 <= i < |rs| ==> rs[i].id != key case Some(k) => 0 <= k < |rs| && rs[k].id == key && forall i :: 0 <= i < k ==> rs[i].id != key
  ensures Found(r) <==> exists i :: 0 <= i < |rs| && rs[i].id == key
{
  var n := 0;
  while n < |rs|
    invariant 0 <= n <= |rs|
    invariant forall i :: 0 <= i < n ==> rs[i].id != key
  {
    if rs[n].id == key {
      return Some(n);
    }
    n := n + 1;
  }
  return None;
}
