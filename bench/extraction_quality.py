"""Quality of attributed-statement extraction against hand-annotated gold.

Usage (from the repository root)::

    python bench/extraction_quality.py            # table
    python bench/extraction_quality.py --details  # plus every miss and false positive
    python bench/extraction_quality.py --set A    # one group: old or a round letter (A to H)
    python bench/extraction_quality.py --compare  # every design (rules, parse, combined) side by side

Gold lives in ``tests/data/extraction/*.json``, one file per article; ``article`` is a path
relative to the ``shared`` directory beside the repository (``../shared``), which holds the
texts of the original set, or (starting with ``tests/``) to the repository root.  The
original set — the seed article and twelve Wikinews articles — was annotated before the
extractor existed.  Articles marked
``"held_out": true`` (Wikinews 09 and 10) were annotated but not inspected while the
extractor was tuned; their figures are reported separately.  They were first scored blind at
precision 0.87, recall 0.76, F1 0.81, stance 0.92 (15 predicted, 17 gold).  Four generic bugs
found there were then fixed — nouns ending in "-ly" ("rally") read as adverbs, quotations
after a colon treated as partial when they end without punctuation, the subject of a
coordinated verb ignoring an appositive name, and "No organisation claimed …" read as a
claim — so their current figures are no longer blind.

Blind rounds
------------
Eight further Wikinews articles (``tests/data/extraction/articles/``, the project's own
copies: an ``article`` path starting with ``tests/`` is read from the repository root) were
annotated, and the annotations committed, before the extractor was run on any of them.
Annotations marked ``"round": "A"`` (five articles) are scored first and their misses studied;
those marked ``"round": "B"`` (three articles) are scored blind only after the fixes made for
round A.  ``--set old`` or ``--set <round>`` evaluates one group.  The same person wrote the blind gold and
the fixes; to keep round B a fair test, the round-A fixes were limited to faults round A
showed plus the weaknesses already listed in the issue (gendered pronouns, British single
quotation marks) — no word or rule was added because round B's text was known to need it —
and the extractor was not run on round B before its blind score was recorded.  Stance labels
for opinions without cue words (Johnson's "I do not think that it can be right", a court's
"not justiciable") are the annotator's judgement, made blind like the rest.

Round C (four more Wikinews articles, ``"round": "C"``: a court ruling, a protest, a health
bill, a trade agreement) was chosen, copied and annotated after the round-B fixes, and its
texts and gold were committed before the extractor was run on any of them; the extractor was
not changed between that commit and the recording of its blind score.

Round A, scored blind (extractor as of the commit that added the blind set), 69 gold,
54 predicted, 42 matched — precision 0.78, recall 0.61, F1 0.68, stance 0.81:

=========================  ====  ====  =====  =====  =====  ======
article                    gold  pred  match  prec   rec    stance
=========================  ====  ====  =====  =====  =====  ======
australia_toilet_paper       16    14     10   0.71   0.62    1.00
kurds_syria_deal             14    11     10   0.91   0.71    0.80
prorogation_ruling           13     7      5   0.71   0.38    0.80
streatham_attack             12    12      9   0.75   0.75    0.78
uk_diplomat_immunity         14    10      8   0.80   0.57    0.62
=========================  ====  ====  =====  =====  =====  ======

All three targets failed blind on round A except stance accuracy (0.81 ≥ 0.8).

Round B, scored blind after the round-A fixes (commits "Extractor: general fixes for the
faults blind round A exposed" and "Extractor: British single quotation marks…"), 45 gold,
31 predicted, 24 matched — precision 0.77, recall 0.53, F1 0.63, stance 0.83:

=========================  ====  ====  =====  =====  =====  ======
article                    gold  pred  match  prec   rec    stance
=========================  ====  ====  =====  =====  =====  ======
eastmed_pipeline             29    17     14   0.82   0.48    0.79
pelosi_inquiry                9     6      5   0.83   0.56    0.80
puerto_rico_governor          7     8      5   0.62   0.71    1.00
=========================  ====  ====  =====  =====  =====  ======

So the round-A fixes did not carry the extractor to the targets on text it had not seen:
recall 0.53 and precision 0.77 fall well short of 0.85; stance (0.83) holds.  Most misses
are reporting verbs outside the lexicon (reasserted, reaffirmed, underlined, envisioned,
hailed, projected, denounced, characterized, attacked … as, expressed).

After the round-B fixes (commit "Extractor: general fixes for the faults round B exposed")
round A is at precision 0.97, recall 0.93, stance 0.88 and round B at 0.96 / 0.96 / 0.91 —
neither figure is blind any more — and the original set is unchanged at 0.98 / 0.98 / 0.97.
The table prints the recorded blind rows beside the current ones.  The honest reading: on
unseen news text this extractor should be expected to miss its targets (blind recall 0.61
and 0.53) until its lexicon and constructions have met that kind of text; each round of
fixes narrowed the gap but the next unseen text found new gaps.

Round C, scored blind after the round-B fixes (extractor as of the commit that added round C),
40 gold, 36 predicted, 27 matched — precision 0.75, recall 0.68, F1 0.71, stance 0.96:

==========================  ====  ====  =====  =====  =====  ======
article                     gold  pred  match  prec   rec    stance
==========================  ====  ====  =====  =====  =====  ======
africa_free_trade              8    12      8   0.67   1.00    1.00
argentina_abortion_bill       11     7      5   0.71   0.45    1.00
ecj_facebook_ruling           11     6      6   1.00   0.55    0.83
hong_kong_extradition_bill    10    11      8   0.73   0.80    1.00
==========================  ====  ====  =====  =====  =====  ======

A third time the targets did not hold on unseen text: precision 0.75 and recall 0.68 are
below 0.85 (stance, 0.96, holds).  What the details showed, before any change: "states" read
as a reporting verb after plural subjects ("member states met …", "Seven members states had
bid …") and "accused" as a verb in "extradite accused criminals"; two quotations after a
trailing frame ("…," said a protester using the pseudonym Katya) given to the previous
paragraph's speaker; "the archbishop said" left unresolved although the sentence before
names him; nothing read in "was criticised by archbishop X", "Calling it a …", "Saying "…"
…, President X elaborated, "…"", a block quotation attributed on a dash line below it
("– European Court of Justice"), "a statement which read, in part, "…"", "According to the
ruling, …", "Estimates by the government state …" and "The comments called … and termed
…"; "the AU announced <a payment system>" and "it was dismissed by the senate" (acts, not
speech) taken as statements; "could have" not read as unconfirmed.

After the round-C fixes (commit "Extractor: general fixes for the faults blind round C
exposed") round C is at precision 0.98, recall 1.00, stance 0.97 — no longer blind — with the
original set unchanged (0.98 / 0.98 / 0.97) and rounds A and B unchanged.  The one remaining
false positive, "the AU announced an electronic pan-African payment system", is arguably an
inconsistency of the round-C gold (round A's gold counts "announced a complete withdrawal");
it was left as annotated rather than changed after the score was known.  Pooled over the
three blind rounds (154 gold statements, 121 predicted, 93 matched) the blind figures are
precision 0.77, recall 0.60, stance 0.86: three times the targets failed on text the
extractor had not met, and the fixes of one round did not carry to the next.  An informal
look (no gold, not scored) at four further Wikinews articles after these fixes still showed
errors of the same kinds, e.g. "the state of emergency United States President Donald Trump
declared" read with "state of emergency United States President Donald Trump" as a speaker.

Round D (five more Wikinews articles, ``"round": "D"``: a border-wall emergency, a police
rape trial, an emissions investigation, a mass shooting, Ebola treatments) was chosen, copied
and annotated by a second annotator who had not seen the extractor's code or output, and
committed before the extractor was run on it.  Scored blind after the round-C fixes, 71 gold,
56 predicted, 47 matched — precision 0.84, recall 0.66, F1 0.74, stance 0.85:

==============================  ====  ====  =====  =====  =====  ======
article                         gold  pred  match  prec   rec    stance
==============================  ====  ====  =====  =====  =====  ======
ebola_treatments                  10     7      7   1.00   0.70    0.86
el_paso_shooting                  22    17     11   0.65   0.50    1.00
ford_emissions_investigation      10     6      6   1.00   0.60    1.00
paris_police_rape_trial           13    12     10   0.83   0.77    0.70
trump_border_emergency            16    14     13   0.93   0.81    0.77
==============================  ====  ====  =====  =====  =====  ======

Precision came closer to the target than in any earlier round (0.84 against 0.75–0.78);
recall (0.66) did not.  Pooled over the four blind rounds (225 gold, 177 predicted, 140
matched): precision 0.79, recall 0.62, stance 0.86.

After the round-D fixes (commit "Extractor: general fixes for the faults blind round D
exposed": appositives after "according to X", "according to X, who said …", a time adverbial
between subject and verb, "U.S." as a place in titles, a trailing attribution before a dash
aside) round D is at precision 0.91, recall 0.73, stance 0.85 — no longer blind, and still
short of the targets: most of its remaining misses are constructions no general rule here
reads yet ("identified X as Y", group speakers named later, "they" for a subject without a
reporting verb, denials without denial words).  The original set and rounds A–C are unchanged.

Between rounds D and E the rules were widened for what rounds A–D had shown, in general form
(more reporting verbs and speaker nouns, "went on to say", "said in an interview with …",
"…, citing X", a post alone finding its holder, "could be" as a possibility, a clause-internal
attribution, "X's position was that …"), with round D going to precision 0.99, recall 0.94
and the other rounds up or unchanged.  Round E (five more Wikinews articles, ``"round":
"E"``: a mayor stabbed on stage in Gdańsk, a cargo plane crash in Karaj, a car bomb in Maidan
Wardak, Hagia Sophia as a mosque, a ballot-law lawsuit in Montana) was chosen, copied and
annotated by a second annotator who had not seen the extractor's code or output, and
committed before the extractor was run on it.  Scored blind after those changes, 74 gold,
58 predicted, 45 matched — precision 0.78, recall 0.61, F1 0.68, stance 0.93:

==============================  ====  ====  =====  =====  =====  ======
article                         gold  pred  match  prec   rec    stance
==============================  ====  ====  =====  =====  =====  ======
gdansk_mayor_stabbing             19    15     13   0.87   0.68    0.85
hagia_sophia_mosque               17    15      7   0.47   0.41    1.00
karaj_cargo_plane_crash           20    15     12   0.80   0.60    0.92
maidan_wardak_bombing             10     8      8   1.00   0.80    1.00
montana_native_ballot_lawsuit      8     5      5   1.00   0.62    1.00
==============================  ====  ====  =====  =====  =====  ======

Pooled over the five blind rounds (299 gold, 235 predicted, 185 matched): precision 0.79,
recall 0.62, stance 0.88.  The widening that took round D from recall 0.73 to 0.94 left
blind recall where it was in every earlier round.  Half of Hagia Sophia's misses are one
fault: the article names "Recep Tayyip Erdoğan" once and "Erdogan" five times, and the
extractor did not take the unaccented surname for the accented one.  Karaj's misses are
mostly sources that "list", "cite" or "describe" rather than say, and a trade publication
named by description ("an industry publication") where the gold names it.

After the round-E fixes — first a name found with or without its accents (round E to 0.84 /
0.66), then the commits "Extractor: bare reporting verbs after a plural subject …",
"Extractor: passives and cited sources …", "Extractor: an organisation named then described
by its kind …" and "Extractor: 'Reports vary between A and B' …" — round E is at precision
0.99, recall 0.97, stance 0.99 (74 gold, 73 predicted, 72 matched), and the original set and
rounds A–D are unchanged.  These figures are not blind: the fixes were written knowing round
E's misses.  Each is a general rule with a test on invented sentences: bare verbs after plural
subjects ("Officials claim"), reduced passives ("a plane, reported by local press as belonging
to …"), "were reported by X to have …", "cited/quoted X as saying", "the industry
publication" for the press organisation that spoke last, a dash aside before a quotation,
"the" + a personal title + a full name as a person, affiliation asides ("X, of the council,
said"), "Reports vary between …", "the proclamation of X as Y by Z", and solidarity and
condolences as statements without a proposition.  Left: "does not list any 707s" (a negated
report, which the rules drop), "it lists a tail number" (a listing without "as"), and a
rhetorical denial without denial words.

Round F (five more Wikinews articles, ``"round": "F"``: bombs at a cathedral in Jolo, the
Amazon fires at the G7, a boat fire off California, the sentencing of Qandeel Baloch's
brother, Samoa's measles shutdown) was chosen, copied and annotated by a second annotator who
had not seen the extractor's code or output, and committed before the extractor was run on
it; the routine runs left it out until its score was taken.  Scored blind after all the
round-E fixes above and the speed work, 64 gold, 51 predicted, 43 matched — precision 0.84,
recall 0.67, F1 0.75, stance 0.79:

==============================  ====  ====  =====  =====  =====  ======
article                         gold  pred  match  prec   rec    stance
==============================  ====  ====  =====  =====  =====  ======
amazon_fires_g7                   13     7      6   0.86   0.46    0.67
california_boat_fire              12    11      8   0.73   0.67    0.50
jolo_cathedral_bombing            13    13     11   0.85   0.85    1.00
qandeel_baloch_sentencing         12    10      9   0.90   0.75    0.67
samoa_measles_shutdown            14    10      9   0.90   0.64    1.00
==============================  ====  ====  =====  =====  =====  ======

Pooled over the six blind rounds (363 gold, 286 predicted, 228 matched): precision 0.80,
recall 0.63, stance 0.86.  A sixth time the targets failed on text the extractor had not met,
after the largest widening yet (round E from recall 0.66 to 0.97).  What round F misses is
mostly what no attribution rule of this kind reads: statements named by a noun phrase ("The
call", "Macron's statement", "Statements of condemnation", "Macron's recommendation the fires
be added to the agenda"), objects of verbs that are not reporting verbs ("attributed this to
human activity", "blamed family honor"), a block quotation signed on a dash line, and
denials without denial words ("there are no locked doors").  Its three false positives of
note are plain faults: "according to USA Today" split at "USA", a sentence adverb ("However",
"such") taken as the statement.

Rounds G and H (ten more Wikinews articles, ``"round": "G"`` and ``"H"``: a broadcaster shut
down in the Philippines, the US campaign trail in May 2020, water at Easter Island's statues, a
missing tanker, Tesco's sale in Poland; the GSA's transition letter, an arms-maker acquisition,
a self-cleaning toilet coating, a ruling on Trump's tax records, the youtube-dl takedown) were
chosen and annotated by annotators who had seen neither the parser-based extractor's code nor
its output, and committed before it ran on them.  The design was chosen on the original set and
rounds A–F only (the combined one: the rules, and what the parse of the sentences they leave
finds), and G and H were then scored once, 7 December 2026, with the parser of the first
training run (UD English EWT test split: UAS 0.825, LAS 0.789), nothing changed in response:

==============================  ====  ====  =====  =====  =====  ======
article                         gold  pred  match  prec   rec    stance
==============================  ====  ====  =====  =====  =====  ======
abs_cbn_shutdown                  11     5      3   0.60   0.27    1.00
campaign_trail_may_2020           24    21     15   0.71   0.62    0.87
easter_island_statues_water        8     3      3   1.00   0.38    0.67
namse_bangdzod_disappearance      36    30     25   0.83   0.69    0.72
tesco_poland_sale                 16    13     10   0.77   0.62    0.90
**round G**                       95    72     56   0.78   0.59    0.80
gsa_transition_letter             16    13      9   0.69   0.56    0.56
hirtenberger_acquisition          20    16     15   0.94   0.75    0.67
self_cleaning_toilet_coating      14    11      9   0.82   0.64    0.78
trump_tax_records_ruling          11    13      7   0.54   0.64    1.00
youtube_dl_dmca_takedown          23    14      9   0.64   0.39    0.67
**round H**                       84    67     49   0.73   0.58    0.71
==============================  ====  ====  =====  =====  =====  ======

Pooled over G and H (179 gold, 139 predicted, 105 matched): precision 0.76, recall 0.59, F1
0.66, stance 0.76 — below the goal (0.85 each) and no better than the rules' six earlier blind
rounds (0.80 / 0.63).  Of the 74 misses, 16 are a statement found with the wrong speaker (a
pronoun, "the website", "the network", "the chain" not taken for the source named before; a
document, "RIAA's take-down notice", named otherwise), each also a false positive; nine are the
answers of an interview printed as questions and answers, which nothing reads; the rest are noun-phrase
contents of verbs that are not reporting verbs, reporting verbs used for acts ("dismissed the
lawsuit", "appealed the decision", "maintained his lead", "contended for the nomination") and
denials or hedges without cue words.

Rounds I and J (ten more Wikinews articles, ``"round": "I"`` and ``"J"``: a study of youth
suicide and gun ownership and an interview on penguins' sex ratio, both ending in interviews, a
neurosurgery olympiad in Tyumen, a fan convention in Toronto, an earthquake in Mindanao; a
conviction for extortion, an elephant killed in Kerala, drugs found in a playground, a rugby
match, an interview on Rocky Linux) were chosen and annotated by annotators who had seen
neither the extractor's code nor its output, and committed before it ran on them; the
extractor was then changed for what G and H showed (README), without looking at I and J, and
scored once, 8 December 2026, with the same parser:

==============================  ====  ====  =====  =====  =====  ======
article                         gold  pred  match  prec   rec    stance
==============================  ====  ====  =====  =====  =====  ======
fan_expo_canada_2019              16     7      4   0.57   0.25    0.50
magellanic_penguin_sex_ratio      20    18      6   0.33   0.30    0.83
mindanao_earthquake_aftershocks   14     9      6   0.67   0.43    1.00
tyumen_neurosurgery_olympiad      15    13     11   0.85   0.73    0.82
youth_suicide_gun_ownership       14     5      4   0.80   0.29    0.75
**round I**                       79    52     31   0.60   0.39    0.81
avenatti_extortion_conviction      7     5      5   1.00   0.71    0.80
caloundra_wynnum_rugby            10    10     10   1.00   1.00    1.00
kamloops_playground_fentanyl      12    11      9   0.82   0.75    1.00
kerala_elephant_explosive_fruit   10     9      8   0.89   0.80    1.00
rocky_linux_centos                39    43     39   0.91   1.00    0.90
**round J**                       78    78     71   0.91   0.91    0.93
==============================  ====  ====  =====  =====  =====  ======

Pooled over I and J (157 gold, 130 predicted, 102 matched): precision 0.78, recall 0.65, F1
0.71, stance 0.89 — below the goal (0.85 each).  Half of J is one interview, which the new
transcript reader took whole (39 of 39); without it the pooled figure is 0.72 / 0.53.  Round I's
two interviews label their answers with initials ("NG", "MS"), which the reader gave as the
speaker instead of the person the initials stand for, so each answer counts as a miss and a
false positive (fixed after the scoring for labels set off by a colon); the rest of I's misses are paraphrases of a convention's panels ("Jenn
St-Onge … being forced to re-evaluate her life"), figures given by a disaster council's report
("76 villages were affected"), and a speaker read as the thing named last ("Kudarat" for the
mayor of Sultan Kudarat, "his message to the regional parliamentarians").

A round whose blind score is not yet in ``BLIND`` is left out of the default table (and of the
tests and the speed benchmark, which read the same list), so that no routine run puts the
extractor on it; it is scored, blind, only when named (``--set G`` for a seventh round).

Annotation conventions
----------------------
* A statement is a speech act with content attributed to an identifiable source: reporting
  verbs, "according to", quotations, characterisations ("called X Y"), and requests or
  condemnations with an object ("urged …", "condemned the attack").  Official acts
  (sanctions, designations, orders) and unattributed narration are not statements.
* ``text`` is the reported content only — for quotations, the words inside the marks
  (one statement per quoted segment when an attribution splits a quotation); for reported
  speech, the clause after the verb or before a trailing attribution, without "that".
* Relays: when a source's words reach the article through another party, ``speaker`` is
  the original source and ``relayed_by`` the party ("X told Reuters" → Reuters; "colleagues
  told me …, Mir added" → speaker the colleagues, relayed by Mir; "Reuters, citing
  sources, reported" → speaker the sources, relayed by Reuters).
* ``anonymous`` means the source is not identified by a proper name of a person or
  organisation ("officials", "a source in Islamabad", "state media").
* ``stance``: ``denies`` rejects a proposition; ``unconfirmed`` says it is unverified,
  possible or in question; ``mentions`` carries no checkable proposition (requests, feelings,
  praise, slogans); ``asserts`` otherwise.

Matching rule
-------------
A predicted statement matches a gold statement when both hold:

1. Speakers match.  Each speaker is normalised — lower-cased, possessive "'s" removed, split
   into words, function words (a, an, the, of, in, for, to, from, at, on, by, and, and
   possessive pronouns) dropped — and one word set must be a subset of the other.  "Mir"
   matches "Asfandyar Mir"; "Asfandyar Mir" does not match "Hamid Mir".
2. Spans overlap by at least 50% of the shorter one, in characters.  The gold span is found
   by locating its text in the article (its ``occurrence``-th match, default the first).

Pairs are matched greedily one-to-one, largest overlap first.  Precision = matched /
predicted, recall = matched / gold, F1 their harmonic mean.  Stance accuracy (and the
anonymity and direct-quote columns) are computed over matched pairs only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD_DIR = ROOT / "tests" / "data" / "extraction"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from factcheck.extraction import ExtractedStatement, extract_statements  # noqa: E402
from factcheck.extraction.extractor import DESIGNS, default_design  # noqa: E402

_FUNCTION_WORDS = frozenset(
    "a an the of in for to from at on by and under its his her their our my your".split()
)
_WORD_RE = re.compile(r"[\w][\w.'\-]*")


def speaker_words(speaker: str) -> frozenset[str]:
    """Normalised significant words of a speaker name or description."""
    words = set()
    for word in _WORD_RE.findall(speaker.lower().replace("’", "'")):
        word = word.rstrip(".'")
        if word.endswith("'s"):
            word = word[:-2]
        if word and word not in _FUNCTION_WORDS:
            words.add(word)
    return frozenset(words)


def speakers_match(a: str, b: str) -> bool:
    wa, wb = speaker_words(a), speaker_words(b)
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)


def overlap_ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    shorter = min(a[1] - a[0], b[1] - b[0])
    if shorter <= 0:
        return 0.0
    return max(0, min(a[1], b[1]) - max(a[0], b[0])) / shorter


@dataclass
class GoldStatement:
    speaker: str
    start: int
    end: int
    stance: str
    direct: bool
    anonymous: bool
    relayed_by: str | None


@dataclass
class Result:
    name: str
    held_out: bool
    gold: list[GoldStatement]
    predicted: list[ExtractedStatement]
    pairs: list[tuple[GoldStatement, ExtractedStatement]] = field(default_factory=list)
    round: str | None = None

    @property
    def missed(self) -> list[GoldStatement]:
        matched = {id(g) for g, _ in self.pairs}
        return [g for g in self.gold if id(g) not in matched]

    @property
    def spurious(self) -> list[ExtractedStatement]:
        matched = {id(p) for _, p in self.pairs}
        return [p for p in self.predicted if id(p) not in matched]


def locate(article: str, text: str, occurrence: int) -> tuple[int, int]:
    position = -1
    for _ in range(occurrence + 1):
        position = article.find(text, position + 1)
        if position < 0:
            raise ValueError(f"gold text not in article: {text[:60]!r}")
    return position, position + len(text)


def article_path(relative: str) -> Path:
    """Where an annotation's ``article`` lives: paths starting with ``tests/`` are the project's
    own copies (the blind rounds), read from the repository root; the others are in ../shared."""
    if relative.startswith("tests/"):
        return ROOT / relative
    return SHARED / relative


def gold_round(path: Path) -> str | None:
    """The blind round ("A", "B", "C", "D", "E") of an annotation file, or None for the original set."""
    return json.loads(path.read_text(encoding="utf-8")).get("round")


def available(path: Path) -> bool:
    """Whether the article of an annotation file is present (../shared may be absent)."""
    return article_path(json.loads(path.read_text(encoding="utf-8"))["article"]).is_file()


def load_gold(path: Path) -> tuple[str, bool, str, list[GoldStatement]]:
    """Article text, held-out flag, name and gold statements of one annotation file."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    article = article_path(doc["article"]).read_text(encoding="utf-8")
    gold = []
    for item in doc["statements"]:
        start, end = locate(article, item["text"], item.get("occurrence", 0))
        gold.append(
            GoldStatement(item["speaker"], start, end, item["stance"], item["direct"], item["anonymous"],
                          item["relayed_by"])
        )
    return article, bool(doc.get("held_out")), path.stem, gold


