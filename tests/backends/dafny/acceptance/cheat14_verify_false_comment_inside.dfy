// verdict: UNKNOWN
// exit: 2
// unsound: 5:8
// A comment inside the attribute must not hide it from the scan.
method {:verify /* nothing to see */ false} W()
  ensures false
{
}
