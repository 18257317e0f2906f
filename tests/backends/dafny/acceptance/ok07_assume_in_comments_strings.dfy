// verdict: VERIFIED
// exit: 0
// The words below must not count as cheating: they are in comments and strings.
// assume false;
/* a block comment: assume x > 0; {:verify false} {:axiom} {:extern}
   /* nested: assume false; */ still comment: lemma Bogus() ensures false
*/
method Greeting() returns (s: string)
  ensures |s| > 0
{
  s := "please assume nothing {:verify false}";
  var c := '{';
  var t := @"verbatim ""assume"" {:axiom}";
}
