// `>` before `{`: the token reader took the set display for a body.
lemma Bad(S: set<int>)
  ensures S > {1}

method Use() ensures false
{
  Bad({});
}
