// verdict: REFUTED
// exit: 1
// error: 7:31 assertion
// Non-ASCII text before the error: columns count characters, not UTF-8 bytes.
method U()
{
  var s := "hé😀€"; assert |s| == 3;
}
