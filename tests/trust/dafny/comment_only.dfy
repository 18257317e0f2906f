// lemma Bad() ensures false
