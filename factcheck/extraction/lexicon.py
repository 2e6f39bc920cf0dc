"""Closed word lists for attribution in English news text.

Everything the extractor "knows" about English lives here, so the rules elsewhere stay
general: reporting verbs and what they imply, the words that can head a speaker noun phrase,
titles that precede personal names, and the function words that end a noun phrase.  The
lists are deliberately small and generic (no article-specific entries); a word missing here
degrades recall gracefully rather than breaking anything.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Cue(NamedTuple):
    """What a reporting-verb form means for the clause around it."""

    lemma: str
    kind: str  # "say", "tell" (takes a recipient), "deny", "request" (no proposition), "call"
    participle: bool  # an -ing form, which takes its subject from the main clause
    past_participle: bool  # can head a passive ("was denied by …")


def _forms(lemma: str, kind: str, forms: str) -> dict[str, Cue]:
    """Expand a space-separated list of inflected forms into lexicon entries."""
    entries = {}
    for form in forms.split():
        entries[form] = Cue(
            lemma=lemma,
            kind=kind,
            participle=form.endswith("ing"),
            past_participle=form.endswith(("ed", "told", "said", "wrote", "thought")),
        )
    return entries


# Past forms that are not -ed words but still end a noun phrase ("the attack took place").
IRREGULAR_VERBS = frozenset(
    "took made went came met left gave got saw put set ran held kept led lost paid sent sat "
    "stood won began brought built bought caught chose fell felt fought flew grew hid hit knew "
    "meant rose sold shot shut spent spoke struck swore taught threw understood woke wrote "
    "remains remained seems seemed appears appeared found read".split()
)

# Reporting verbs.  Bare forms that are far more often nouns ("claim", "state", "report",
# "estimate") are left out; the -s forms that double as plural nouns are disambiguated by
# the word before them (a determiner or possessive means noun).
CUES: dict[str, Cue] = {}
for _lemma, _kind, _forms_text in (
    ("say", "say", "say says said saying"),
    ("tell", "tell", "tell tells told telling"),
    ("add", "say", "adds added adding"),
    ("state", "say", "state states stated stating"),  # bare "state": only after a plural subject
    ("announce", "say", "announce announces announced announcing"),
    ("claim", "say", "claims claimed claiming"),
    ("confirm", "say", "confirm confirms confirmed confirming"),
    ("report", "say", "reports reported reporting"),
    ("explain", "say", "explain explains explained explaining"),
    ("note", "say", "noted noting"),
    ("write", "say", "wrote writes"),
    ("tweet", "say", "tweeted tweeting"),
    ("insist", "say", "insist insists insisted insisting"),
    ("maintain", "say", "maintains maintained maintaining"),
    ("argue", "say", "argue argues argued arguing"),
    ("assert", "say", "asserts asserted asserting"),
    ("allege", "say", "allege alleges alleged alleging"),
    ("acknowledge", "say", "acknowledge acknowledges acknowledged acknowledging"),
    ("admit", "say", "admit admits admitted admitting"),
    ("reveal", "say", "reveal reveals revealed revealing"),
    ("declare", "say", "declare declares declared declaring"),
    ("believe", "say", "believe believes believed"),
    ("think", "say", "thinks thought"),
    ("estimate", "say", "estimated"),
    ("indicate", "say", "indicated indicates indicating"),
    ("recall", "say", "recalled recalls recalling"),
    ("warn", "say", "warn warns warned warning"),
    ("suggest", "say", "suggest suggests suggested suggesting"),
    ("describe", "say", "describe describes described describing"),
    ("predict", "say", "predicted predicts"),
    ("promise", "say", "promised promises"),
    ("accuse", "say", "accuse accuses accused accusing"),
    ("blame", "say", "blame blames blamed blaming"),
    ("reiterate", "say", "reiterated reiterates"),
    ("stress", "say", "stressed stresses"),
    ("emphasise", "say", "emphasised emphasized emphasises emphasizes"),
    ("concede", "say", "conceded concedes"),
    ("caution", "say", "cautioned cautions"),
    ("propose", "say", "proposed proposes"),
    ("testify", "say", "testified testifies"),
    ("contend", "say", "contended contends"),
    ("conclude", "say", "concluded concludes"),
    ("cite", "say", "cited cites"),
    ("credit", "say", "credited credits"),
    ("ascribe", "say", "ascribed attributed"),
    ("justify", "say", "justified"),
    ("deny", "deny", "deny denies denied denying"),
    ("reject", "deny", "reject rejects rejected rejecting"),
    ("dismiss", "deny", "dismiss dismisses dismissed dismissing"),
    ("refute", "deny", "refute refutes refuted refuting"),
    ("rebut", "deny", "rebutted rebuts"),
    ("dispute", "deny", "disputed disputes"),
    ("urge", "request", "urge urges urged urging"),
    ("demand", "request", "demanded demands demanding"),
    ("ask", "request", "asked asks asking"),
    ("request", "request", "requested"),
    ("encourage", "request", "encouraged encourages encouraging"),
    ("advise", "request", "advised advises advising"),
    ("appeal", "request", "appealed"),
    ("condemn", "request", "condemned condemns condemning"),
    ("praise", "request", "praised praises praising"),
    ("thank", "request", "thanked thanks"),
    ("appreciate", "request", "appreciated"),
    ("hope", "request", "hoped"),
    ("call", "call", "call calls called calling"),
    ("read", "say", "read reads"),
    ("continue", "say", "continued continues"),
    ("expect", "say", "expects expected"),
    ("remark", "say", "remarked remarks"),
    ("inform", "tell", "inform informs informed"),
    # only with a clause or a characterisation (see CONDITIONAL_LEMMAS)
    ("find", "say", "found finds finding"),
    ("rule", "say", "ruled"),
    ("name", "say", "named"),
    ("speak", "say", "spoke speaks speaking"),
    ("reassert", "say", "reasserted reasserts reasserting"),
    ("reaffirm", "say", "reaffirmed reaffirms reaffirming"),
    ("affirm", "say", "affirmed affirms"),
    ("underline", "say", "underlined underlines underlining"),
    ("underscore", "say", "underscored underscores"),
    ("envision", "say", "envisioned envisions envisaged envisages"),
    ("project", "say", "projected"),
    ("characterise", "say", "characterised characterized characterises characterizes characterising characterizing"),
    ("express", "say", "expressed expresses expressing"),
    ("attack", "say", "attacked"),
    ("denounce", "request", "denounced denounces denouncing"),
    ("hail", "request", "hailed hails hailing"),
    ("criticise", "request", "criticised criticized criticises criticizes criticising criticizing"),
    ("elaborate", "say", "elaborated elaborates"),
    ("term", "say", "termed"),
    # commoner reporting verbs; those in CLAUSE_ONLY_LEMMAS report only with "that" or a quote
    ("predict", "say", "predict predicting"),
    ("write", "say", "write writing"),
    ("tweet", "say", "tweet tweets"),
    ("testify", "say", "testify testifying"),
    ("stress", "say", "stressing"),
    ("conclude", "say", "concluding"),
    ("vow", "say", "vow vows vowed vowing"),
    ("pledge", "say", "pledged pledging"),
    ("forecast", "say", "forecast forecasts"),
    ("suppose", "say", "supposes"),
    ("confess", "say", "confessed confesses"),
    ("proclaim", "say", "proclaimed proclaims"),
    ("assure", "tell", "assured assures assuring"),
    ("remind", "tell", "reminded reminds reminding"),
    ("notify", "tell", "notified notifies"),
    ("complain", "say", "complain complains complained complaining"),
    ("disclose", "say", "disclosed discloses disclosing"),
    ("respond", "say", "responded responds"),
    ("reply", "say", "replied replies"),
    ("retort", "say", "retorted retorts"),
    ("counter", "say", "countered counters"),
    ("agree", "say", "agreed agrees"),
    ("observe", "say", "observed observes"),
    ("comment", "say", "commented"),
    ("mention", "say", "mentioned mentions"),
    ("clarify", "say", "clarified clarifies"),
    ("signal", "say", "signalled signaled signals"),
    ("hint", "say", "hinted hints"),
    ("imply", "say", "implied implies implying"),
    ("speculate", "say", "speculated speculates"),
    ("recognise", "say", "recognised recognized recognises recognizes"),
    ("accept", "say", "accepted accepts"),
    ("repeat", "say", "repeated repeats"),
    ("highlight", "say", "highlighted highlights"),
    ("post", "say", "posted"),
    ("charge", "say", "charged charges"),
    ("show", "say", "shows showed"),
    ("joke", "say", "joked jokes"),
    ("quip", "say", "quipped"),
    ("recommend", "request", "recommended recommends recommending"),
    ("welcome", "request", "welcomed welcomes welcoming"),
    ("identify", "say", "identified identifies"),
    ("point", "say", "pointed points pointing"),  # "pointed out that …"
    ("make", "say", "made makes making"),  # "made (it) clear that …"
    # bare forms after a plural subject ("Officials claim …", "Reports indicate …"), see
    # PLURAL_SUBJECT_ONLY; "notes" after a singular one ("The complaint notes …")
    ("claim", "say", "claim"),
    ("report", "say", "report"),
    ("note", "say", "note notes"),
    ("estimate", "say", "estimate estimates estimating"),
    ("indicate", "say", "indicate"),
    ("list", "say", "lists listed listing"),  # "lists X as Y" (see CONDITIONAL_LEMMAS)
    ("refer", "say", "referred refers referring"),  # "referred to X as Y"
    # doubting: the statement puts its object in question ("questioned his authority")
    ("quote", "say", "quoted quotes quoting"),  # "quoted X as saying …" (see CONDITIONAL_LEMMAS)
    ("provide", "say", "provided"),  # only "figures, provided by X, …" (see passives.py)
    ("question", "doubt", "questioned questioning"),
    ("doubt", "doubt", "doubted"),
    # "Reports vary between A and B", "Accounts differ on …": the matter is unsettled
    ("vary", "doubt", "vary varied"),
    ("differ", "doubt", "differ differed"),
    # "An issue raised by the complaint was …" (see passives.py)
    ("raise", "request", "raised"),
    ("show", "say", "show"),  # "Figures show that …" (after a plural subject, with a clause)
    ("recount", "say", "recounted recounts recounting"),
    ("opine", "say", "opined opines"),
    ("aver", "say", "averred avers"),
    ("posit", "say", "posited posits"),
    ("exclaim", "say", "exclaimed exclaims"),
    ("shout", "say", "shouted shouts"),
    ("whisper", "say", "whispered whispers"),
    ("lament", "say", "lamented laments"),
    ("boast", "say", "boasted boasts"),
    ("concur", "say", "concurred concurs"),
    ("theorise", "say", "theorised theorized theorises theorizes"),
    ("hypothesise", "say", "hypothesised hypothesized hypothesises hypothesizes"),
    ("attest", "say", "attested attests"),
    ("protest", "say", "protested"),
    ("decry", "request", "decried decries decrying"),
    ("wonder", "doubt", "wondered wonders"),
):
    CUES.update(_forms(_lemma, _kind, _forms_text))

# "In the view of X, …": nouns that make the phrase an attribution
OPINION_NOUNS = frozenset({"view", "opinion", "analysis", "assessment", "estimation", "words", "judgement", "judgment"})
# "X's position is that …": nouns for a stance whose content follows "is/was that"
POSITION_NOUNS = frozenset(
    "argument counter-argument position view contention belief conclusion response explanation stance".split()
)
# Words that can open an attribution: the verb forms above, "according (to)", "in the view of"
# and "X's position is that".
# "the proclamation of X as Y by Z": nouns of characterising, whose agent speaks
CHARACTERISATION_NOUNS = frozenset(
    "proclamation declaration description characterisation characterization portrayal depiction labelling "
    "labeling branding".split()
)
CUE_WORDS = frozenset(CUES) | {"according"} | OPINION_NOUNS | POSITION_NOUNS | CHARACTERISATION_NOUNS
# Forms that are usually nouns or adjectives when a determiner/possessive precedes them.
NOUN_LIKE_CUES = frozenset({"claims", "reports", "state", "states", "thanks", "calls", "demands", "disputes", "notes",
                            "charges", "shows", "counters", "signals", "hints", "mentions", "forecasts", "tweets",
                            "vows", "repeats", "highlights", "welcomes", "tweet", "vow", "forecast", "claim",
                            "report", "note", "estimate", "estimates", "lists", "show"})
# Present-tense forms that agree with a plural subject only ("officials state …"): after a
# singular noun they are nouns themselves ("a member state", "the police state").
PLURAL_SUBJECT_ONLY = frozenset({"state", "claim", "report", "note", "estimate", "indicate", "show"})
# Verbs that only count as reporting when a direct quote is attached ("It read, '…'",
# "he appreciated his lifepath: '…'"); elsewhere they are too often something else.
FRAME_ONLY_LEMMAS = frozenset({"read", "appreciate", "continue"})
# Verbs that report only in one construction, checked where the clause is analysed:
# "found that …" / "found X to be Y"; "ruled (that) <finite clause>"; "named X as Y", "listed X
# as Y", "referred to X as Y"; "spoke of X"; "questioned/doubted" something other than a
# person.  "Police found a body", "ruled the country", "a man named Ali", "listed shares",
# "referred to a specialist", "spoke to reporters" and "police questioned two men" report nothing.
CONDITIONAL_LEMMAS = frozenset({"find", "rule", "name", "speak", "attack", "identify", "list", "refer", "question",
                                "doubt", "quote", "provide", "vary", "differ", "raise"})
# Verbs that report only with the particle or adjective given: "pointed out", "made (it) clear",
# "referred to".
PARTICLE_LEMMAS = {"point": ("out",), "make": ("clear", "it clear"), "refer": ("to",)}
# Verbs that report only a "that" clause, a quotation, or as a trailing attribution ("…, she
# replied."): "responded to the attack", "agreed a deal", "posted a video", "showed signs of
# strain", "charged with murder", "observed a minute's silence" report nothing.
CLAUSE_ONLY_LEMMAS = frozenset(
    "complain disclose respond reply retort counter agree observe comment mention clarify "
    "signal hint imply speculate recognise accept repeat highlight post charge show joke quip point make recall "
    "shout whisper concur protest boast lament wonder".split()
)

#: Verbs that report speech or do an act, by what follows: an act when their object is one of
#: these nouns ("dismissed the lawsuit", "appealed the decision", "maintained his lead",
#: "announced his candidacy", "called the race") — a ruling, a filing, a position held, a
#: choice made — and a statement otherwise ("dismissed the claims", "maintained his innocence").
ACT_OBJECTS = {
    "dismiss": frozenset("lawsuit lawsuits suit suits case cases charge charges petition petitions motion motions "
                         "appeal appeals complaint complaints indictment jury".split()),
    "appeal": frozenset("decision ruling rulings verdict sentence sentences judgment judgement conviction "
                        "case order orders".split()),
    "maintain": frozenset("lead policy policies presence ties relations control record silence contact "
                          "contacts majority".split()),
    "announce": frozenset("selection candidacy candidature resignation retirement nomination appointment "
                          "engagement bid run".split()),
    "call": frozenset("race races election elections vote strike strikes meeting halt session referendum".split()),
}
#: What can show something without a clause: a record, a count, a finding ("the tracking
#: database shows a reestablishment of contact", "an analysis showed 'Dementia Joe' as …") — not
#: a picture, which shows what it depicts ("photographs showed the wreck").
EVIDENCE_NOUNS = frozenset(
    "database databases data figures records record analysis analyses study studies survey surveys poll polls "
    "result results census statistics tally logs log tracking documents document filing filings report reports "
    "tests test scans".split()
)
#: Prepositions that, right after a reporting verb, make it intransitive: what follows is what
#: the speaker spoke about, not what was said ("contended for the nomination", "remarked on
#: the investigation", "tweeted about the riots", "rejected at the inception").
TOPIC_PREPOSITIONS = frozenset({"for", "on", "about", "at", "over", "upon"})


DETERMINERS = frozenset(
    "a an the this these those some several many most all both each every another other "
    "its his her their our my your one two three four five six seven eight nine ten eleven "
    "twelve dozens hundreds thousands few no any".split()
)
QUANTIFIERS = frozenset("some many most all both several one two three four five few none each any".split())
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
OBJECT_PRONOUNS = frozenset({"me", "us", "him", "her", "them", "you", "it"})
POSSESSIVE_PRONOUNS = frozenset({"its", "his", "her", "their", "our", "my", "your"})
NEGATIONS = frozenset({"not", "never", "n't", "no"})
AUXILIARIES = frozenset(
    "is are was were be been being has have had do does did will would can could may might "
    "must shall should".split()
)
PASSIVE_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "being"})
# Prepositions that may sit inside a speaker noun phrase ("a source in Islamabad").
NP_PREPOSITIONS = frozenset({"of", "for", "from", "in", "at", "to", "under", "with"})
# Prepositions that may join capitalised words inside one name or title ("Secretary of State").
# ("on" joins only after the name of a body: "Commission on Human Rights", see phrases.py)
NAME_JOINERS = frozenset({"of", "for", "to", "on"})
NAME_PARTICLES = frozenset({"bin", "ibn", "al", "el", "de", "van", "von", "der", "da", "di", "du", "le", "la", "abu"})

# Adverbs and adverbials that may separate a subject from its verb or a verb from its clause.
VERB_ADVERBS = frozenset(
    "also further subsequently initially reportedly strongly previously later earlier then "
    "repeatedly publicly officially categorically firmly flatly again once still just first "
    "recently separately allegedly already indeed himself herself itself themselves however "
    "too yesterday today tonight now last there here always often long since never ever".split()
)
PARENTHETICAL_ADVERBS = frozenset(
    "however too though meanwhile also instead nonetheless nevertheless moreover furthermore "
    "in turn for example instance fact response his her their its part addition contrast "
    "separately earlier later then though".split()
)
DAYS_AND_MONTHS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december".split()
)
TIME_NOUNS = frozenset("week month year night morning evening afternoon weekend day days time".split())
MEDIUM_NOUNS = frozenset(
    "statement statements tweet tweets message post letter video speech interview briefing "
    "release report reports website site page account broadcast transcript communique "
    "twitter facebook instagram youtube telegram tv television radio conference email "
    "document documents filing notice comment comments remarks x address column editorial op-ed blog "
    "podcast memo newsletter affidavit".split()
)
# Function words that end a noun phrase when scanning over it.
STOP_WORDS = frozenset(
    "and or but nor so yet because while although though if when whereas after before since "
    "until unless as than that which who whom whose where what why how whether there here "
    "not no by about over against during despite with without into onto upon through via per "
    "like near including including amid among between across toward towards within beyond "
    "on off up down out around behind below above except".split()
) | AUXILIARIES | SUBJECT_PRONOUNS | OBJECT_PRONOUNS | DAYS_AND_MONTHS | VERB_ADVERBS

# Lower-case heads that can speak: people, groups, institutions and publications.
PERSON_NOUNS = frozenset(
    "official officials source sources spokesperson spokesman spokeswoman spokespeople "
    "minister ministers president governor mayor ambassador diplomat diplomats envoy aide aides "
    "adviser advisers advisor advisors analyst analysts expert experts witness witnesses "
    "resident residents protester protesters protestor protestors demonstrators organizer "
    "organizers organiser organisers supporter supporters associate associates colleague "
    "colleagues driver journalist journalists reporter reporters correspondent editor "
    "lawyer lawyers attorney prosecutor prosecutors judge attendee attendees doctor doctors "
    "scientist scientists researcher researchers investigator investigators officer officers "
    "commander commanders leader leaders member members representative representatives "
    "politician politicians lawmaker lawmakers legislator legislators senator congressman "
    "activist activists worker workers employee employees staff insider insiders person "
    "people man woman men women family relatives neighbour neighbours neighbor neighbors "
    "student students teacher teachers farmer farmers villager villagers survivor survivors "
    "victim victims father mother son daughter brother sister wife husband fiancee fiancée "
    "chief director head chairman chairwoman secretary commissioner inspector general "
    "rapporteur negotiator negotiators mediator militant militants rebel rebels fighter "
    "fighters soldier soldiers police policeman policewoman someone nobody couple "
    "agent agents medic medics nurse nurses physician physicians author authors "
    "economist economists historian historians professor manager executive executives "
    "owner owners founder candidate candidates voter voters user users critic critics "
    "opponent opponents ally allies partner partners counterpart counterparts widow widower "
    "friend friends child children parent parents relative boy girl teenager mourner mourners "
    "passenger passengers tourist tourists shopkeeper trader traders vendor vendors pilot "
    "pilots crew firefighter firefighters paramedic paramedics rescuer rescuers volunteer "
    "volunteers observer observers monitors mp mps ceo chairman premier chancellor "
    "eyewitness eyewitnesses bystander bystanders guard guards "
    "archbishop bishop cardinal pope imam rabbi priest cleric pastor monk "
    "defendant defendants plaintiff plaintiffs claimant claimants suspect suspects accused "
    "writer writers actor actress singer musician artist artists athlete athletes player "
    "players coach referee coroner sheriff deputy deputies trooper troopers detective "
    "detectives juror jurors senators congressmen congresswoman councillor councillors "
    "councilman councilwoman chairperson boss cfo campaigner campaigners advocate advocates "
    "shareholder shareholders investor investors customer customers consumer consumers "
    "citizen citizens patient patients pupil pupils veteran veterans refugee refugees "
    "migrant migrants surgeon surgeons engineer engineers academic academics scholar "
    "scholars consultant consultants delegate delegates auditor auditors regulator "
    "regulators magistrate barrister solicitor counsel staffer staffers locals fisherman "
    "fishermen miner miners sailor sailors troops insurgent insurgents gunman hostage "
    "hostages prisoner prisoners inmate inmates detainee detainees onlooker onlookers "
    "spectator spectators fan fans uncle aunt cousin nephew niece grandmother grandfather "
    "king queen prince princess monarch nun vicar official attacker attackers assailant assailants "
    "perpetrator perpetrators killer killers bomber bombers shooter shooters hijacker hijackers kidnapper "
    "kidnappers clerk captain administrator host commentator dean principal superintendent trustee warden "
    "sergeant constable marshal ranger dispatcher seaman crewmember landlord tenant employer banker buyer "
    "seller client designer creator inventor maintainer programmer developer architect pharmacist dentist "
    "veterinarian vet lecturer graduate presenter anchor blogger nominee incumbent challenger petitioner "
    "appellant respondent litigant umpire striker goalkeeper chair others".split()
)


def _plurals(words: frozenset[str]) -> frozenset[str]:
    """``words`` with the regular plural of each ("judges", "attorneys", "publications")."""
    plurals = set()
    for word in words:
        if word.endswith(("s", "x", "ch", "sh")):
            plurals.add(word + "es")
        elif word.endswith("y") and word[-2:-1] not in set("aeiou"):
            plurals.add(word[:-1] + "ies")
        elif word.endswith("man"):
            plurals.add(word[:-3] + "men")
        else:
            plurals.add(word + "s")
    return words | plurals


def _people(words: frozenset[str]) -> frozenset[str]:
    """``words`` with their plurals and the co- of each ("co-author", "co-founders")."""
    every = _plurals(words)
    return frozenset(every | {"co-" + word for word in every} | {"co" + word for word in every})


PERSON_NOUNS = _people(PERSON_NOUNS)
GROUP_NOUNS = frozenset(
    "government governments ministry department agency agencies committee commission council "
    "court tribunal service services office bureau directorate authority authorities "
    "administration regime military army navy force forces police embassy consulate "
    "parliament congress senate assembly cabinet party union federation association "
    "organisation organization foundation institute university hospital company firm firms "
    "group groups movement coalition alliance campaign team club board panel network "
    "media press newspaper broadcaster outlet channel site website agency wire "
    "report reports study survey investigation inquiry statement intelligence letter memo email document "
    "notice transcript affidavit "
    "prosecution defence defense state administration officials coastguard data figures "
    "nation nations country countries "
    "estimates records documents poll polls census analysis tally filing filings "
    "ruling rulings judgment judgement verdict decision indictment lawsuit complaint comments remarks "
    "airline airlines carrier operator manufacturer automaker carmaker maker retailer supermarket "
    "bank lender insurer developer supplier provider corporation business businesses charity "
    "charities watchdog ministries departments municipality county city province jury courts "
    "commissions review audit studies surveys research findings statistics paper journal "
    "magazine publication archive database registry testimony manifesto suit petition school college league unions "
    "parties opposition junta militia delegation presidency church diocese".split()
)
GROUP_NOUNS = _plurals(GROUP_NOUNS)  # "publications", "agencies", "networks"
SPEAKER_NOUNS = PERSON_NOUNS | GROUP_NOUNS
# Heads that name several people without a plural "-s": never "he" or "she".
COLLECTIVE_NOUNS = frozenset("people men women children police staff crew family couple militia".split())
# Speaker heads that, without a proper name, leave the speaker unidentified.
ANONYMOUS_HEADS = frozenset(
    "official officials source sources spokesperson spokesman spokeswoman spokespeople "
    "diplomat diplomats aide aides adviser advisers insider insiders person people someone "
    "resident residents witness witnesses protester protesters protestors demonstrators "
    "organizer organizers organiser organisers supporter supporters associate associates "
    "colleague colleagues driver attendee attendees employee employees worker workers member "
    "members representative representatives politician politicians officer officers "
    "investigator investigators analyst analysts expert experts media press report reports "
    "group groups agent agents man woman men women couple militant militants fighters "
    "rebels soldiers eyewitness eyewitnesses bystander bystanders lawmakers legislators accounts estimates "
    "figures versions".split()
)
# Words next to a name, or heading a description, that say whether "he" or "she" can refer to
# it ("Ms Berg", "the spokeswoman", "Dunn's mother, Charlotte Charles").
FEMALE_WORDS = frozenset(
    "mrs ms miss madam dame lady queen princess duchess countess baroness sister mother wife "
    "daughter widow girlfriend fiancee fiancée woman women girl grandmother aunt niece actress "
    "spokeswoman chairwoman congresswoman businesswoman policewoman councilwoman stateswoman "
    "sportswoman mum mom".split()
)
MALE_WORDS = frozenset(
    "mr sir lord king prince duke earl baron brother father husband son widower boyfriend fiance "
    "man men boy grandfather uncle nephew actor spokesman congressman businessman policeman "
    "councilman statesman sportsman dad".split()
)
# Capitalised words that introduce a personal name rather than being part of it.
TITLE_WORDS = frozenset(
    "president vice prime minister secretary state chancellor governor deputy ambassador "
    "senator sen rep representative congressman congresswoman mayor judge justice general "
    "gen lt colonel col major maj captain capt sergeant sgt admiral adm commander chief "
    "director chairman chairwoman chair spokesperson spokesman spokeswoman crown prince "
    "princess king queen emir sheikh sultan pope cardinal bishop archbishop rabbi imam "
    "ayatollah supreme leader dr mr mrs ms miss prof professor sir dame lord lady former "
    "acting interim foreign defence defense interior finance health emergencies emergency "
    "attorney commissioner inspector officer premier speaker head regional federal "
    "councillor councilman lieutenant detective superintendent constable coach assistant "
    "executive senior junior national security adviser advisor envoy special ceo founder "
    "situations affairs home economy trade education energy environment labour labor "
    "transport agriculture culture justice information communications development".split()
)
# Titles that only a person holds ("President", "Mayor", "Dr"), unlike the modifiers among
# TITLE_WORDS that also name institutions ("Federal", "National", "Interior"): "the Turkish
# President Recep Tayyip Erdoğan" is a person although "the" comes before the name.
PERSONAL_TITLES = frozenset(
    "president minister secretary chancellor governor ambassador senator sen rep representative "
    "congressman congresswoman mayor judge general gen lt colonel col maj captain capt sergeant sgt "
    "admiral adm commander director chairman chairwoman spokesperson spokesman spokeswoman prince "
    "princess king queen emir sheikh sultan pope cardinal bishop archbishop rabbi imam ayatollah dr mr "
    "mrs ms prof professor sir dame lord lady attorney commissioner inspector premier councillor "
    "councilman lieutenant detective superintendent constable coach envoy ceo founder adviser advisor".split()
)
# What a press organisation is called once named ("the newspaper", "the industry
# publication"), and words in the names of press organisations ("The Aviation Herald").
PRESS_NOUNS = frozenset(
    "publication newspaper paper outlet broadcaster magazine journal tabloid website site channel network "
    "daily weekly".split()
)
PRESS_NAME_WORDS = frozenset(
    "times post news press telegraph guardian journal herald tribune tv radio network media express mail "
    "reuters daily weekly magazine channel broadcasting gazette chronicle observer standard independent "
    "review bulletin courier monitor inquirer examiner record mirror star sun today economist wire "
    "agency".split()
)
# What a company is called once named ("the company", "the airline").
COMPANY_NOUNS = frozenset(
    "company firm airline carrier manufacturer maker automaker carmaker retailer operator developer supplier "
    "provider bank lender insurer corporation business group conglomerate chain".split()
)
# Words in the names of public bodies, which "the company" does not refer to.
PUBLIC_BODY_WORDS = frozenset(
    "government ministry department agency committee commission council court tribunal office bureau "
    "directorate authority administration parliament congress senate assembly cabinet police army navy "
    "force forces embassy consulate military guard guards".split()
)
# Capitalised words that mark an organisation or place rather than a person.
ORG_WORDS = frozenset(
    "government ministry department agency committee commission council court service "
    "services office bureau directorate corps force forces army navy police party union "
    "federation association organization organisation foundation institute university "
    "college school center centre hospital bank fund company corporation inc ltd group "
    "times post news press telegraph guardian journal herald tribune tv radio network media "
    "digital insider express mail reuters embassy consulate parliament congress senate "
    "assembly administration authority board movement front brigade brigades task "
    "operation coalition alliance league club church airline airlines air airport avenue "
    "street square plaza province district city republic kingdom emirates islands nations "
    "society trust project initiative mission station base tribunal cabinet legislature "
    "chamber program programme council ministry agency daily weekly magazine channel "
    "broadcasting foundation resolve engineering science".split()
)
# Nationality adjectives: capitalised, never a person's name, and not a speaker on their own.
DEMONYMS = frozenset(
    "american british english french german russian chinese japanese indian pakistani afghan "
    "iranian iraqi syrian saudi israeli palestinian turkish egyptian yemeni lebanese jordanian "
    "qatari emirati kuwaiti ukrainian georgian european african asian arab canadian mexican "
    "brazilian australian italian spanish dutch swedish norwegian danish polish greek korean "
    "vietnamese indonesian nigerian kenyan ethiopian somali sudanese libyan tunisian algerian "
    "moroccan belarusian kazakh uzbek armenian azerbaijani kurdish shia sunni islamic western "
    "eastern northern southern central".split()
)
# Places and compass words that precede names in titles ("President of Ukraine V. Z.").
PLACES = frozenset(
    "us u.s uk u.k un u.n eu e.u america britain england france germany russia china japan "
    "india pakistan afghanistan iran iraq syria saudi arabia israel palestine turkey egypt "
    "yemen lebanon jordan qatar kuwait ukraine georgia europe asia africa canada mexico brazil "
    "australia italy spain netherlands sweden norway denmark poland greece korea vietnam "
    "indonesia nigeria kenya ethiopia somalia sudan libya tunisia algeria morocco belarus "
    "kazakhstan uzbekistan armenia azerbaijan washington moscow beijing london paris berlin "
    "tehran baghdad kabul islamabad delhi new york north south east west united states "
    "kingdom".split()
)
GEO_WORDS = DEMONYMS | PLACES

# Tokens a sentence can start with that are capitalised only because they start it.
SENTENCE_STARTERS = frozenset(
    "the a an he she it they we i this that these those there but and however in on at "
    "after before when while as if so yet also meanwhile despite although though since "
    "last earlier later yesterday today according speaking his her its their our by for from with "
    "under until during within among amid following throughout over through without between "
    "inside outside".split()
)
# Abbreviations that never end a sentence (they precede a name).
TITLE_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen sen rep gov lt col capt sgt st jr sr no vs mt rev hon pres adm maj "
    "brig cpl supt insp det messrs fr".split()
)

ANONYMITY_REASON_RE = re.compile(
    r"(?:requested|asked for|was granted|were granted|spoke on condition of|speaking on condition of|"
    r"on (?:the )?condition of) anonymity"
    r"|declined to be (?:named|identified)"
    r"|(?:asked|requested|wished|preferred) not to be (?:named|identified)(?: for fear of [\w ]{1,30}?(?=[,.;]|$))?"
    r"|(?:did|does|do) not want to be (?:named|identified)"
    r"|(?:is|was|are|were|being) not (?:authori[sz]ed|permitted|allowed|cleared) to "
    r"(?:speak|talk|comment)(?: publicly)?(?: (?:to|with) (?:the )?(?:media|press|reporters|journalists))?"
    r"(?: on the (?:record|matter|issue))?",
    re.IGNORECASE,
)
