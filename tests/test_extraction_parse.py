"""The extractor on the parse: the shipped model, the constructions read from the tree, the
designs side by side, the stance toward a claim, and bad input with the model loaded. Pure
functions: no database, no Flask (the CLI test uses Click's runner)."""

from __future__ import annotations

import json
import time

import pytest

from factcheck.extraction import extract, extract_statements, parse
from factcheck.extraction.claim_stance import claim_stance
from factcheck.extraction.extractor import DESIGNS, default_design

from .test_extraction import check_offsets

needs_model = pytest.mark.skipif(not parse.available(), reason="no parser model (run `make model`)")


def only(text: str, design: str = "combined"):
    statements = extract_statements(text, design)
    assert len(statements) == 1, [(s.speaker, s.text) for s in statements]
    return statements[0]


# --- the model ----------------------------------------------------------------------------------


@needs_model
def test_the_model_is_the_project_s_own_with_its_licence() -> None:
    """Loaded from the repository (never from the network), trained on UD English EWT, with
    the CC BY-SA 4.0 licence beside it and the accuracy `make model` printed."""
    assert parse.MODEL_DIR.is_dir() and (parse.MODEL_DIR / "meta.json").is_file()
    licence = (parse.MODEL_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "UD English EWT" in licence and "Attribution-ShareAlike 4.0" in licence
    meta = parse.describe_model()
    assert meta["license"] == "CC BY-SA 4.0"
    accuracy = meta["performance"]["test"]
    # a trained parser, not a stub: the figures `make model` printed are recorded beside it (the
    # goal, UAS 0.85 and LAS 0.80, and how far the shipped model is from it: README)
    assert accuracy["upos"] > 0.9 and accuracy["uas"] > 0.8 and accuracy["las"] > 0.75
    assert accuracy["uas_sentences"] >= accuracy["uas"] - 0.02 and accuracy["test_words"] > 25_000
    size = sum(p.stat().st_size for p in parse.MODEL_DIR.rglob("*") if p.is_file())
    assert size < 60_000_000


@needs_model
def test_the_parse_of_news_typography() -> None:
    nlp = parse.load()
    doc = nlp("“We reject this,” the ministry said—and added that talks would go on.")
    words = [t.text for t in doc]
    assert "“" in words and "”" in words and "—" in words
    said = next(t for t in doc if t.text == "said")
    assert any(c.dep_ == "nsubj" and c.text == "ministry" for c in said.children)


# --- constructions the rules do not read, from the tree -------------------------------------------


@needs_model
def test_a_clause_far_from_its_speaker() -> None:
    text = ("The agency, which has monitored the region since the floods of 2010 and the drought that "
            "followed them, said on Tuesday that water levels had fallen by half.")
    statement = only(text, "parse")
    assert statement.speaker.lower().endswith("agency")
    assert statement.text == "water levels had fallen by half"


@needs_model
def test_noun_phrase_object_of_a_reporting_verb() -> None:
    statement = only("Scientists attributed the warming to human activity.", "parse")
    assert statement.speaker.lower() == "scientists"
    assert statement.text.startswith("the warming to human activity")


@needs_model
def test_a_reporting_noun_with_its_clause() -> None:
    statement = only("The ministry's statement that the dam was safe came as a surprise.", "parse")
    assert statement.speaker.endswith("ministry") and statement.text == "the dam was safe"


@needs_model
def test_a_side_taken_on_something_said() -> None:
    """ "X was backed by Y", "Y opposed X's statement": Y's statement is the phrase naming what
    was said (a verb of taking sides with a noun of saying as its object or passive subject)."""
    statement = only("The proposal was backed by the mayor of Lyon.", "parse")
    assert statement.speaker == "mayor of Lyon" and statement.text == "The proposal"
    statement = only("The mayor welcomed the governor's call for calm.", "parse")
    assert statement.speaker == "mayor" and statement.text == "the governor's call for calm"


@needs_model
@pytest.mark.parametrize(
    "text",
    [
        "The ministry encouraged residents.",  # who is asked, not what
        "The coast guard called off its search late on Friday.",  # an act, not a characterisation
        "No group claimed responsibility for the attack.",  # nobody speaks
        "Officials described the fire.",  # "described X" without "as Y"
        "On Wednesday reported cases rose to ten.",  # a day is not a speaker
    ],
)
def test_what_the_parse_does_not_take_for_a_statement(text: str) -> None:
    assert extract_statements(text, "parse") == []


@needs_model
def test_the_parse_design_keeps_the_rules_coreference_and_relays() -> None:
    text = "Maria Lopez runs the clinic. Lopez told Reuters that three nurses had resigned."
    statement = only(text, "parse")
    assert statement.speaker == "Maria Lopez" and statement.relayed_by == "Reuters"
    assert statement.text == "three nurses had resigned"


@needs_model
@pytest.mark.parametrize("design", DESIGNS)
def test_every_design_gives_exact_offsets(design: str) -> None:
    from factcheck.demo import article_text

    article = article_text()
    statements = extract_statements(article, design)
    assert statements
    check_offsets(article, statements)


def test_the_default_design_is_named_and_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_design() in DESIGNS
    monkeypatch.setenv("FACTCHECK_EXTRACTOR", "rules")
    assert default_design() == "rules"
    with pytest.raises(ValueError):
        extract_statements("He said it.", "neural")


# --- stance toward a claim --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "statement", "cue", "stance"),
    [
        ("Eight Mexican nationals were killed in the shooting.", "six Mexican nationals were killed", "asserts",
         "denies"),
        ("Eight Mexican nationals were killed in the shooting.", "eight Mexicans died in the attack", "asserts",
         "asserts"),
        ("The minister was killed in a raid.", "We categorically reject this claim", "denies", "denies"),
        ("The minister was killed in a raid.", "his death hasn't been independently confirmed", "unconfirmed",
         "unconfirmed"),
        ("The minister was killed in a raid.", "the weather was fine all week", "asserts", "mentions"),
        ("Exports fell in 2019.", "there were 85% more exports in 2019 than in 2018", "asserts", "denies"),
        ("The population is about two million.", "the population is just over one million", "asserts", "denies"),
        ("The fire started in Lyon.", "the fire started in Marseille", "asserts", "denies"),
        ("The factory will close.", "We pray for the workers and their families", "mentions", "mentions"),
        # a quarter of the claim's words is enough to bear on it (MIN_SHARED)
        ("Three people were injured in the Streatham attack.", "Two women and a man were injured", "asserts",
         "asserts"),
    ],
)
def test_claim_stance_cues(claim: str, statement: str, cue: str, stance: str) -> None:
    assert claim_stance(claim, statement, cue) == stance


