"""What a statement does to the proposition it carries, judged from the statement alone.

* ``unconfirmed`` — the speaker says the matter is not (yet) established: "hasn't been
  independently confirmed", "cannot be ruled out", "it is possible", "questions remain", or
  hedges in the speaker's own words ("I'm not sure", "my guess is", "hard to say",
  "plausible", "appears to").
  Checked first, because hedges often co-occur with negations ("could not be verified"),
  and only in the statement's first sentence: that is where a statement states its point,
  while a hedge further into a long quotation usually qualifies a side remark.
* ``denies`` — a denial verb (deny, reject, dismiss, refute…) or denial wording in the
  statement ("fabricated", "propaganda", "no evidence", "false", "baseless", "no trace",
  "unlikely").  A plain negation is not read as a denial: "his death won't end Al-Qaeda" asserts
  as often as "she was never pressured" denies (tried on rounds A–H: more errors than fixes).
* ``mentions`` — used sparingly, for statements that carry no checkable proposition: the
  cue is a request, appeal, condemnation or praise ("urged", "called for", "condemned"), or
  every sentence of the statement is a question, an imperative ("Imagine…"), a first-person
  wish or demand ("We expect…", "I request…") or a first-person feeling ("so sad",
  "painful").  A single factual sentence anywhere makes the statement ``asserts``.
* ``asserts`` — everything else: the speaker puts a proposition forward.
"""

from __future__ import annotations

import re

