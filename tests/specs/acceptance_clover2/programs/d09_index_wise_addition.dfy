method IndexWiseAddition(a: seq<seq<int>>, b: seq<seq<int>>) returns (result: seq<seq<int>>)
  requires |a| > 0 && |b| > 0
  requires |a| == |b|
  requires forall i :: 0 <= i < |a| ==> |a[i]| == |b[i]|
  ensures |result| == |a|
  ensures forall i :: 0 <= i < |result| ==> |result[i]| == |a[i]|
  ensures forall i :: 0 <= i < |result| ==> forall j :: 0 <= j < |result[i]| ==> result[i][j] == a[i][j] + b[i][j]
{
  result := [];
  var i := 0;
  while i < |a|
    invariant 0 <= i <= |a|
    invariant |result| == i
    invariant forall r :: 0 <= r < i ==> |result[r]| == |a[r]|
    invariant forall r :: 0 <= r < i ==> forall c :: 0 <= c < |result[r]| ==> result[r][c] == a[r][c] + b[r][c]
  {
    var ai, bi := a[i], b[i];
    var row := new int[|ai|](j requires 0 <= j < |ai| => ai[j] + bi[j]);
    result := result + [row[..]];
    i := i + 1;
  }
}