def test_no_claim_no_claim_stance() -> None:
    text = "The Taliban denied that Umar was killed."
    plain = extract(text)
    assert all("claim_stance" not in s.to_dict() for s in plain.statements)
    assert "claim" not in plain.to_dict()
    read = extract(text, claim="Umar was killed in a raid.")
    assert [s.claim_stance for s in read.statements] == ["denies"]
    document = read.to_dict()
    assert document["claim"] == "Umar was killed in a raid."
    assert document["statements"][0]["claim_stance"] == "denies" and document["statements"][0]["stance"] == "denies"


def test_cli_takes_the_claim() -> None:
    from click.testing import CliRunner

    from factcheck.cli import extract as extract_command

    text = "Officials said six people were killed in the blast. The army denied that anyone had died."
    result = CliRunner().invoke(extract_command, ["-", "--claim", "Ten people were killed in the blast.", "--json"],
                                input=text)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    stances = [(s["speaker"], s["stance"], s["claim_stance"]) for s in document["statements"]]
    assert ("officials", "asserts", "denies") in [(a.lower(), b, c) for a, b, c in stances]
    plain = CliRunner().invoke(extract_command, ["-", "--claim", "Ten people were killed in the blast."], input=text)
    assert "toward the claim: denies" in plain.output


# --- bad input, with the model loaded ------------------------------------------------------------


@needs_model
@pytest.mark.parametrize(
    "text",
    [
        " ".join(["he said we would go"] * 20_000) + ".",  # one sentence of 100,000 words
        '"' * 10_000,
        'He said "' * 10_000,
        "“" * 10_000 + " said the man. " * 100,
        ("according to officials, " * 20_000)[:480_000],
        ("((WN))  Why did it fail?\n\n((Ana Ruiz))  It failed because he said so.\n\n" * 6_000)[:480_000],
        ("NG: It was safe, Natasha Gownaris said.\n\n" * 12_000)[:480_000],
    ],
    ids=["one-sentence-of-100000-words", "10000-quotation-marks", "10000-he-said-quote", "10000-curly-quotes",
         "480KB-according-to-officials", "480KB-of-interview", "480KB-of-initials"],
)
def test_pathological_input_is_answered_within_the_budget(text: str) -> None:
    started = time.monotonic()
    extraction = extract(text, time_budget=1.0, design="combined")
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"{elapsed:.1f} s"
    check_offsets(text, extraction.statements)
    assert all(s.end <= extraction.analysed_to for s in extraction.statements)


@needs_model
def test_other_languages_and_empty_text_give_nothing() -> None:
    assert extract("", design="combined").statements == []
    russian = "Министр заявил, что переговоры продолжатся на следующей неделе в Москве. " * 5
    refused = extract(russian, design="combined")
    assert refused.statements == [] and refused.reason == "not_english" and "English" in refused.notice
    french = ("Le ministre a déclaré que les négociations reprendraient la semaine prochaine à Paris, "
              "selon un communiqué publié par le gouvernement. ") * 4
    assert extract(french, design="combined").reason == "not_english"


@needs_model
def test_a_clause_closed_by_a_semicolon_is_not_what_follows_reports() -> None:
    text = ("Search and rescue bodies can also access this information; Smith told Wikinews he believed "
            "this would include foreign navies.")
    assert all("access this information" not in s.text for s in extract_statements(text, "parse"))
    # a trailing attribution after a comma still reports the clause before it
    assert only("The bridge will reopen on Monday, the mayor said.", "parse").text == "The bridge will reopen on Monday"