UNCONFIRMED_RE = re.compile(
    r"\b(?:(?:has|have|had|is|are|was|were)(?:n't| not)(?: yet)?(?: been)?(?: independently)? (?:confirmed|verified)"
    r"|not (?:yet )?(?:been )?(?:independently )?(?:confirmed|verified)"
    r"|(?:can|could|cannot|can't|couldn't)(?: not)?(?: be)?(?: independently)? (?:confirm|verif)\w*"
    r"|(?:cannot|can't|could not|couldn't|can not) (?:be )?rul(?:e|ed) out"
    r"|(?:cannot|can't|could not|couldn't) rule out"
    r"|un(?:confirmed|verified|substantiated|clear)"
    r"|no (?:independent )?(?:confirmation|verification)"
    r"|(?:it is|it's|it was|remains|remain) (?:still )?(?:possible|unclear|not clear|unknown|uncertain)"
    r"|questions remain|speculat\w*|possibility"
    # a hedge in the speaker's own words: "I'm not sure", "my guess is", "it is a little hard to
    # say", "plausible", "appeared to", "dubious", "can't guarantee"
    r"|(?:i'm|i am|we're|we are|not) (?:not )?(?:sure|certain)|my (?:guess|assumption)"
    r"|hard to (?:\w+ )?(?:say|tell|know)|plausible|dubious|(?:can't|cannot|can not) guarantee"
    r"|appear(?:s|ed)? to|seem(?:s|ed)? to"
    # "might have encouraged", "might end up", "could have far-reaching implications" — but not a
    # hedge inside a relative clause, which qualifies a noun: "speech that might be illegal"
    r"|(?<!that )(?<!which )(?<!who )(?:(?:may|could) (?:not )?have|might)"
    r")\b"
)
DENIAL_RE = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial)|reject\w*|dismiss(?:es|ed|ing)?|refut\w*|rebut\w*|fabricat\w*|propaganda"
    r"|no evidence|false(?:ly|hood)?|(?:un|im)likely|improbable|baseless|groundless|unfounded|untrue|hoax|fake news"
    r"|no traces?|(?:did|do|does)(?:n't| not) (?:believe|think)|nothing to do with|unrelated"
    r"|not (?:true|correct|accurate)|misinformation|disinformation|witch.?hunt|smear|nonsense"
    r"|(?:is|was|are|were|'s|be|been|it) (?:all |completely |totally |a |just )?fake)\b"  # not "a fake vest"
)
# A sentence without a proposition: an opening word or phrase (tried at the start only) …
_NON_PROPOSITION_START_RE = re.compile(
    r"\W*(?:imagine|please|let's|let us|thank you|thanks)\b"
    r"|\W*(?:you|they|we) (?:need to|must|should|have to|ought to)\b"  # an appeal to others
    # "expressed opposition to …", "gave its deepest sympathies": a feeling or a position
    r"|\W*(?:(?:his|her|their|its|our|my|deep|deepest|strong|grave|serious|full) )*(?:opposition|support|concerns?"
    r"|regret|sympath(?:y|ies)|condolences|gratitude|solidarity|disappointment|frustration|anger|outrage|dismay"
    r"|appreciation)\b"
)
# … a question mark with nothing but punctuation after it (see _question) …
_NON_WORDS_RE = re.compile(r"\W*")
# … or a first-person wish, demand or vow, or a feeling, anywhere in it
_NON_PROPOSITION_RE = re.compile(
    r"\b(?:i|we) (?:request|expect|urge|hope|wish|call on|ask|appreciate|thank|want|demand|count on|pray)\b"
    r"|\b(?:i|we) (?:will|shall) (?:never|always)\b"  # a vow
    r"|\b(?:my|our) (?:thoughts|prayers|hearts) (?:are|go) (?:with|out)\b"
    r"|\b(?:so|very|pretty|really|deeply) (?:sad|cool|happy|proud|sorry|painful|disappointing|great)\b"
    # solidarity: "we are with you", "I am unconditionally with him", "we stand with the victims"
    r"|\b(?:i am|i'm|we are|we're|(?:i|we) (?:stand|remain))(?: \w+)? with (?:you|him|her|them|the|all|everyone|"
    r"his|her|their|our)\b"
    # condolences and wishes: "extends its profound condolences", "our best wishes for …"
    r"|\b(?:extend|extends|extended|offer|offers|offered|send|sends|sent|express|expresses|expressed|convey|"
    r"conveys|conveyed)(?: \w+){0,3} (?:condolences|sympath(?:y|ies)|best wishes|prayers|gratitude)\b"
    r"|\b(?:our|my) (?:\w+ )?(?:best wishes|condolences|sympath(?:y|ies)|prayers)\b"
)
_FEELING_RE = re.compile(
    r"\b(?:sad|cool|happy|proud|sorry|pain|painful|disappoint\w*|grateful|thankful|heartbroken|shocked|"
    r"saddened|outraged|upset|delighted|glad|prayers|condolences)\b"
)
_SPEAKER_REFERENCE_RE = re.compile(r"\b(?:i|we|my|our|me|us|that|this|it)\b")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+|\[\.\.\.\]|…")


def _gate(*hints: str) -> re.Pattern[str]:
    """A search for any of ``hints``: words that every match of a pattern contains.  Plain words
    are found several times faster than the pattern (whose leading ``\\b`` keeps the engine from
    skipping ahead), and most statements contain none of them, so the pattern itself is only
    tried where one occurs."""
    return re.compile("|".join(re.escape(hint) for hint in hints))


_UNCONFIRMED_GATE = _gate("confirm", "verif", "rul", "unsubstantiated", "unclear", "possib", "not clear", "unknown",
                          "uncertain", "questions remain", "speculat", "may ", "could ", "might", "sure", "certain",
                          "guess", "assumption", "hard to", "plausible", "dubious", "guarantee", "appear", "seem")
_DENIAL_GATE = _gate("den", "reject", "likely", "improbable", "dismiss", "refut", "rebut", "fabricat", "propaganda",
                     "no evidence", "false", "baseless", "groundless", "unfounded", "untrue", "hoax", "fake", "no trace",
                     "believe", "think", "nothing to do with", "unrelated", "not true", "not correct", "not accurate", "information",
                     "witch", "smear", "nonsense")
_NON_PROPOSITION_GATE = _gate("i ", "we ", "i'", "we'", "my ", "our ", "so ", "very ", "pretty ", "really ", "deeply ",
                              "condolences", "sympath", "wishes", "prayers", "gratitude")
