"""What the dashboard's marks and columns mean, shown beside them (the definitions are docs/journeys.md's)."""

from __future__ import annotations

MARKS = {
    "quotable": "may be quoted: the member granted quoting (consent status granted, scope quote); their words may"
    " appear verbatim in exports and the report",
    "analysis only": "analysed, not quoted: no consent row, or consent to analysis only; the text is shown here for"
    " analysis and withheld from anything that leaves the machine under --quotes consented",
    "excluded": "excluded: the member refused, withdrew or asked to be excluded; their text is withheld everywhere",
    "decentered": "decentered: a collaborative message about someone else's situation, without reference to the"
    " author's own health (the codebook's rule)",
    "lexicon": "coded by the codebook's marker lexicon (confidence: margin between the two best stage scores)",
    "model": "coded by the trained model (confidence: its probability for the primary code)",
    "human": "decided by a reviewer (the coder column names them)",
}

MILESTONES = {
    "reply_to_other": "first reply to another member",
    "community": "first message coded community",
    "collaborative": "first message coded collaborative",
    "decentered": "first decentered message after asking for help (days from the first request; none for a member"
    " who arrived helping)",
    "societal": "first message coded societal",
    "core": "first message in a month when the member is in the main k-core of that month's reply network (more members"
    " reach a month's core than the whole corpus' core of the community page); no delay in the month of the member's"
    " first message, where it is 0 by construction (the core is known per month)",
}

METRICS = {
    "arrived_helping": "the first coded message already helps others (collaborative): never at risk of decentering",
    "at_risk_since": "first request for help for oneself (or first message): where the delay to decentering starts",
    "n_messages": "messages written",
    "n_coded": "messages with a stage code",
    "active_days": "distinct days with a message",
    "words": "words written (volume)",
    "n_threads": "threads posted in",
    "we_ratio_mean": "mean share of 'we' among first-person pronouns (I-to-we)",
    "we_slope": "trend of that share over the member's messages (> 0: more 'we' over time)",
    "we_slope_p": "permutation p-value of the trend (one test per member: about 5% of them pass p < 0.05 by chance)",
    "tu_shift": "French: change in the share of informal 'tu' from the earlier to the later half",
    "recency_days": "days between the last message and the corpus' end (recency)",
    "active_periods": "distinct active periods (frequency)",
    "longest_run": "longest run of consecutive active periods",
    "r_score": "recency score 1-5 (5 = most recent quintile)",
    "f_score": "frequency score 1-5",
    "v_score": "volume score 1-5",
    "segment": "RFM segment: champion (R, F, V >= 4), loyal (F >= 4), recent_infrequent (R >= 4, F <= 2), lapsing"
    " (R <= 2, F >= 3), dormant (R <= 2, F <= 2), occasional (the rest)",
}
