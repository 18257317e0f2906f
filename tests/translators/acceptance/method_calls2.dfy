method SplitEvenOdd(s: seq<int>) returns (ev: seq<int>, od: seq<int>)
  ensures |ev| + |od| == |s|
{
  ev, od := [], [];
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant |ev| + |od| == i
  {
    if s[i] % 2 == 0 { ev := ev + [s[i]]; } else { od := od + [s[i]]; }
    i := i + 1;
  }
}

// Calls to a method with several results; results bound with var a, b := ...
method EvenOddSizes(s: seq<int>) returns (ne: int, no: int, firstOdd: int)
  ensures ne + no == |s|
{
  var ev, od := SplitEvenOdd(s);
  ne, no := |ev|, |od|;
  firstOdd := if |od| > 0 then od[0] else 0;
  var x, y := SplitEvenOdd(od);
  assert |x| + |y| == |od|;
}