_FEELING_GATE = _gate("sad", "cool", "happy", "proud", "sorry", "pain", "disappoint", "grateful", "thankful",
                      "heartbroken", "shocked", "outraged", "upset", "delighted", "glad", "prayers", "condolences")

# "the toll could be higher", "the fault could be in the software": a possibility — unless an
# "if" clause makes it a consequence ("if stock could be bought, people would calm down") or it
# sits in a clause of its own ("concerns that the figures could be wrong")
_COULD_BE_RE = re.compile(r"\bcould (?:well |still |also |even |easily )?be\b")


def _could_be(sentence: str) -> bool:
    if "could " not in sentence:
        return False
    match = _COULD_BE_RE.search(sentence)
    return match is not None and not re.search(r"\b(?:if|unless|whether|that)\b", sentence[: match.start()])


_DENIAL_VERB_RE = re.compile(r"den(?:y|ies|ied|ying)|reject\w*|dismiss(?:es|ed|ing)?|refut\w*|rebut\w*")
_CLAUSE_START_RE = re.compile(r"[.;:!?]\s+|,\s+(?:and|but)\s+|\b(?:that|and|but)\s+")


def _denial(text: str) -> bool:
    """Denial wording — but a denial verb only when the speaker denies ("we reject this claim",
    "denied the report"), not when the statement reports someone else's denial ("the parliament
    rejected the deal")."""
    if _DENIAL_GATE.search(text) is None:
        return False
    for match in DENIAL_RE.finditer(text):
        if not _DENIAL_VERB_RE.fullmatch(match.group()):
            return True
        starts = [m.end() for m in _CLAUSE_START_RE.finditer(text, 0, match.start())]
        subject = text[starts[-1] if starts else 0 : match.start()].split()
        if not subject or subject[0].strip("\"“'") in {"i", "we"} and len(subject) <= 3:
            return True
    return False


STANCES = frozenset({"asserts", "denies", "unconfirmed", "mentions"})


def classify(statement: str, cue_kind: str) -> str:
    """Stance of ``statement`` introduced by a cue of ``cue_kind`` (see lexicon.CUES)."""
    text = statement.replace("’", "'").lower()  # the patterns are lower-case
    if "." in text or "!" in text or "?" in text or "[" in text or "…" in text:
        sentences = [s for s in _SENTENCE_SPLIT_RE.split(text) if s and s.strip(" \"“”'.,;:")]
    else:  # nothing to split at
        sentences = [text] if text and text.strip(" \"“”'.,;:") else []
    if sentences and (_unconfirmed(sentences[0]) or _could_be(sentences[0])):
        return "unconfirmed"
    if cue_kind == "doubt":  # "questioned his authority", "doubted the figures"
        return "unconfirmed"
    if cue_kind == "deny" or _denial(text):
        return "denies"
    if cue_kind == "request":
        return "mentions"
    if sentences and all(_without_proposition(s) for s in sentences):
        return "mentions"
    return "asserts"


def _unconfirmed(sentence: str) -> bool:
    return _UNCONFIRMED_GATE.search(sentence) is not None and UNCONFIRMED_RE.search(sentence) is not None


def _question(sentence: str) -> bool:
    """A question mark with nothing but punctuation and spaces after it."""
    mark = sentence.rfind("?")
    return mark >= 0 and _NON_WORDS_RE.fullmatch(sentence, mark + 1) is not None


def _without_proposition(sentence: str) -> bool:
    """A question, imperative, first-person wish, or first-person/deictic feeling."""
    if _NON_PROPOSITION_START_RE.match(sentence) or _question(sentence):
        return True
    if _NON_PROPOSITION_GATE.search(sentence) and _NON_PROPOSITION_RE.search(sentence):
        return True
    return bool(_FEELING_GATE.search(sentence) and _FEELING_RE.search(sentence)
                and _SPEAKER_REFERENCE_RE.search(sentence))
