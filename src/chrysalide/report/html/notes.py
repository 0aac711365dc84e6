"""Method notes and references: what each figure computes, named with its source."""

from __future__ import annotations

from chrysalide.community.bursts import LEVEL_WEEKS
from chrysalide.journeys.survival_model import (
    MIN_AT_RISK_MEDIAN,
    MIN_BOARD_EVENTS,
    MIN_EVENTS_PER_COVARIATE,
    MIN_EVENTS_PER_COVARIATE_FIT,
    WEEK_DAYS,
)

REFERENCES: dict[str, str] = {
    "fayn2021": "Fayn M.-G., des Garets V., Rivière A. (2021). Collective empowerment of an online patient "
    "community: conceptualizing process dynamics using a multi-method qualitative approach. "
    "BMC Health Services Research 21:958.",
    "reinert1983": "Reinert M. (1983). Une méthode de classification descendante hiérarchique : application à "
    "l'analyse lexicale par contexte. Cahiers de l'analyse des données 8(2):187-198.",
    "reinert1990": "Reinert M. (1990). Alceste, une méthodologie d'analyse des données textuelles et une "
    "application : Aurélia de Gérard de Nerval. Bulletin de méthodologie sociologique 26:24-54.",
    "benzecri1973": "Benzécri J.-P. (1973). L'analyse des données, tome 2 : L'analyse des correspondances. Dunod.",
    "greenacre2007": "Greenacre M. (2007). Correspondence Analysis in Practice, 2nd ed. Chapman & Hall/CRC.",
    "lebart1994": "Lebart L., Salem A. (1994). Statistique textuelle. Dunod (specificities, ch. 6).",
    "lafon1980": "Lafon P. (1980). Sur la variabilité de la fréquence des formes dans un corpus. Mots 1:127-165.",
    "kaplanmeier1958": "Kaplan E. L., Meier P. (1958). Nonparametric estimation from incomplete observations. "
    "Journal of the American Statistical Association 53(282):457-481.",
    "brookmeyer1982": "Brookmeyer R., Crowley J. (1982). A confidence interval for the median survival time. "
    "Biometrics 38(1):29-41.",
    "pocock2002": "Pocock S. J., Clayton T. C., Altman D. G. (2002). Survival plots of time-to-event outcomes in "
    "clinical trials: good practice and pitfalls. The Lancet 359(9318):1686-1689.",
    "anderson1983": "Anderson J. R., Cain K. C., Gelber R. D. (1983). Analysis of survival by tumor response. "
    "Journal of Clinical Oncology 1(11):710-719.",
    "dafni2011": "Dafni U. (2011). Landmark analysis at the 25-year landmark point. Circulation: Cardiovascular "
    "Quality and Outcomes 4(3):363-371.",
    "cox1972": "Cox D. R. (1972). Regression models and life-tables. Journal of the Royal Statistical Society B "
    "34(2):187-220.",
    "heinze2001": "Heinze G., Schemper M. (2001). A solution to the problem of monotone likelihood in Cox "
    "regression. Biometrics 57(1):114-119.",
    "peduzzi1995": "Peduzzi P., Concato J., Feinstein A. R., Holford T. R. (1995). Importance of events per "
    "independent variable in proportional hazards regression analysis. II. Accuracy and precision of regression "
    "estimates. Journal of Clinical Epidemiology 48(12):1503-1510.",
    "peduzzi1996": "Peduzzi P., Concato J., Kemper E., Holford T. R., Feinstein A. R. (1996). A simulation study of "
    "the number of events per variable in logistic regression analysis. Journal of Clinical Epidemiology "
    "49(12):1373-1379.",
    "vittinghoff2007": "Vittinghoff E., McCulloch C. E. (2007). Relaxing the rule of ten events per variable in "
    "logistic and Cox regression. American Journal of Epidemiology 165(6):710-718.",
    "benjamini1995": "Benjamini Y., Hochberg Y. (1995). Controlling the false discovery rate: a practical and "
    "powerful approach to multiple testing. Journal of the Royal Statistical Society B 57(1):289-300.",
    "kleinberg2002": "Kleinberg J. (2002). Bursty and hierarchical structure in streams. Proceedings of the 8th "
    "ACM SIGKDD conference, 91-101.",
    "ray2003": "Ray W. A. (2003). Evaluating medication effects outside of clinical trials: new-user designs. "
    "American Journal of Epidemiology, 158(9), 915-920.",
    "cohen1960": "Cohen J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological "
    "Measurement 20(1):37-46.",
    "seidman1983": "Seidman S. B. (1983). Network structure and minimum degree. Social Networks 5(3):269-287.",
    "brandes2001": "Brandes U. (2001). A faster algorithm for betweenness centrality. Journal of Mathematical "
    "Sociology 25(2):163-177.",
    "hughes1994": "Hughes A. M. (1994). Strategic Database Marketing. Probus (recency-frequency-monetary scores).",
    "kozinets2015": "Kozinets R. V. (2015). Netnography: Redefined. Sage.",
}

