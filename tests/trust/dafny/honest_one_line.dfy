lemma A(s: set<int>) requires s > {1} ensures 1 in s {} lemma B() ensures |{1}| == 1 {}
