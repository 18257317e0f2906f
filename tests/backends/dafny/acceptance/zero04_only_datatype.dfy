// verdict: UNKNOWN
// exit: 2
datatype Color = Red | Green | Blue