NOTES: dict[str, str] = {
    "summary": "Each figure is read from the newest stored run of its step, which its section below names. The "
    "study followed 21 members chosen for their activity, through a qualitative netnography, and gives no "
    "shares: its claims are quoted, not measured [fayn2021]. 'Answered within 3 hours' counts the newcomers' "
    "requests (their first messages, when they open a thread asking for help: coded individual) that got a direct reply by someone else within 3 "
    "hours, among those whose replies could be seen; decentering and the 'I' to 'we' trend are defined in the "
    "journeys section. A burst in a stage's or a watched term's share, relative to each week's volume, is compared "
    "with the study's crisis before a burst of volume, which in an export reflects how the data were collected.",
    "overview": "Counts come from the store's core tables. Member names were replaced by keyed pseudonyms at "
    "import; records that could not be read are kept in the rejects table with their reason, never dropped "
    "silently. The study observed a French thyroid forum of 485,000 messages in 54,305 threads [fayn2021].",
    "coding": "Each message carries one primary code among the four stages of the empowerment process of "
    "Fayn et al. (individual, community, collaborative, societal) or 'other' [fayn2021]. The current code is "
    "the newest human decision, else the newest model code, else the newest lexicon code. Agreement between "
    "coders, when reported, is Cohen's kappa [cohen1960].",
    "responses": "A newcomer is a member whose arrival the corpus shows: registered on or after the start of the "
    "record that could hold their earlier messages, or, without a registration date, first seen at least the "
    "burn-in the section states after it (a look-back period for a record that starts after its community did "
    "[ray2003]); the others are counted apart. The first answer to a message is a "
    "direct reply by someone else: its first child in the reply tree where the source records one, otherwise the "
    "first later message of its thread by someone else. Shares are of all newcomers (or requests) whose source "
    "records replies and collected them around the day they were posted (not on days when most replies stored "
    "answer messages the source lacks, as in members' histories). A request is a newcomer's first message that opens a "
    "thread and is coded individual (the author's own problem, asking help for themselves); one not coded yet is "
    "counted apart. The study reports that newcomers' requests are 'usually answered in less than 3 hours' "
    "[fayn2021].",
    "network": "Directed reply network: an edge goes from the author of a reply to the member answered, and the "
    "answering pairs count these (A answered B, B answered A: two). Core members form the main k-core of the "
    "undirected graph, whose edges are the pairs linked by a reply either way (one each) [seidman1983]; "
    "betweenness centrality is estimated on sampled sources [brandes2001].",
    "journeys": "Transitions count consecutive coded messages of the same member (a first-order Markov "
    "estimate). Time from a member's first request to decentering (their first message helping others without "
    "mentioning their own problem) is estimated with the Kaplan-Meier product-limit estimator, members who never "
    "decentre being censored at their last message [kaplanmeier1958]; members who arrived helping are counted "
    "apart. Its median is given with its 95% confidence interval [brookmeyer1982] only when the curve falls to 50% "
    f"while at least {MIN_AT_RISK_MEDIAN} members are still at risk and the interval is bounded: the tail of a curve rests on the "
    "few members still followed [pocock2002], and the curve is drawn only while at least that many remain. Covariates of the first request and first week are related to it with a Cox proportional-hazards model [cox1972], "
    f"a landmark analysis: fitted on the members still at risk on day {WEEK_DAYS}, when the first week's replies and "
    f"thanks are known, with time counted from then, so that no reply to a member's decentering counts among its causes "
    "[anderson1983] [dafni2011]; "
    f"a board where fewer than {MIN_BOARD_EVENTS} of the model's members decentered gets no hazard ratio (with none the "
    "likelihood is monotone and the estimate infinite [heinze2001], with a few it rests on them alone; a board "
    "indicator's information lies in its own members' events [peduzzi1995]): its members are left out of the model. "
    "Events per covariate are the model's decentered members over its fitted covariates, each board indicator "
    f"counted as one: below {MIN_EVENTS_PER_COVARIATE} its coefficients are biased and their intervals' coverage "
    "wrong [peduzzi1995] [peduzzi1996], so its hazard ratios are shown as indicative and none is read; below "
    f"{MIN_EVENTS_PER_COVARIATE_FIT}, where even a lenient reading finds severe problems [vittinghoff2007], it "
    "is not fitted. "
    "The I-to-we trend is the least-squares slope of each member's share of first-person plural pronouns among "
    "first-person pronouns, message after message, with a permutation p-value. Each member tested is one test: "
    "at p < 0.05 about 5% of them pass by chance alone, so the members whose trend is called significant are those "
    "that stay so after the Benjamini-Hochberg correction over all the members tested (false discovery rate 5%) "
    "[benjamini1995].",
    "timelines": "The panel is chosen as the study's was: the members ranked highest by recency, frequency and "
    "volume of writing (the sum of their RFM quintile scores, [hughes1994]; [fayn2021] note 5), so a member who "
    "wrote little but lately can rank above one who wrote much long ago. Members who asked to be "
    "excluded are left out. Each dot is one week of a member's messages, coloured by the week's most "
    "frequent stage and sized by its count; black marks are milestones.",
    "reinert": "Descending hierarchical classification of text segments (Alceste method) [reinert1983] "
    "[reinert1990]: the segment x term presence table is split in two along its first correspondence "
    "analysis axis, the split maximising the chi-square between the two groups, and the largest class is "
    "split again. Characteristic terms of a class have the largest signed chi-square of their 2x2 presence "
    "table. The map is the correspondence analysis of the class x term table [benzecri1973] [greenacre2007].",
    "reference_words": "Reference words of each stage are its specific terms: for each term and stage, the "
    "number of segments of messages with that primary code containing the term is compared with the "
    "hypergeometric law of its total frequency (Lafon's specificity, shown as -log10 p, [lafon1980] "
    "[lebart1994]). The study's reference words from its Alceste analysis are shown for comparison [fayn2021].",
    "alerts": "Weekly message counts (weeks start on Monday) are modelled with Kleinberg's two-state burst "
    "automaton [kleinberg2002]; a burst is a run of weeks where the elevated state is cheaper than the base "
    "state. The base rate is that of the whole corpus, so a lasting change of level (how the data were collected, "
    f"the forum's growth or change) makes one long burst: a burst of more than {LEVEL_WEEKS} weeks, or of more than half "
    "the corpus' weeks, in volume or in a share, is read as such, not as a crisis. The study's forum was 'overwhelmed' by the Levothyrox crisis "
    "of 2017, for months [fayn2021].",
}


def references(keys: list[str]) -> list[str]:
    """Formatted references for the keys, in the order given, without duplicates."""
    return [REFERENCES[k] for k in dict.fromkeys(keys) if k in REFERENCES]
