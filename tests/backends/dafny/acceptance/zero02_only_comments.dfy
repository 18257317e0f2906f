// verdict: UNKNOWN
// exit: 2
// Only comments here.
/* method Fake() ensures false { } */
