// This file mentions assume and {:verify false} only in comments and strings:
// assume false;
/* method Hidden() ensures false   /* nested: assume false; */   {:axiom} */
method Greeting() returns (s: string)
  ensures s == "assume {:verify false} {:axiom}"
{
  s := "assume {:verify false} {:axiom}";
}

method Quote() returns (c: char)
  ensures c == '\''
{
  c := '\'';
}