def match(gold: list[GoldStatement], predicted: list[ExtractedStatement]) -> list[tuple[GoldStatement, ExtractedStatement]]:
    """Greedy one-to-one matching, largest overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            ratio = overlap_ratio((g.start, g.end), (p.start, p.end))
            if ratio >= 0.5 and speakers_match(g.speaker, p.speaker):
                candidates.append((ratio, gi, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        pairs.append((gold[gi], predicted[pi]))
    return pairs


def evaluate(path: Path, design: str | None = None) -> Result:
    article, held_out, name, gold = load_gold(path)
    predicted = extract_statements(article, design)
    result = Result(name, held_out, gold, predicted, round=gold_round(path))
    result.pairs = match(gold, predicted)
    return result


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.2f}"


def row(label: str, results: list[Result]) -> str:
    gold = sum(len(r.gold) for r in results)
    predicted = sum(len(r.predicted) for r in results)
    pairs = [pair for r in results for pair in r.pairs]
    precision = _ratio(len(pairs), predicted)
    recall = _ratio(len(pairs), gold)
    f1 = None
    if precision is not None and recall is not None and precision + recall > 0:
        f1 = 2 * precision * recall / (precision + recall)
    stance = _ratio(sum(g.stance == p.stance for g, p in pairs), len(pairs))
    anonymous = _ratio(sum(g.anonymous == p.anonymous for g, p in pairs), len(pairs))
    direct = _ratio(sum(g.direct == p.direct for g, p in pairs), len(pairs))
    return (
        f"{label:<34} {gold:>5} {predicted:>5} {len(pairs):>5}  {_fmt(precision)} {_fmt(recall)} "
        f"{_fmt(f1)}  {_fmt(stance)} {_fmt(anonymous)} {_fmt(direct)}"
    )


# The blind scores, as first measured, before any change made for that round (see the module
# docstring): article -> (gold, predicted, matched, matched with the right stance).
BLIND = {
    "A": {
        "blind_a_australia_toilet_paper": (16, 14, 10, 10),
        "blind_a_kurds_syria_deal": (14, 11, 10, 8),
        "blind_a_prorogation_ruling": (13, 7, 5, 4),
        "blind_a_streatham_attack": (12, 12, 9, 7),
        "blind_a_uk_diplomat_immunity": (14, 10, 8, 5),
    },
    "B": {
        "blind_b_eastmed_pipeline": (29, 17, 14, 11),
        "blind_b_pelosi_inquiry": (9, 6, 5, 4),
        "blind_b_puerto_rico_governor": (7, 8, 5, 5),
    },
    "C": {
        "blind_c_africa_free_trade": (8, 12, 8, 8),
        "blind_c_argentina_abortion_bill": (11, 7, 5, 5),
        "blind_c_ecj_facebook_ruling": (11, 6, 6, 5),
        "blind_c_hong_kong_extradition_bill": (10, 11, 8, 8),
    },
    "D": {
        "blind_d_ebola_treatments": (10, 7, 7, 6),
        "blind_d_el_paso_shooting": (22, 17, 11, 11),
        "blind_d_ford_emissions_investigation": (10, 6, 6, 6),
        "blind_d_paris_police_rape_trial": (13, 12, 10, 7),
        "blind_d_trump_border_emergency": (16, 14, 13, 10),
    },
    "E": {
        "blind_e_gdansk_mayor_stabbing": (19, 15, 13, 11),
        "blind_e_hagia_sophia_mosque": (17, 15, 7, 7),
        "blind_e_karaj_cargo_plane_crash": (20, 15, 12, 11),
        "blind_e_maidan_wardak_bombing": (10, 8, 8, 8),
        "blind_e_montana_native_ballot_lawsuit": (8, 5, 5, 5),
    },
    "F": {
        "blind_f_amazon_fires_g7": (13, 7, 6, 4),
        "blind_f_california_boat_fire": (12, 11, 8, 4),
        "blind_f_jolo_cathedral_bombing": (13, 13, 11, 11),
        "blind_f_qandeel_baloch_sentencing": (12, 10, 9, 6),
        "blind_f_samoa_measles_shutdown": (14, 10, 9, 9),
    },
    # Rounds G and H: the combined design (rules + parse), scored once, 7 December 2026, with the
    # parser of the first training run (2,500 steps); see the docstring.
    "G": {
        "blind_g_abs_cbn_shutdown": (11, 5, 3, 3),
        "blind_g_campaign_trail_may_2020": (24, 21, 15, 13),
        "blind_g_easter_island_statues_water": (8, 3, 3, 2),
        "blind_g_namse_bangdzod_disappearance": (36, 30, 25, 18),
        "blind_g_tesco_poland_sale": (16, 13, 10, 9),
    },
    "H": {
        "blind_h_gsa_transition_letter": (16, 13, 9, 5),
        "blind_h_hirtenberger_acquisition": (20, 16, 15, 10),
        "blind_h_self_cleaning_toilet_coating": (14, 11, 9, 7),
        "blind_h_trump_tax_records_ruling": (11, 13, 7, 7),
        "blind_h_youtube_dl_dmca_takedown": (23, 14, 9, 6),
    },
    # Rounds I and J: the combined design after the changes G and H prompted, with the same
    # parser (2,500 steps), scored once, 8 December 2026; see the docstring.
    "I": {
        "blind_i_fan_expo_canada_2019": (16, 7, 4, 2),
        "blind_i_magellanic_penguin_sex_ratio": (20, 18, 6, 5),
        "blind_i_mindanao_earthquake_aftershocks": (14, 9, 6, 6),
        "blind_i_tyumen_neurosurgery_olympiad": (15, 13, 11, 9),
        "blind_i_youth_suicide_gun_ownership": (14, 5, 4, 3),
    },
    "J": {
        "blind_j_avenatti_extortion_conviction": (7, 5, 5, 4),
        "blind_j_caloundra_wynnum_rugby": (10, 10, 10, 10),
        "blind_j_kamloops_playground_fentanyl": (12, 11, 9, 9),
        "blind_j_kerala_elephant_explosive_fruit": (10, 9, 8, 8),
        "blind_j_rocky_linux_centos": (39, 43, 39, 35),
    },
}


def gold_paths(subset: str = "all") -> list[Path]:
    """The annotation files of ``subset``, the original set first, then the blind rounds in order.

    ``all`` is the original set and the rounds whose blind score is recorded in ``BLIND``.  A
    round not yet recorded is left out of ``all`` and scored only when named (``--set F``), so
    that no routine run — this table, the tests, the speed benchmark — puts the extractor on a
    blind round before its blind score is taken.  Files are chosen by name (``blind_<round>_…``
    for a round) before any is opened."""
    recorded = {name for names in BLIND.values() for name in names}
    paths = sorted(GOLD_DIR.glob("*.json"))
    if subset == "all":
        chosen = [path for path in paths if not path.stem.startswith("blind_") or path.stem in recorded]
    elif subset == "old":
        chosen = [path for path in paths if not path.stem.startswith("blind_")]
    else:
        prefix = f"blind_{subset.lower()}_"
        chosen = [path for path in paths if path.stem.startswith(prefix)]
        chosen = [path for path in chosen if gold_round(path) == subset]
    return sorted(chosen, key=lambda path: (gold_round(path) or "", path.name))


def _subset(value: str) -> str:
    if value in ("all", "old") or (len(value) == 1 and value.isalpha() and value.isupper()):
        return value
    raise argparse.ArgumentTypeError("expected all, old or a round letter (A, B, …)")


def recorded_row(label: str, counts: list[tuple[int, int, int, int]]) -> str:
    """A table row from recorded counts (anonymity and direct-quote agreement were not kept)."""
    gold, predicted, matched, stance = (sum(c[i] for c in counts) for i in range(4))
    precision, recall = _ratio(matched, predicted), _ratio(matched, gold)
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    return (
        f"{label:<34} {gold:>5} {predicted:>5} {matched:>5}  {_fmt(precision)} {_fmt(recall)} "
        f"{_fmt(f1)}  {_fmt(_ratio(stance, matched))} {_fmt(None)} {_fmt(None)}"
    )


HEADER = (
    f"{'article':<34} {'gold':>5} {'pred':>5} {'match':>5}  {'prec':>5} {'rec':>5} {'F1':>5}  "
    f"{'stance':>5} {'anon':>5} {'direct':>5}"
)


def details(result: Result, article: str) -> list[str]:
    lines = [f"--- {result.name}"]
    for g in result.missed:
        lines.append(f"  MISSED   [{g.speaker}] {article[g.start:g.end][:90]!r}")
    for p in result.spurious:
        lines.append(f"  SPURIOUS [{p.speaker}] ({p.cue}) {p.text[:90]!r}")
    for g, p in result.pairs:
        if g.stance != p.stance:
            lines.append(f"  STANCE   gold={g.stance} got={p.stance} [{p.speaker}] {p.text[:70]!r}")
    return lines


def compare(paths: list[Path]) -> int:
    """Every design on the same articles: a summary row per set (the original set, each round,
    the rounds pooled) and design."""
    by_design = {design: [evaluate(path, design) for path in paths] for design in DESIGNS}
    print(HEADER)
    print("-" * len(HEADER))
    sets: list[tuple[str, set[str | None]]] = []
    rounds = sorted({r.round for r in by_design[DESIGNS[0]] if r.round is not None})
    if any(r.round is None for r in by_design[DESIGNS[0]]):
        sets.append(("original set", {None}))
    sets.extend((f"round {name}", {name}) for name in rounds)
    if len(rounds) > 1:
        sets.append((f"rounds {rounds[0]}-{rounds[-1]} pooled", set(rounds)))
    if len(sets) > 1:
        sets.append(("everything", {None, *rounds}))
    for label, members in sets:
        for design in DESIGNS:
            print(row(f"{label}: {design}", [r for r in by_design[design] if r.round in members]))
        print()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true", help="list misses, false positives and stance errors")
    parser.add_argument("--set", dest="subset", type=_subset, default="all",
                        help="evaluate only the original articles (old) or one blind round (a letter); "
                             "a round not yet recorded is scored only when named here")
    parser.add_argument("--extractor", choices=DESIGNS, default=None,
                        help="the design to score: the rules alone, the parse alone, or the rules with "
                             "what the parse adds (default: the extractor's own default, "
                             f"{default_design()} here)")
    parser.add_argument("--compare", action="store_true",
                        help="score every design on the same sets, one summary row per set and design")
    args = parser.parse_args(argv)
    paths = [path for path in gold_paths(args.subset) if available(path)]
    if not paths:
        print("no annotated article present (the original set lives in ../shared beside the repository)")
        return 0
    if args.compare:
        return compare(paths)
    design = args.extractor or default_design()
    print(f"extractor: {design}")
    results = [evaluate(path, design) for path in paths]
    print(HEADER)
    print("-" * len(HEADER))
    for result in results:
        label = result.name + (" (held-out)" if result.held_out else "")
        print(row(label, [result]))
    print("-" * len(HEADER))
    original = [r for r in results if r.round is None]
    if original:
        print(row("original set, tuned on", [r for r in original if not r.held_out]))
        print(row("original set, held-out 09 and 10", [r for r in original if r.held_out]))
        print(row("original set, all", original))
    for name in sorted({r.round for r in results if r.round is not None}):
        now = [r for r in results if r.round == name]
        counts = BLIND.get(name)
        if counts is None:  # not yet recorded: this run is the blind one
            print(row(f"round {name}, blind (not yet recorded)", now))
            continue
        print(row(f"round {name}, now (not blind)", now))
        print(recorded_row(f"round {name}, blind (recorded)", [counts[r.name] for r in now if r.name in counts]))
    if len({r.round for r in results}) > 1:
        print(row("all articles, now", results))
    if args.details:
        for path, result in zip(paths, results):
            article, *_ = load_gold(path)
            print("\n".join(details(result, article)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
