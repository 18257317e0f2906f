method Msg() returns (s: string)
  ensures s == "{assume false;} {:verify false}"
{
  s := "{assume false;} {:verify false}";
}
