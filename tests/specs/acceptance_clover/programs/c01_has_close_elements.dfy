method has_close_elements(numbers: seq<real>, threshold: real) returns (res: bool)
  requires threshold >= 0.0
  ensures res ==> exists i: int, j: int :: 0 <= i < |numbers| && 0 <= j < |numbers| && i != j && (if numbers[i] - numbers[j] < 0.0 then numbers[j] - numbers[i] else numbers[i] - numbers[j]) < threshold
  ensures !res ==> (forall i: int, j: int :: 1 <= i < |numbers| && 0 <= j < i ==> (if numbers[i] - numbers[j] < 0.0 then numbers[j] - numbers[i] else numbers[i] - numbers[j]) >= threshold)
{
  res := false;
  var p := 0;
  while p < |numbers|
    invariant 0 <= p <= |numbers|
    invariant forall i: int, j: int :: 1 <= i < p && 0 <= j < i ==> (if numbers[i] - numbers[j] < 0.0 then numbers[j] - numbers[i] else numbers[i] - numbers[j]) >= threshold
  {
    var q := 0;
    while q < p
      invariant 0 <= q <= p
      invariant forall j: int :: 0 <= j < q ==> (if numbers[p] - numbers[j] < 0.0 then numbers[j] - numbers[p] else numbers[p] - numbers[j]) >= threshold
    {
      var gap := if numbers[p] - numbers[q] < 0.0 then numbers[q] - numbers[p] else numbers[p] - numbers[q];
      if gap < threshold {
        res := true;
        return;
      }
      q := q + 1;
    }
    p := p + 1;
  }
}
