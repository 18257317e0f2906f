// verdict: REFUTED
// exit: 1
// error: 6:26 assertion
// A UTF-8 byte-order mark, then non-ASCII text before the error.
method M()
{ var s := "é"; assert 1 == 2; var t := "😀"; }
