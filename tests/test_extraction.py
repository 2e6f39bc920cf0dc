"""Attributed-statement extraction: seed-article expectations, one test per pattern, gold
thresholds, and properties that must hold for any input.  Pure functions only — no
database, no Flask."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extraction import ExtractedStatement, extract_statements
from factcheck.extraction.segment import MAX_SENTENCE_WORDS, split_sentences
from factcheck.extraction.stance import STANCES

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "asim-umar-samaa-digital.txt"


def find(statements: list[ExtractedStatement], fragment: str) -> ExtractedStatement:
    """The statement whose text contains ``fragment`` (exactly one is expected)."""
    hits = [s for s in statements if fragment in s.text]
    assert len(hits) == 1, f"{len(hits)} statements contain {fragment!r}: {[s.text for s in statements]}"
    return hits[0]


def check_offsets(article: str, statements: list[ExtractedStatement]) -> None:
    for statement in statements:
        assert 0 <= statement.start <= statement.end <= len(article)
        assert statement.text == article[statement.start : statement.end]
        assert statement.stance in STANCES
        if statement.speaker_span is not None:
            start, end = statement.speaker_span
            assert 0 <= start <= end <= len(article)


# --- the seed article --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[ExtractedStatement]]:
    """The seed article, from the project's own copy (the demo data set), so these checks run
    even where ../shared is absent."""
    from factcheck.demo import article_text

    article = article_text()
    return article, extract_statements(article)


def test_seed_offsets_are_exact(seed: tuple[str, list[ExtractedStatement]]) -> None:
    article, statements = seed
    check_offsets(article, statements)


def test_seed_nds_statement_asserts(seed: tuple[str, list[ExtractedStatement]]) -> None:
    statement = find(seed[1], "He was killed with six other AQIS militants")
    assert statement.speaker == "National Directorate of Security"
    assert statement.cue == "claimed"
    assert statement.stance == "asserts"


def test_seed_taliban_quote_denies(seed: tuple[str, list[ExtractedStatement]]) -> None:
    statement = find(seed[1], "We categorically reject this claim")
    assert statement.speaker == "Taliban"
    assert statement.direct
    assert statement.stance == "denies"


def test_seed_taliban_rejection_denies(seed: tuple[str, list[ExtractedStatement]]) -> None:
    statement = find(seed[1], "that Umar was killed during a raid in the Musa Kala district")
    assert statement.speaker == "Taliban"
    assert statement.cue == "rejected"
    assert statement.stance == "denies"


def test_seed_counter_terrorism_official_unconfirmed(seed: tuple[str, list[ExtractedStatement]]) -> None:
    statement = find(seed[1], "hasn’t been independently confirmed")
    assert "counter-terrorism official" in statement.speaker
    assert statement.stance == "unconfirmed"
    assert statement.anonymous
    assert statement.anonymity_reason == "requested anonymity"
    assert statement.relayed_by == "SAMAA Digital"
    assert not statement.direct


def test_seed_official_quote_resolves_to_same_source(seed: tuple[str, list[ExtractedStatement]]) -> None:
    statement = find(seed[1], "A movement never ends")
    assert "counter-terrorism official" in statement.speaker
    assert statement.direct and statement.anonymous


def test_seed_islamabad_source_unconfirmed(seed: tuple[str, list[ExtractedStatement]]) -> None:
    statement = find(seed[1], "cannot be ruled out")
    assert statement.speaker.lower().startswith("a source in islamabad")
    assert statement.stance == "unconfirmed"
    assert statement.anonymous


def test_seed_short_name_before_second_mir_is_asfandyar(seed: tuple[str, list[ExtractedStatement]]) -> None:
    statement = find(seed[1], "Asim Umar was the first chief of AQIS")
    assert statement.speaker == "Asfandyar Mir"
    assert statement.relayed_by == "SAMAA Digital"
    assert statement.direct


def test_seed_pronoun_resolves_to_asfandyar_mir(seed: tuple[str, list[ExtractedStatement]]) -> None:
    assert find(seed[1], "many questioned Asim Umar").speaker == "Asfandyar Mir"
    assert find(seed[1], "AQIS had more failed plots").speaker == "Asfandyar Mir"
    assert find(seed[1], "The most consequential near-miss").speaker == "Asfandyar Mir"


def test_seed_according_to_mir_is_hamid_mir(seed: tuple[str, list[ExtractedStatement]]) -> None:
    statement = find(seed[1], "Umar belonged to Ahmedabad")
    assert statement.speaker == "Hamid Mir"
    assert statement.cue.lower() == "according to"


def test_seed_colleagues_relayed_by_hamid_mir(seed: tuple[str, list[ExtractedStatement]]) -> None:
    statement = find(seed[1], "called him (Umar) an Indian spy")
    assert statement.speaker.lower() == "some of his colleagues"
    assert statement.relayed_by == "Hamid Mir"
    assert statement.anonymous


def test_seed_treasury_department_believed(seed: tuple[str, list[ExtractedStatement]]) -> None:
    statement = find(seed[1], "Umar belonged to Uttar Pradesh")
    assert statement.speaker == "Treasury Department"
    assert statement.cue == "believed"


def test_seed_journalist_description_resolves(seed: tuple[str, list[ExtractedStatement]]) -> None:
    assert find(seed[1], "Umar wanted him to cover an attack").speaker == "Hamid Mir"


# --- one small sentence per pattern ----------------------------------------------------------


def only(text: str) -> ExtractedStatement:
    statements = extract_statements(text)
    check_offsets(text, statements)
    assert len(statements) == 1, [s.to_dict() for s in statements]
    return statements[0]


def test_trailing_quote_attribution() -> None:
    statement = only('"The bridge will reopen on Monday," Mayor Ana Ruiz said.')
    assert statement.speaker == "Ana Ruiz"
    assert statement.text == "The bridge will reopen on Monday"
    assert statement.direct and statement.cue == "said"


def test_inverted_trailing_quote_attribution() -> None:
    statement = only('"We are still counting," said Peter Okafor, an election official.')
    assert statement.speaker == "Peter Okafor"
    assert statement.direct


def test_leading_colon_quote() -> None:
    statement = only('Health Minister Lena Berg said: "Vaccines are safe and effective."')
    assert statement.speaker == "Lena Berg"
    assert statement.text == "Vaccines are safe and effective."
    assert statement.direct


def test_curly_quotes() -> None:
    statement = only("“Nobody was hurt,” the fire chief said.")
    assert statement.speaker == "fire chief"
    assert statement.text == "Nobody was hurt"


def test_split_quote_around_attribution() -> None:
    text = '"The dam is stable," engineer Omar Haddad said. "We inspected it twice this week."'
    statements = extract_statements(text)
    check_offsets(text, statements)
    assert [s.speaker for s in statements] == ["Omar Haddad", "Omar Haddad"]
    assert statements[1].text.startswith("We inspected it twice")
    assert all(s.direct for s in statements)


def test_quote_interrupted_mid_sentence() -> None:
    text = '"What worries me", Cengiz said, "is the silence."'
    statements = extract_statements(text)
    assert [s.text for s in statements] == ["What worries me", "is the silence."]
    assert {s.speaker for s in statements} == {"Cengiz"}


def test_quote_continued_over_paragraphs() -> None:
    text = (
        'Farmer Ruth Amani said: "The river rose overnight. We lost the maize.\n\n'
        '"Now we wait for the water to fall."\n\nThe district office was closed.'
    )
    statement = only(text)
    assert statement.speaker == "Ruth Amani"
    assert statement.text.startswith("The river rose overnight")
    assert statement.text.endswith("wait for the water to fall.")


def test_partial_quote_stays_inside_indirect_statement() -> None:
    statement = only('The ministry said there was "no credible threat" to the airport.')
    assert not statement.direct
    assert statement.text == 'there was "no credible threat" to the airport'


def test_indirect_said_that() -> None:
    statement = only("The company said that profits fell by a third in 2023.")
    assert statement.speaker == "company"
    assert statement.text == "profits fell by a third in 2023"
    assert not statement.direct and statement.stance == "asserts"


def test_according_to_leading() -> None:
    statement = only("According to the coast guard, six people were rescued.")
    assert statement.speaker == "coast guard"
    assert statement.text == "six people were rescued"
    assert statement.cue == "According to"


def test_according_to_trailing() -> None:
    statement = only("The fire started in the kitchen, according to investigators.")
    assert statement.speaker == "investigators"
    assert statement.text == "The fire started in the kitchen"


def test_told_recipient_relays() -> None:
    statement = only("Colonel Aziz Rahman told Reuters that the convoy had been ambushed.")
    assert statement.speaker == "Aziz Rahman"
    assert statement.relayed_by == "Reuters"
    assert statement.text == "the convoy had been ambushed"


def test_trailing_indirect_in_a_statement() -> None:
    statement = only("The talks will resume next month, the foreign ministry said in a statement.")
    assert statement.speaker == "foreign ministry"
    assert statement.text == "The talks will resume next month"


def test_denial_verb() -> None:
    statement = only("The embassy denied that its staff had met the suspects.")
    assert statement.stance == "denies"
    assert statement.cue == "denied"


def test_dismissed_as_baseless() -> None:
    statement = only("The party dismissed the report as baseless.")
    assert statement.stance == "denies"


def test_confirmed_asserts() -> None:
    statement = only("Police confirmed that two men were arrested.")
    assert statement.speaker == "police"
    assert statement.stance == "asserts"


def test_unconfirmed_wording() -> None:
    statement = only("A spokesman said the figures could not be independently verified.")
    assert statement.stance == "unconfirmed"
    assert statement.anonymous


def test_anonymous_source_with_reason() -> None:
    statement = only(
        "A senior official, who was not authorised to speak to the media, said the talks had collapsed."
    )
    assert statement.anonymous
    assert statement.anonymity_reason == "was not authorised to speak to the media"
    assert statement.speaker == "a senior official"


def test_anonymous_plural_sources() -> None:
    statement = only("Two government sources said the minister would resign on Friday.")
    assert statement.anonymous
    assert statement.speaker == "two government sources"


def test_sources_familiar_with_the_matter() -> None:
    statement = only("People familiar with the matter said the deal was signed last week.")
    assert statement.anonymous
    assert statement.speaker.lower() == "people familiar with the matter"


def test_named_source_is_not_anonymous() -> None:
    assert not only("Reuters reported that the plant had closed.").anonymous


def test_pronoun_resolves_to_previous_speaker() -> None:
    text = "Inspector Maria Lopez said the car was stolen. She added that it was found in a lake."
    statements = extract_statements(text)
    assert [s.speaker for s in statements] == ["Maria Lopez", "Maria Lopez"]
    assert statements[1].speaker_span == (text.index("She"), text.index("She") + 3)


def test_surname_resolves_to_full_name() -> None:
    text = "Analyst John Park said oil prices would rise. Prices fell on Monday. Park said he was surprised."
    statements = extract_statements(text)
    assert [s.speaker for s in statements] == ["John Park", "John Park"]


def test_surname_follows_most_recent_full_mention() -> None:
    text = (
        "Economist Sara Khan said inflation would fall. Later, central banker Imran Khan spoke. "
        "Khan said rates would stay high."
    )
    assert find(extract_statements(text), "rates would stay high").speaker == "Imran Khan"


def test_definite_description_resolves() -> None:
    text = (
        "A police officer in Lagos, who asked for anonymity, said three people were arrested. "
        '"We expect more arrests," the officer said.'
    )
    statement = find(extract_statements(text), "We expect more arrests")
    assert statement.speaker == "a police officer in Lagos"
    assert statement.anonymous and statement.anonymity_reason == "asked for anonymity"


def test_nested_relay() -> None:
    text = "Neighbours told me that the house had been empty for years, Ali Hassan said."
    statement = only(text)
    assert statement.speaker.lower() == "neighbours"
    assert statement.relayed_by == "Ali Hassan"
    assert statement.text == "the house had been empty for years"


def test_reported_by_outlet_citing_sources() -> None:
    statement = only("The newspaper, citing two diplomats, reported that the summit was cancelled.")
    assert statement.speaker == "two diplomats"
    assert statement.relayed_by == "newspaper"


def test_coordinated_verbs_split_statements() -> None:
    text = "The ministry announced a curfew, and said schools would close."
    statements = extract_statements(text)
    assert [s.text for s in statements] == ["a curfew", "schools would close"]
    assert {s.speaker for s in statements} == {"ministry"}


def test_participle_adding() -> None:
    text = "Officials said 12 people died, adding that the search would continue."
    statements = extract_statements(text)
    assert [s.text for s in statements] == ["12 people died", "the search would continue"]
    assert {s.speaker for s in statements} == {"officials"}


def test_speaking_to_relays() -> None:
    statement = only("Speaking to the BBC, Finance Minister Rui Costa said the budget would balance.")
    assert statement.speaker == "Rui Costa"
    assert statement.relayed_by == "BBC"


def test_according_to_report_citing_source() -> None:
    statement = only("According to a report citing the mayor's office, 20 people were arrested.")
    assert statement.speaker == "mayor's office"
    assert statement.relayed_by == "a report"
    assert statement.text == "20 people were arrested"


def test_colon_introduces_quote_without_final_punctuation() -> None:
    text = 'The senator tweeted: "Huge crowd in Ohio today #winning"  Her staff later deleted it.'
    statement = only(text)
    assert statement.direct and statement.text == "Huge crowd in Ohio today #winning"


def test_noun_ending_in_ly_is_not_an_adverb() -> None:
    statement = only("Organizers of the rally said they were fighting corruption.")
    assert statement.speaker.lower() == "organizers of the rally"


def test_coordinated_verb_takes_appositive_name() -> None:
    statement = only("Another adviser, Sebastian Gorka, spoke at the rally and urged supporters to stay hopeful.")
    assert statement.speaker == "Sebastian Gorka"
    assert statement.stance == "mentions"


def test_negative_subject_attributes_nothing() -> None:
    assert extract_statements("No group immediately claimed responsibility for the attack.") == []


def test_passive_denial() -> None:
    statement = only("The allegation was denied by Ana Souza, the club's lawyer.")
    assert statement.speaker == "Ana Souza"
    assert statement.stance == "denies"


def test_request_is_mentions() -> None:
    statement = only("The mayor urged residents to stay indoors.")
    assert statement.stance == "mentions"


def test_feeling_quote_is_mentions() -> None:
    assert only('"I am so sad today," the widow said.').stance == "mentions"


def test_negated_cue_is_not_a_statement() -> None:
    assert extract_statements("The minister did not say when the talks would resume.") == []


def test_non_speaker_subject_is_ignored() -> None:
    assert extract_statements("The virus claimed 300 lives in March.") == []


def test_scare_quote_alone_is_not_a_statement() -> None:
    assert extract_statements('The so-called "peace plan" was published on Monday.') == []


def test_unattributed_quote_is_dropped() -> None:
    assert extract_statements('"Enough is enough."') == []


def test_to_dict_keys() -> None:
    statement = only("Police said the road was closed.")
    assert set(statement.to_dict()) == {
        "speaker", "cue", "text", "direct", "anonymous", "stance", "relayed_by", "start", "end",
        "anonymity_reason",
    }


def test_statement_is_frozen() -> None:
    statement = only("Police said the road was closed.")
    with pytest.raises(AttributeError):
        statement.speaker = "someone"  # type: ignore[misc]


# --- patterns the blind round A exposed (invented sentences, not the articles' own) -----------


def test_reporting_verbs_expects_and_remarked() -> None:
    text = "Economist Rita Moe said demand was falling. She expects lower prices in the spring."
    assert find(extract_statements(text), "lower prices").speaker == "Rita Moe"
    assert only("Analyst Tom Berg remarked the index is volatile.").text == "the index is volatile"


def test_continued_frames_a_quotation_only() -> None:
    statement = only('Minister Ida Lund continued, "We will publish the report next week."')
    assert statement.speaker == "Ida Lund" and statement.direct
    assert extract_statements("The rain continued for a week.") == []


def test_informed_takes_a_recipient() -> None:
    statement = only("Driver Eva Stone informed police she had been blinded by the sun.")
    assert statement.speaker == "Eva Stone"
    assert statement.relayed_by == "police"
    assert statement.text == "she had been blinded by the sun"


def test_found_reports_only_a_finding() -> None:
    statements = extract_statements("The tribunal found that the dismissal was unfair, and found the firm to be negligent.")
    assert [s.text for s in statements] == ["the dismissal was unfair", "the firm to be negligent"]
    assert {s.speaker for s in statements} == {"tribunal"}
    assert statements[0].stance == "asserts"  # "dismissal" is not a denial word
    assert extract_statements("Police found a body in the river.") == []


def test_ruled_reports_only_a_clause() -> None:
    statement = only("The court ruled on March 3 the merger was unlawful.")
    assert statement.speaker == "court" and statement.text == "the merger was unlawful"
    assert extract_statements("The king ruled the country for 40 years.") == []


def test_named_as_is_a_characterisation() -> None:
    assert only("The minister named three groups as terrorist organisations.").text == (
        "three groups as terrorist organisations"
    )
    assert extract_statements("A man named Ali Khan was arrested.") == []


def test_spoke_of_reports_its_object() -> None:
    assert only("The general spoke of heavy losses on both sides.").text == "heavy losses on both sides"
    assert extract_statements("The general spoke to reporters on Monday.") == []


def test_inverted_speaker_followed_by_per_outlet() -> None:
    statement = only('"Stocks will recover" said Tim Holt per Reuters.')
    assert statement.speaker == "Tim Holt" and statement.direct
    assert statement.relayed_by == "Reuters"


def test_inverted_description_with_appositive_name() -> None:
    statement = only("The appeal will fail, argued the city's lawyer, Maria Santos.")
    assert statement.speaker == "Maria Santos"
    assert statement.text == "The appeal will fail"


def test_trailing_according_to_without_comma() -> None:
    statement = only("Troops entered the town yesterday according to state media.")
    assert statement.speaker == "state media" and statement.anonymous
    assert statement.text == "Troops entered the town yesterday"


def test_trailing_according_to_a_described_report() -> None:
    text = "The shops were reluctant to act, according to a report from the BBC on March 3."
    assert only(text).text == "The shops were reluctant to act"


def test_coordinated_sources_after_according_to() -> None:
    statement = only("According to witnesses and officials, the gunman fled on foot.")
    assert statement.speaker == "witnesses and officials"


def test_according_to_a_name_then_the_post_it_holds() -> None:
    text = "The plant will close in May, according to Laura Penn, the Assistant Secretary for Trade."
    statement = only(text)
    assert statement.speaker == "Laura Penn"
    assert statement.text == "The plant will close in May"


def test_according_to_a_post_then_the_name_of_its_holder() -> None:
    statement = only("According to the deputy mayor, Tom Reyes, two ships ran aground overnight.")
    assert statement.speaker == "Tom Reyes"
    assert statement.text == "two ships ran aground overnight"


def test_according_to_a_source_then_a_relative_clause() -> None:
    text = "The fire started before dawn, according to firefighters, who said the roof collapsed."
    assert [s.text for s in extract_statements(text) if s.cue == "according to"] == ["The fire started before dawn"]


def test_according_to_does_not_swallow_the_subject_of_its_content() -> None:
    statement = only("According to police, the driver, a local man, was arrested.")
    assert statement.speaker == "police"
    assert statement.text == "the driver, a local man, was arrested"


def test_titled_surname_with_a_dotted_place_finds_the_full_name() -> None:
    text = ("Prosecutor Dana Whitfield said the case was strong. "
            "According to U.S. Attorney Whitfield, the evidence is overwhelming.")
    assert [s.speaker for s in extract_statements(text)] == ["Dana Whitfield", "Dana Whitfield"]


def test_time_adverbial_between_subject_and_verb() -> None:
    statement = only("A report from the regional council over the weekend said nine bridges had failed.")
    assert statement.speaker == "a report from the regional council"
    assert statement.text == "nine bridges had failed"


def test_trailing_attribution_before_a_dash_aside() -> None:
    text = "Inspectors closed the mine on Friday, officials said Sunday — a first for the region."
    statement = only(text)
    assert statement.speaker == "officials"
    assert statement.text == "Inspectors closed the mine on Friday"


def test_participle_after_a_statement_takes_the_main_subject() -> None:
    statement = only("Then both governments issued statements speaking of a ceasefire.")
    assert statement.speaker == "both governments" and statement.text == "a ceasefire"


def test_verb_after_a_relative_clause_takes_the_main_subject() -> None:
    text = (
        'Omar Khan, who was described as "dangerous" by the police, wrote to a judge and urged her to '
        'resign. He told her: "You will regret this."'
    )
    statements = extract_statements(text)
    assert find(statements, "dangerous").speaker == "police"
    assert find(statements, "her to resign").speaker == "Omar Khan"
    assert find(statements, "You will regret this").speaker == "Omar Khan"  # "he" is not "the police"


def test_participle_after_a_prepositional_object() -> None:
    statement = only("Inspector Ann Wu wrote to the embassy asking it to waive immunity.")
    assert statement.speaker == "Ann Wu" and statement.text == "it to waive immunity"


def test_comma_between_subject_and_verb() -> None:
    text = "The town's sheriff, Jim Ray, spoke first. Both he and the county's mayor Lisa Park, urged residents to stay indoors."
    assert only(text).speaker == "Lisa Park"


def test_gerund_after_of_attributes_nothing() -> None:
    assert extract_statements("He is suspected of asking officials for bribes.") == []


def test_indirect_question_is_not_a_statement() -> None:
    assert extract_statements("A witness described for the BBC how the fire spread.") == []


def test_quote_ending_a_that_clause_is_partial() -> None:
    statement = only('The company reported that with limits in place, "shelves are still empty within an hour".')
    assert not statement.direct
    assert statement.text.startswith("with limits in place")


def test_name_after_a_possessor_is_a_person() -> None:
    assert only("The county's police commissioner Stephen Mold urged calm.").speaker == "Stephen Mold"


def test_coordinated_subjects_with_relative_clauses() -> None:
    statement = only("Acme, which makes soap, and Bolt Ltd which makes nails, said they were working around the clock.")
    assert statement.speaker == "Acme"
    assert statement.text == "they were working around the clock"


def test_she_skips_a_speaker_not_known_to_be_a_woman() -> None:
    text = "Police chief Ms Anna Berg met Mayor John Doyle on Friday. Doyle said the budget was tight. She said crime had fallen."
    assert find(extract_statements(text), "crime had fallen").speaker == "Anna Berg"
    text = "The spokeswoman, Lena Ek, met the minister, Per Holm. Holm said taxes would rise. She said the plan was sound."
    assert find(extract_statements(text), "the plan was sound").speaker == "Lena Ek"
    text = "Anna Berg said she would run again. John Doyle met her on Friday. Doyle said taxes were high. She said crime had fallen."
    assert find(extract_statements(text), "crime had fallen").speaker == "Anna Berg"


def test_he_still_takes_the_most_recent_man_or_unknown() -> None:
    text = "Ms Ek met the minister, Per Holm. Holm said taxes would rise. He said the plan was sound."
    assert find(extract_statements(text), "the plan was sound").speaker == "Per Holm"


@pytest.mark.parametrize(
    ("quote", "stance"),
    [
        ("I do not think that the plan can work.", "denies"),
        ("Thank you to all the nurses. My thoughts are with the families.", "mentions"),
        ("They need to stand by us.", "mentions"),
        ("We will never let them win.", "mentions"),
        ("I count on the council to act quickly.", "mentions"),
        ("It's all fake.", "denies"),
    ],
)
def test_stance_of_appeals_vows_and_opinions(quote: str, stance: str) -> None:
    assert only(f'"{quote}" the mayor said.').stance == stance


def test_fake_as_an_adjective_is_not_a_denial() -> None:
    assert only("Police said the man wore a fake suicide vest.").stance == "asserts"


# --- patterns the blind round B exposed (invented sentences; fixed after round B was scored) ----


@pytest.mark.parametrize(
    "verb", ["reasserted", "reaffirmed", "affirmed", "underlined", "underscored", "envisioned", "projected"]
)
def test_more_reporting_verbs(verb: str) -> None:
    statement = only(f"The premier {verb} that the project is open to all.")
    assert statement.speaker == "premier" and statement.text == "the project is open to all"


def test_characterised_and_attacked_as() -> None:
    assert only("Officials characterized the talks as productive.").text == "the talks as productive"
    statement = only("The president, responding to the vote on Twitter, attacked the inquiry as a witch hunt.")
    assert statement.speaker == "president" and statement.stance == "denies"
    assert extract_statements("Rebels attacked the base at dawn.") == []


def test_denounced_hailed_expressed_called_on_are_mentions() -> None:
    assert only("The ministry denounced the verdict.").stance == "mentions"
    assert only("The party hailed the pipeline as a historic step.").stance == "mentions"
    assert only("The senator expressed opposition to the appointment.").stance == "mentions"
    statement = only("The leader called on Italy and Spain to join the project.")
    assert statement.text == "Italy and Spain to join the project" and statement.stance == "mentions"


def test_coordinated_that_clauses_are_two_statements() -> None:
    text = "Prime Minister Eva Lind noted that the parliament had met, and that elections might be held in May."
    statements = extract_statements(text)
    assert [s.text for s in statements] == ["the parliament had met", "elections might be held in May"]
    assert {s.speaker for s in statements} == {"Eva Lind"}
    assert statements[1].stance == "unconfirmed"


def test_in_the_view_of() -> None:
    statement = only("In the analysis of the Energy Institute, the costs make the plan unrealistic.")
    assert statement.speaker == "Energy Institute"
    assert statement.text == "the costs make the plan unrealistic"
    assert only("In the view of the IMF, inflation will fall this year.").speaker == "IMF"


def test_a_surmised_speech_act_is_not_a_statement() -> None:
    assert extract_statements("The minister may have told aides that the plan had failed.") == []
    statement = only("The newspaper reported that the minister might have told aides to resign.")
    assert statement.speaker == "newspaper" and statement.stance == "unconfirmed"


def test_that_followed_by_a_fronted_adverbial() -> None:
    statement = only("The newspaper reported that, in a phone call in July, the mayor's aide lied.")
    assert statement.speaker == "newspaper"
    assert statement.text == "in a phone call in July, the mayor's aide lied"


def test_relay_after_a_fronted_adverbial() -> None:
    statement = only("In December, a Turkish official said the pipeline was unnecessary, the Cyprus Mail reported.")
    assert statement.speaker == "a Turkish official" and statement.anonymous
    assert statement.relayed_by == "Cyprus Mail"


def test_confirming_a_nominee_is_not_a_statement() -> None:
    assert extract_statements("The Senate confirmed him on Friday.") == []


def test_where_a_frame_was_said_is_not_its_content() -> None:
    statement = only('The governor said from his office, "We will rebuild."')
    assert statement.direct and statement.text == "We will rebuild."


def test_appositive_with_a_clause_of_its_own() -> None:
    text = "Justice Minister Ana Vaz, the would-be successor should the premier resign, has said she is not interested, according to Reuters."
    statement = only(text)
    assert statement.speaker == "Ana Vaz" and statement.relayed_by == "Reuters"


def test_weekday_is_not_part_of_a_name() -> None:
    text = "Prime Minister Kyriakos Mitsotakis spoke in Athens. Later on Tuesday Mitsotakis met the press. He said talks would resume."
    assert only(text).speaker == "Kyriakos Mitsotakis"


# --- British single quotation marks ------------------------------------------------------------


def test_curly_single_quotes() -> None:
    text = "‘We will not resign,’ the party’s leader, Sara Holm, told the BBC. ‘The report is wrong.’"
    statements = extract_statements(text)
    check_offsets(text, statements)
    assert [(s.text, s.speaker, s.direct) for s in statements] == [
        ("We will not resign", "Sara Holm", True),
        ("The report is wrong.", "Sara Holm", True),
    ]
    assert statements[0].relayed_by == "BBC"


def test_straight_single_quotes_over_paragraphs() -> None:
    text = "Health Secretary Ann Cole said: 'The virus is spreading. We need more beds.\n\n'Hospitals are full.'\n\nThe rest."
    statement = only(text)
    assert statement.speaker == "Ann Cole" and statement.direct
    assert statement.text.startswith("The virus is spreading") and statement.text.endswith("Hospitals are full.")


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "The minister called the plan 'reckless' and said the players' union had been ignored. Iran's envoy didn't comment."
    statements = extract_statements(text)
    check_offsets(text, statements)
    assert [s.text for s in statements] == ["the plan 'reckless'", "the players' union had been ignored"]
    assert not any(s.direct for s in statements)


def test_single_quotes_inside_double_quotes_are_nested() -> None:
    text = '"Amman wrote his \'life goals\' in a notebook," the officer said.'
    statement = only(text)
    assert statement.text == "Amman wrote his 'life goals' in a notebook"
    assert statement.speaker == "officer"


def test_trailing_frame_with_appositive_name() -> None:
    statement = only('"We will not resign," the party\'s leader, Sara Holm, told the BBC.')
    assert statement.speaker == "Sara Holm" and statement.direct
    assert statement.text == "We will not resign"


# --- patterns the blind round C exposed (invented sentences; fixed after round C was scored) ----


@pytest.mark.parametrize(
    "text",
    [
        "Delegates of the member states met in Geneva on Monday.",
        "Seven members states had bid to host the office.",
        "All but one of the member states of the bloc have signed the treaty.",
        "Attorneys general from sixteen states filed a lawsuit.",
        "Each member state has to ratify it.",
    ],
)
def test_plural_nouns_spelled_like_reporting_verbs(text: str) -> None:
    """ "states", "state" are nouns before "of", an auxiliary or a past verb, and after a
    singular subject; a verb in "-s" does not agree with a plural subject."""
    assert extract_statements(text) == []


def test_state_and_states_as_verbs() -> None:
    assert only("The report states that prices rose.").text == "prices rose"
    statement = only("Officials state that the road is closed.")
    assert statement.speaker == "officials" and statement.text == "the road is closed"
    statement = only("Estimates by the health ministry state that 200 people died.")
    assert statement.speaker == "health ministry" and statement.text == "200 people died"


def test_infinitive_to_ends_a_speaker_phrase() -> None:
    statement = only("The governor announced that her office will withdraw a bill that would have allowed "
                     "the state to extradite accused criminals.")
    assert statement.speaker == "governor"
    assert statement.text.endswith("to extradite accused criminals")


def test_trailing_frame_with_a_participle_after_the_speaker() -> None:
    text = ('Lee wrote on Twitter: "They have conceded nothing."\n\n'
            '"It is a trick," said a protester using the pseudonym Ana. "Nobody believes it."')
    statements = extract_statements(text)
    assert [s.speaker for s in statements] == ["Lee", "a protester", "a protester"]
    assert statements[1].anonymous and statements[2].text == "Nobody believes it."
    statement = only('"Prices will rise," said a trader speaking on condition of anonymity.')
    assert statement.speaker == "a trader" and statement.relayed_by is None


def test_a_quote_before_an_unread_frame_does_not_continue_the_last_speaker() -> None:
    text = 'Lee said: "Costs are up."\n\n"Prices will rise," said a trader whose stall was burned.'
    assert all(s.speaker == "Lee" for s in extract_statements(text))
    assert [s.text for s in extract_statements(text)] == ["Costs are up."]


def test_participle_clause_opening_the_sentence() -> None:
    statements = extract_statements('Calling the plan a "disaster" the bishop said "We must pray for rain."')
    assert [(s.speaker, s.text) for s in statements] == [
        ("bishop", 'the plan a "disaster"'), ("bishop", "We must pray for rain."),
    ]
    statements = extract_statements('Saying "the border is open" to reporters, Minister Ana Ruiz elaborated, '
                                    '"Trade will double."')
    assert [s.speaker for s in statements] == ["Ana Ruiz", "Ana Ruiz"]
    assert statements[0].text.startswith('"the border is open"') and statements[1].text == "Trade will double."


def test_passive_criticised_and_the_passive_clause_alone() -> None:
    statement = only("The plan was criticised by Bishop Tom Reyes.")
    assert (statement.speaker, statement.text, statement.stance) == ("Tom Reyes", "The plan", "mentions")
    assert only("The charge was denied by the club.").text == "The charge"
    # a bill voted down is an act, and "it" carries nothing to check
    assert extract_statements("Congress passed the bill in May, but it was rejected by the senate.") == []


def test_a_lower_case_title_before_a_name_resolves_the_title_later() -> None:
    statements = extract_statements(
        "The bill was criticised by archbishop Ana Flores. Later the archbishop said that it would fail."
    )
    assert [s.speaker for s in statements] == ["Ana Flores", "Ana Flores"]


def test_a_statement_which_read() -> None:
    statement = only('Acme released a statement which read, in part, "The ruling is wrong."')
    assert statement.speaker == "Acme" and statement.direct and statement.text == "The ruling is wrong."
    assert only("The ministry issued a letter that said the border would reopen.").speaker == "ministry"


def test_documents_and_comments_as_sources() -> None:
    statement = only("According to the ruling, the company must pay damages.")
    assert statement.speaker == "ruling" and statement.text == "the company must pay damages"
    statements = extract_statements("The comments called the mayor corrupt and termed her a liar.")
    assert [(s.speaker, s.text) for s in statements] == [("comments", "the mayor corrupt"), ("comments", "her a liar")]


def test_block_quotation_attributed_on_a_dash_line() -> None:
    text = ("The court gave its answer:\n\n\n The directive does not prevent a national court from ordering "
            "removal.\n\n\n – Supreme Court of Freedonia\n\nThe ruling is final.")
    statement = only(text)
    assert statement.speaker == "Supreme Court of Freedonia" and statement.direct
    assert statement.text == "The directive does not prevent a national court from ordering removal."
    # a caption, or a name under a paragraph that is not set off, attributes nothing
    assert extract_statements("The search ended.\n\n\n —Ana Ruiz calling off the search\n\nNothing more.") == []
    assert only("Police said the search had ended.\n\n\n—Ana Ruiz\n\nNothing more.").speaker == "police"


def test_could_have_is_a_possibility_but_not_inside_a_relative_clause() -> None:
    assert only("Analysts say the ruling could have far-reaching consequences.").stance == "unconfirmed"
    assert only('The firm said, "The ruling restricts speech that might be legal."').stance == "asserts"


def test_participle_after_an_adverb_is_cut_with_it() -> None:
    statements = extract_statements('The economist said the fees "cost billions," further saying, "It hurts trade."')
    assert [s.text for s in statements] == ['the fees "cost billions,"', "It hurts trade."]


def test_commoner_reporting_verbs_and_speaker_heads() -> None:
    assert only("The carrier disclosed that two jets had been grounded.").speaker == "carrier"
    statement = only("The coroner warned relatives that the inquest would take months.")
    assert statement.text == "the inquest would take months" and statement.relayed_by == "relatives"
    assert only("The defendants complained that the hearing was unfair.").speaker == "defendants"
    assert only("Earlier findings implied that the vaccine was safe.").text == "the vaccine was safe"
    assert only("The wage data is wrong, the regulator replied.").speaker == "regulator"
    assert only("Investigators identified the driver as a local farmer.").speaker == "investigators"
    # these verbs report a clause or a quotation, not an object
    assert extract_statements("The bank responded to the crisis by cutting rates.") == []
    assert extract_statements("The suspect was charged with arson and agreed a plea deal.") == []
    assert extract_statements("A neighbour identified the body.") == []


def test_infinitive_and_particle_frames() -> None:
    assert only("The pilot took to Twitter to say the landing was safe.").text == "the landing was safe"
    statement = only("Then the inspector went on to say that the wiring was faulty.")
    assert statement.speaker == "inspector" and statement.text == "the wiring was faulty"
    assert only("The envoy is understood to have said the talks had stalled.").speaker == "envoy"
    assert only("Mr Osei pointed out that the tariff had never been collected.").cue == "pointed out"
    assert only("The chancellor made it clear that taxes would not rise.").text == "taxes would not rise"
    assert only("Dana Kerr, 52, a teacher at the school, said the roof leaked.").speaker == "Dana Kerr"
    # an infinitive that is not reported speech, a verb without its particle
    assert extract_statements("The mayor declined to say whether the bridge would reopen.") == []
    assert extract_statements("The mayor made a decision that the bridge would reopen.") == []
    assert extract_statements("The figures pointed to a slowdown.") == []


def test_could_be_is_a_possibility_outside_a_condition() -> None:
    assert only("Rescuers said the number of victims could be higher.").stance == "unconfirmed"
    assert only("The shopkeeper said if flour could be delivered, prices would fall.").stance == "asserts"
    assert only("The firm said staff raised fears that the data could be wrong.").stance == "asserts"


def test_a_name_is_found_with_or_without_its_accents() -> None:
    statements = extract_statements(
        "Minister Ayşe Güneş opened the bridge on Monday. Gunes said the tolls would end in May."
    )
    assert statements[-1].speaker == "Ayşe Güneş"
    statements = extract_statements(
        "Minister Ayse Gunes opened the bridge on Monday. Later Güneş said the tolls would end in May."
    )
    assert statements[-1].speaker == "Ayse Gunes"
    # a different name is still a different person
    statements = extract_statements("Minister Ayşe Güneş spoke first. Later Gunay said the vote had been delayed.")
    assert statements[-1].speaker != "Ayşe Güneş"


def test_posts_plural_descriptions_and_pronouns_for_the_last_subject() -> None:
    statements = extract_statements(
        "Ruritania's Foreign Secretary Ivo Marek met the envoy. The foreign minister said the border would open."
    )
    assert statements[-1].speaker == "Ivo Marek"
    statements = extract_statements("Prime Minister Lena Dahl spoke on Friday. The Prime Minister insists taxes are low.")
    assert statements[-1].speaker == "Lena Dahl"
    # a plural description is not one person named earlier
    statements = extract_statements(
        "Two guards, Piet Smit and Omar Aziz, were sacked. The guards claimed the doors had been left open."
    )
    assert statements[-1].speaker == "guards"
    # "they" / "it" with no speaker before: the subject of the sentence before, if it can speak
    statements = extract_statements("The nurses, although unpaid, stayed at work. They said the ward was unsafe.")
    assert statements[-1].speaker == "nurses"
    statements = extract_statements("The district council met on Monday. It said the budget was balanced.")
    assert statements[-1].speaker == "district council"
    assert extract_statements("The storm hit the coast. It said nothing.")[-1].speaker == "It"


def test_medium_adverbials_with_modifiers_and_a_partner() -> None:
    for sentence in (
        "The envoy said in an interview with a local radio station that the talks had stalled.",
        "The envoy said in a televised address on Sunday that the talks had stalled.",
        "The envoy said in a Facebook post that the talks had stalled.",
        "The envoy said in her weekly letter to members that the talks had stalled.",
    ):
        assert only(sentence).text == "the talks had stalled", sentence
    # "-ing" nouns that are sources: "according to the filing"
    assert only("According to the filing, the mill closed in May.").speaker == "filing"


def test_relative_clauses_parentheticals_and_coordinated_quotations() -> None:
    statements = extract_statements("The pier collapsed, according to the coastguard, which said nobody was hurt.")
    assert [(s.speaker, s.text) for s in statements] == [
        ("coastguard", "The pier collapsed"), ("coastguard", "nobody was hurt")]
    statements = extract_statements("The fund was approved by Rosa Kell, who said it would help farmers.")
    assert [(s.speaker, s.text) for s in statements] == [("Rosa Kell", "it would help farmers")]
    # the relative clause ends at its comma; an anonymity request is no statement
    statements = extract_statements("The aide, who requested anonymity, said the vote was delayed.")
    assert [(s.speaker, s.text) for s in statements] == [("aide", "the vote was delayed")]
    # an attribution set off inside the clause it reports
    assert only("By dawn, the agency reported, 30 boats had sunk.").text == "30 boats had sunk"
    assert only("The blaze, firefighters said, began in a shed.").text == "The blaze, firefighters said, began in a shed"
    assert only("The dam held, engineers said, as the water fell.").text == "The dam held"
    # two quotations joined by "and" are two statements; a characterisation stays one
    statements = extract_statements('The coach said "We played well" and "The referee was poor."')
    assert [s.text for s in statements] == ['"We played well"', "The referee was poor"]
    assert len(extract_statements('The mayor called the plan "reckless" and "unaffordable".')) == 1


def test_possessive_opinions_participle_asides_and_frequency_adverbs() -> None:
    statements = extract_statements("Ines Alvar, a judge, retired in May. In her view, the law is too vague.")
    assert [(s.speaker, s.text) for s in statements] == [("Ines Alvar", "the law is too vague")]
    assert only("Tom Hale sold the farm. In Hale's opinion, prices will fall.").speaker == "Tom Hale"
    assert only("The audit, released on Friday, found that the fund had lost money.").speaker == "audit"
    assert only("The union has long argued that the wage is too low.").speaker == "union"
    assert only("The mayor has always said the pool is safe.").text == "the pool is safe"


def test_citing_after_a_reporting_verb_and_unnamed_sources() -> None:
    statement = only("The port will close, the broadcaster reported, citing unnamed officials.")
    assert (statement.speaker, statement.relayed_by) == ("unnamed officials", "broadcaster")
    assert statement.text == "The port will close" and statement.anonymous
    statement = only("The wire service reported, citing three sources, that the mine had flooded.")
    assert (statement.speaker, statement.text) == ("three sources", "the mine had flooded")
    assert only("According to unidentified witnesses, the mine had flooded.").speaker == "unidentified witnesses"
    assert only("The agency's letter said the mine had flooded.").speaker == "agency"


def test_a_reported_rejection_is_the_reporters_assertion() -> None:
    statement = only("The envoy noted that the assembly rejected the treaty.")
    assert (statement.speaker, statement.stance) == ("envoy", "asserts")
    assert statement.text == "the assembly rejected the treaty"
    # the speaker's own denial, and a relayed denial of a clause, still deny
    assert only('The envoy said: "We firmly reject these claims."').stance == "denies"
    statement = only("The paper reported that officials denied that the dam had cracked.")
    assert (statement.speaker, statement.relayed_by, statement.stance) == ("officials", "paper", "denies")


def test_a_possessors_position_is_that() -> None:
    statement = only("The defence's argument was that the search had been unlawful.")
    assert (statement.speaker, statement.text) == ("defence", "the search had been unlawful")
    assert only("Ines Alvar spoke. Her position is that the fee is illegal.").speaker == "Ines Alvar"
    assert extract_statements("The view was that nothing would change.") == []
    assert extract_statements("The view from the hill was stunning.") == []


# --- patterns the blind round E exposed (invented sentences; fixed after round E was scored) ----


def test_bare_reporting_verbs_after_a_plural_subject() -> None:
    assert only("Officials claim the dam is safe.").text == "the dam is safe"
    assert only("Witnesses report that the bridge collapsed at noon.").speaker == "witnesses"
    statement = only("Reports indicate the toll has risen to forty.")
    assert (statement.speaker, statement.text, statement.anonymous) == ("reports", "the toll has risen to forty", True)
    assert only("Analysts estimate that growth will slow.").speaker == "analysts"
    assert only("The complaint notes that many voters live far from a post office.").speaker == "complaint"
    # the same words as nouns, or after a singular subject, report nothing
    assert extract_statements("Their claim is false.") == []
    assert extract_statements("The weather report was late.") == []
    assert extract_statements("The team's estimate was too low.") == []
    assert extract_statements("Sunday's report of a fire was wrong.") == []


def test_listed_and_referred_to_as_and_questioned() -> None:
    statement = only("The registry lists the ship as belonging to a Panamanian firm.")
    assert (statement.speaker, statement.text) == ("registry", "the ship as belonging to a Panamanian firm")
    statement = only("The mayor referred to the protest as a riot.")
    assert (statement.cue, statement.text) == ("referred to", "the protest as a riot")
    statement = only("The senator questioned the cost of the bridge.")
    assert (statement.text, statement.stance) == ("the cost of the bridge", "unconfirmed")
    assert only("Experts doubted whether the dam would hold.").stance == "unconfirmed"
    # listing, referring and questioning that report nothing
    assert extract_statements("The firm listed its shares in Frankfurt.") == []
    assert extract_statements("The doctor referred the patient to a specialist.") == []
    assert extract_statements("Police questioned two men on Sunday.") == []
    assert extract_statements("Detectives questioned him for six hours.") == []


def test_speakers_named_with_an_affiliation_a_participle_or_a_title_after_the() -> None:
    assert only("Sharif Kamal, of the provincial council, said the road was closed.").speaker == "Sharif Kamal"
    assert only("Tomas Berg, from the port authority, said the port was idle.").speaker == "Tomas Berg"
    statement = only("Lawmakers backing the bill argued it would cut fraud.")
    assert (statement.speaker, statement.anonymous) == ("lawmakers", True)
    assert only("Residents living near the plant complained that the water smelled.").speaker == "residents"
    assert only("The attacker claimed he had been wronged.").speaker == "attacker"
    # "the" before a personal title and a full name: a person, whom "he" can refer to
    statements = extract_statements("The Ruritanian President Ana Kaya opened the dam. He said the vote was fair.")
    assert [s.speaker for s in statements] == ["Ana Kaya"]
    # "the" before an institution's name still names the institution
    assert only("The Federal Reserve said rates would rise.").speaker == "Federal Reserve"
    assert only("The National Assembly said the vote was valid.").speaker == "National Assembly"


def test_reduced_passives_with_an_agent() -> None:
    statement = only("A cargo plane, reported by local press as belonging to the navy, crashed on Monday.")
    assert (statement.speaker, statement.text) == ("local press", "belonging to the navy")
    statements = extract_statements(
        "The man carried a knife, reported by the Herald as convicted of theft and by the Courier of fraud, at the match."
    )
    assert [(s.speaker, s.text) for s in statements] == [("Herald", "convicted of theft"), ("Courier", "fraud")]
    statement = only("Estimated death tolls, provided by officials to journalists, exceeded forty.")
    assert (statement.speaker, statement.anonymous) == ("officials", True)
    assert statement.text == "Estimated death tolls, provided by officials to journalists, exceeded forty"
    # a participle with an agent that is not a source, or information that is not the subject
    assert extract_statements("The bridge, reported by phone as closed, reopened.") == []
    assert extract_statements("The town, provided by the army with tents, recovered.") == []


def test_passives_with_an_infinitive_or_as_and_sources_cited_as_saying() -> None:
    statement = only("Two ministers were reported by state media to have resigned.")
    assert (statement.speaker, statement.text) == ("state media", "to have resigned")
    assert only("The ruling was described by the union as a disgrace.").text == "a disgrace"
    statement = only("Kemal Aydin was quoted by Reuters as saying the border would stay closed.")
    assert (statement.speaker, statement.relayed_by, statement.text) == (
        "Kemal Aydin", "Reuters", "the border would stay closed")
    statement = only("The agency quoted a police officer as saying two men were held.")
    assert (statement.relayed_by, statement.text) == ("agency", "two men were held")
    # the one who cited is the subject of a verb coordinated after it
    statements = extract_statements(
        "The paper cited the air force as stating that the jet was unarmed, and claimed a second jet had landed."
    )
    assert [(s.speaker, s.relayed_by, s.text) for s in statements] == [
        ("air force", "paper", "the jet was unarmed"), ("paper", None, "a second jet had landed")]
    statements = extract_statements(
        "Reuters reported, citing two sources, that the mine had flooded, and added that six men were missing."
    )
    assert [s.speaker for s in statements] == ["two sources", "Reuters"]


def test_an_organisation_named_then_described_by_its_kind() -> None:
    statements = extract_statements(
        "The Northern Herald reported that the mill had closed. The newspaper said 40 jobs were lost."
    )
    assert [s.speaker for s in statements] == ["Northern Herald", "Northern Herald"]
    statements = extract_statements("Acme Ltd said prices would rise. The company said costs had doubled.")
    assert [s.speaker for s in statements] == ["Acme Ltd", "Acme Ltd"]
    # a public body is not "the company", nor a paper "the firm"
    statements = extract_statements("The Health Ministry said the clinic had closed. The company said it would reopen.")
    assert statements[-1].speaker == "company"
    # "recalled" reports only a clause: a product recall is not a statement
    assert extract_statements("Acme Motors recalled 500 cars.") == []
    assert only("The envoy recalled that the talks had failed.").text == "the talks had failed"


def test_frames_around_a_quotation_and_statements_issued_by_pronouns() -> None:
    statement = only('On Tuesday the mayor said — as reported by the Daily Post — "The bridge will reopen in May."')
    assert (statement.speaker, statement.relayed_by, statement.direct) == ("mayor", "Daily Post", True)
    statements = extract_statements(
        'The union met on Monday. They released a statement which said, "The strike will go on."'
    )
    assert [s.speaker for s in statements] == ["union"]
    assert only("The Commission on Human Rights said the law was unjust.").speaker == "Commission on Human Rights"


def test_clauses_without_that_restrictive_relatives_and_subordinate_subjects() -> None:
    statement = only("The surgeon told reporters Ana Ruiz was alive.")
    assert (statement.text, statement.relayed_by) == ("Ana Ruiz was alive", "reporters")
    statements = extract_statements("The union criticised the plan, implying more jobs would be lost.")
    assert [(s.cue, s.text) for s in statements] == [("criticised", "the plan"), ("implying", "more jobs would be lost")]
    assert only("The envoy agreed the deal was fair.").text == "the deal was fair"
    assert extract_statements("The firm agreed a deal with the union.") == []
    statement = only("He spoke despite criticism by the council who questioned the cost of the bridge.")
    assert (statement.speaker, statement.stance) == ("council", "unconfirmed")
    # a relative clause inside the sentence's subject ends where no rule here can tell
    assert extract_statements("The minister who said the road was closed resigned.") == []
    statement = only(
        "Ana Ruiz was taken to the hospital, where Dr Tomas Berg was met with applause upon announcing "
        "to journalists Ruiz was alive."
    )
    assert (statement.speaker, statement.text) == ("Tomas Berg", "Ruiz was alive")


def test_accounts_that_vary_issues_raised_and_characterisations_by_nouns() -> None:
    statement = only('Reports on the weapon used vary between a knife and a "sharp tool".')
    assert (statement.speaker, statement.text, statement.stance) == ("reports", 'a knife and a "sharp tool"', "unconfirmed")
    assert only("Accounts differ on whether the gate was open.").stance == "unconfirmed"
    assert extract_statements("Prices vary between towns.") == []
    statement = only("One concern raised by the residents was the noise from the plant.")
    assert (statement.speaker, statement.text, statement.stance) == ("residents", "the noise from the plant", "mentions")
    assert extract_statements("Hands were raised by the pupils.") == []
    statements = extract_statements(
        "The senator attacked the proclamation of the valley as national territory by President Ana Ruiz."
    )
    assert [(s.speaker, s.stance) for s in statements] == [("senator", "mentions"), ("Ana Ruiz", "asserts")]
    assert statements[1].text == "the valley as national territory"
    # attacking a thing said or decided is criticising it; attacking a place is not speech
    assert only("The union attacked the plan.").stance == "mentions"
    assert extract_statements("Gunmen attacked a police post.") == []


def test_solidarity_prayers_and_condolences_carry_no_proposition() -> None:
    assert only('The mayor wrote "Let us pray for the victims. We are with you."').stance == "mentions"
    assert only('The president remarked, "Today I am with him. I pray for his health."').stance == "mentions"
    statement = only('The firm said it "extends its deepest condolences to the families, as well as our best '
                     'wishes to the injured."')
    assert statement.stance == "mentions"
    # a factual sentence beside them still makes an assertion
    assert only('The mayor said "We are with you. The bridge will reopen in May."').stance == "asserts"


# --- attributions common in news English (invented sentences; added without a blind round) -----


def test_documents_speak() -> None:
    assert only("The lawsuit says the rule is unlawful.").speaker == "lawsuit"
    assert only("The filing states the company lost money.").speaker == "filing"
    assert only("The complaint alleges the board ignored warnings.").speaker == "complaint"
    assert only("The memo warns that the budget will run out.").speaker == "memo"
    assert only("The petition claims that the vote was rigged.").speaker == "petition"
    assert only("Figures show that exports fell.").speaker == "figures"
    assert only("Data from the customs office show that exports fell.").text == "exports fell"
    assert only("Police claim the driver was drunk.").speaker == "police"
    assert only("The ban is lawful, the court ruled.").text == "The ban is lawful"
    assert only("The dam is safe, a report by the ministry found.").text == "The dam is safe"
    # the same nouns and verbs outside a report
    assert extract_statements("The letter arrived on Monday.") == []
    assert extract_statements("The TV show was cancelled.") == []
    assert extract_statements("Police found the car.") == []


def test_passive_and_characterising_reports() -> None:
    assert only("It was reported by the Daily Mail that the minister had resigned.").speaker == "Daily Mail"
    statement = only("Kemal Aydin was quoted as saying the border would stay closed.")
    assert (statement.speaker, statement.text) == ("Kemal Aydin", "the border would stay closed")
    statement = only("Officials estimated the damage at five million dollars.")
    assert statement.text == "the damage at five million dollars"
    assert only("The judge described the claim as baseless.").text == "the claim as baseless"
    assert only("Ana Ruiz was cited by the paper as saying the plant would close.").relayed_by == "paper"


# --- gold annotations ------------------------------------------------------------------------


def _quality_module() -> ModuleType:
    """The evaluation script, loaded as a module (``bench`` is not a package)."""
    spec = importlib.util.spec_from_file_location("extraction_quality", ROOT / "bench" / "extraction_quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("extraction_quality", module)
    spec.loader.exec_module(module)
    return module


def test_gold_precision_and_recall() -> None:
    if not (SHARED / "data").is_dir() or not SEED.is_file():
        pytest.skip("../shared/data not present: gold articles live beside the repository in ../shared")
    quality = _quality_module()
    # the original 13 articles (the blind rounds have their own, lower, bar below)
    paths = quality.gold_paths("old")
    results = [quality.evaluate(path) for path in paths]
    gold = sum(len(r.gold) for r in results)
    predicted = sum(len(r.predicted) for r in results)
    matched = sum(len(r.pairs) for r in results)
    stance = sum(g.stance == p.stance for r in results for g, p in r.pairs)
    # achieved on all 13 annotated articles: precision 0.98, recall 0.98, stance 0.97
    assert gold >= 150
    assert matched / predicted >= 0.95, f"precision {matched / predicted:.3f}"
    assert matched / gold >= 0.95, f"recall {matched / gold:.3f}"
    assert stance / matched >= 0.93, f"stance accuracy {stance / matched:.3f}"


def test_blind_rounds_stay_above_target() -> None:
    """Rounds A, B and C (project-local, so always run).  Their blind scores are recorded in
    bench/extraction_quality.py (0.78/0.61/0.81, 0.77/0.53/0.83 and 0.75/0.68/0.96); these are
    the figures after the fixes they prompted, kept here so that later changes cannot lose them."""
    quality = _quality_module()
    paths = [path for path in quality.gold_paths() if quality.gold_round(path) in ("A", "B", "C")]
    results = [quality.evaluate(path) for path in paths]
    gold = sum(len(r.gold) for r in results)
    predicted = sum(len(r.predicted) for r in results)
    matched = sum(len(r.pairs) for r in results)
    stance = sum(g.stance == p.stance for r in results for g, p in r.pairs)
    # now: precision 0.97, recall 0.95, stance 0.91 over 154 gold statements
    assert gold >= 150
    assert matched / predicted >= 0.90, f"precision {matched / predicted:.3f}"
    assert matched / gold >= 0.90, f"recall {matched / gold:.3f}"
    assert stance / matched >= 0.85, f"stance accuracy {stance / matched:.3f}"


def test_gold_texts_are_in_their_articles() -> None:
    """Every gold text is found in its article: the blind rounds' articles are the project's own
    copies and always checked; the original set only where ../shared is present."""
    quality = _quality_module()
    paths = quality.gold_paths()  # the original set and the rounds already scored blind
    blind = [path for path in paths if quality.gold_round(path) is not None]
    assert len(blind) >= 12
    for path in blind:
        assert json.loads(path.read_text(encoding="utf-8"))["article"].startswith("tests/data/extraction/articles/")
    checked = blind + [path for path in paths if path not in blind and (SHARED / "data").is_dir()]
    for path in checked:
        article, _held_out, _name, gold = quality.load_gold(path)
        assert gold
        for statement in gold:
            assert 0 <= statement.start < statement.end <= len(article)
            assert statement.stance in STANCES


def test_blind_gold_follows_the_schema() -> None:
    quality = _quality_module()
    keys = {"speaker", "text", "direct", "anonymous", "stance", "relayed_by"}
    rounds = []
    for path in quality.gold_paths():  # a round not yet scored blind is not opened here
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("round") is None:
            continue
        rounds.append(doc["round"])
        assert doc["licence"].startswith("CC BY 2.5") and doc["source_url"].startswith("https://en.wikinews.org/")
        for item in doc["statements"]:
            assert keys <= set(item) <= keys | {"occurrence"}, item
            assert isinstance(item["direct"], bool) and isinstance(item["anonymous"], bool)
    assert sorted(rounds) == ["A"] * 5 + ["B"] * 3 + ["C"] * 4 + ["D"] * 5 + ["E"] * 5 + ["F"] * 5 + ["G"] * 5 + \
        ["H"] * 5 + ["I"] * 5 + ["J"] * 5


# --- properties ------------------------------------------------------------------------------

_news_words = st.sampled_from(
    ["said", "told", "according to", "denied", "Mir", "he", "“", "”", '"', ",", ".", ":", "officials",
     "the", "a source", "Reuters", "\n\n", "claimed", "that", "Asim Umar", "U.S.", "(FSB)", "—", "…"]
)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_exact_offsets(text: str) -> None:
    statements = extract_statements(text)
    assert isinstance(statements, list)
    check_offsets(text, statements)


@settings(max_examples=200, deadline=None)
@given(st.lists(_news_words, max_size=60).map(" ".join))
def test_newsy_fragments_give_exact_offsets(text: str) -> None:
    check_offsets(text, extract_statements(text))


def _pattern_words(pattern: str) -> list[str]:
    import re

    return sorted(set(re.findall(r"[a-z']+", pattern)))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_stance_patterns_are_tried_only_where_their_words_occur(data: st.DataObject) -> None:
    """The stance module searches a pattern only where a cheaper search finds a word every match
    contains; that must hold for any text the pattern can match."""
    from factcheck.extraction import stance

    pairs = [(stance.UNCONFIRMED_RE, stance._UNCONFIRMED_GATE), (stance.DENIAL_RE, stance._DENIAL_GATE),
             (stance._NON_PROPOSITION_RE, stance._NON_PROPOSITION_GATE), (stance._FEELING_RE, stance._FEELING_GATE)]
    for pattern, gate in pairs:
        words = _pattern_words(pattern.pattern) + ["i", "we", "x", "the", ".", ",", "?", "'"]
        text = " ".join(data.draw(st.lists(st.sampled_from(words), max_size=10)))
        if pattern.search(text):
            assert gate.search(text), (pattern.pattern[:40], text)


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab "“”.,\n\x00😀ü'), min_size=1, max_size=300), st.integers(20, 100))
def test_long_unbalanced_paragraphs(unit: str, copies: int) -> None:
    text = unit * copies
    check_offsets(text, extract_statements(text))


def test_edge_inputs() -> None:
    for text in ["", " ", "\x00", '"', "“", "”unbalanced“ quotes”", "said", "according to", "He said.",
                 "😀 said “😀”", "Он сказал: «нет».", "x" * 100_000, '"' * 1000, "Mr. " * 5000]:
        check_offsets(text, extract_statements(text))


@pytest.mark.parametrize(
    "text",
    ["he said " * 3000, "said\n" * 3000, "said," * 3000, "according to him, " * 2000,
     '"a b said c\n\n' * 2000, "Officials said that Reuters reported that " * 500],
    ids=["said-run", "said-lines", "said-commas", "according-run", "open-quotes", "nested-run"],
)
def test_cue_dense_text_stays_linear(text: str) -> None:
    """Thousands of cues in one unpunctuated run: analysed in bounded windows, not quadratically."""
    check_offsets(text, extract_statements(text))


def test_long_runs_are_cut_into_bounded_windows() -> None:
    text = "word, " * 1000
    for sentence in split_sentences(text):
        assert text.count(",", sentence.start, sentence.end) <= MAX_SENTENCE_WORDS


def test_interview_answers_are_statements_of_the_one_answering() -> None:
    text = ("Wikinews spoke to the maintainer.\n\n\n"
            "((WN))  What did you think of the notice?\n\n\n"
            "((Ana Ruiz))  I think it is not warranted.  The tool is legal.\n\n\n"
            "It downloads videos like any browser does.\n\n\n"
            "((WN))  Will you go on?\n\n\n"
            "((Ana Ruiz))  Yes, for a while.\nI understand people who think differently.\n")
    statements = extract_statements(text)
    check_offsets(text, statements)
    assert [(s.speaker, s.text, s.direct) for s in statements] == [
        ("Ana Ruiz", "I think it is not warranted.  The tool is legal.", True),
        ("Ana Ruiz", "It downloads videos like any browser does.", True),
        ("Ana Ruiz", "Yes, for a while.", True),
        ("Ana Ruiz", "I understand people who think differently.", True),
    ]
    # a colon label is a transcript only when it opens two lines or more; questions are not answers
    text = "Q: Was it safe?\nMayor Lee: It was safe.\nQ: And now?\nMayor Lee: It still is.\n"
    assert [(s.speaker, s.text) for s in extract_statements(text)] == [
        ("Mayor Lee", "It was safe."), ("Mayor Lee", "It still is.")]
    assert extract_statements("Note: the figures are provisional.\nThe count ended.\n") == []
    assert extract_statements("Update: Officials later revised the toll.\n") == []


@pytest.mark.parametrize(("quote", "stance"), [
    ("It is a little hard to definitively say what is going on.", "unconfirmed"),
    ("It is plausible that the transponder was switched off.", "unconfirmed"),
    ("I'm not sure why, but my guess is that users asked for it.", "unconfirmed"),
    ("The purchase appeared to circumvent the ministry.", "unconfirmed"),
    ("The spray is unlikely to be used widely.", "denies"),
    ("His death won't completely end the movement.", "asserts"),  # a negation alone is no denial
])
def test_hedges_in_the_speakers_own_words(quote: str, stance: str) -> None:
    assert only(f'"{quote}" the engineer said.').stance == stance


def test_acts_and_topics_are_not_statements() -> None:
    # an act's object: a ruling, a filing, a position held, a choice made
    for text in ("A federal judge dismissed the lawsuit on Friday.",
                 "The president's legal team appealed the decision to the Second Circuit.",
                 "Biden maintained his lead over Trump in the polls.",
                 "Hawkins announced his selection of a running mate.",
                 "Media outlets called the race for Biden.",
                 # a preposition of topic right after the verb: what was spoken about, not what was said
                 "Biden remarked on the investigation, shortly before he took office.",
                 "Amash contended for the party's nomination."):
        assert extract_statements(text) == [], text
    # the same verbs report what was said
    assert only("The minister dismissed the claims as baseless.").text == "the claims as baseless"
    assert only("Ruiz maintained his innocence.").text == "his innocence"
    assert only("Salling announced its intention to expand.").text == "its intention to expand"
    assert only("Officials appealed for calm.").text == "for calm"
    assert only("The broadcaster said on Monday that the mast had fallen.").text == "the mast had fallen"
    assert only('The chief said about Amman: "His fascination with dying was clear."').speaker == "chief"
    # the speaker of a topic stays the one a pronoun finds
    statement = only('Ana Ruiz wrote about feminism. "I believe I am a modern feminist," she wrote.')
    assert statement.speaker == "Ana Ruiz"


def test_a_press_or_company_noun_is_the_organisation_named_last() -> None:
    # named, not speaking: "the network" is the organisation of the sentence before
    text = ("ABS-CBN went off the air on Tuesday. Its news channel is still on air, as the network "
            "claims the order did not cover the channel.")
    assert only(text).speaker == "ABS-CBN"
    # a press noun twice: each time the press organisation, not the first "website" described
    text = ("Local authorities, according to Maritime Bulletin, have noted unusual data. The website "
            "yesterday suggested piracy is now the most prominent theory.")
    assert [s.speaker for s in extract_statements(text)][-1] == "Maritime Bulletin"
    # a short acronym is not taken for the company
    assert only("The AIS data was odd. The company said the ship was safe.").speaker == "company"


def test_he_or_she_is_the_person_named_before_it_in_its_own_sentence() -> None:
    text = ("The network is the largest broadcaster. President Rodrigo Duterte threatened its licence "
            "before, and he accused the network of fraud.")
    assert only(text).speaker == "Rodrigo Duterte"
    text = "On Monday, agency head Emily W. Murphy sent a letter giving access to what she described as transition resources."
    assert only(text).speaker.startswith("Emily W")
    # not the person spoken to
    text = ('The prince accepted the blame, PBS revealed. Speaking to Martin Smith of PBS, he said, '
            '"It happened under my watch."')
    assert find(extract_statements(text), "under my watch").speaker != "Martin Smith"


def test_plural_and_co_forms_of_speaker_nouns_can_speak() -> None:
    for text, speaker in (("The judges said the law was void.", "judges"),
                          ("Two attorneys said the law was void.", "two attorneys"),
                          ("According to a court clerk, the hearing was delayed.", "a court clerk"),
                          ("The co-founder said the law was void.", "co-founder"),
                          ("Biden and others warned the delay could be a threat.", "Biden and others"),
                          ("Several networks reported the fire had spread.", "several networks")):
        assert only(text).speaker == speaker, text


@pytest.mark.parametrize(("text", "content", "stance"), [
    ('Co-developer Jing Wang recounted, "It just slides down."', "It just slides down.", "asserts"),
    ("The mayor lamented that the town was empty.", "the town was empty", "asserts"),
    ("She wondered whether the plan would work.", "whether the plan would work", "unconfirmed"),
    ("The engineer opined that the bridge was sound.", "the bridge was sound", "asserts"),
])
def test_verbs_of_recounting_lamenting_and_wondering(text: str, content: str, stance: str) -> None:
    statement = only(text)
    assert (statement.text, statement.stance) == (content, stance)
    # a verb of speaking without a clause or quotation reports nothing
    assert extract_statements("He shouted at the crowd.") == []


def test_a_connective_alone_is_not_what_was_said() -> None:
    assert extract_statements("The excerpts were reported by CNN as such:") == []
    assert all(s.text != "However" for s in extract_statements('However, she added, "there are no locked doors".'))
    # a one-word content that says something stays
    assert only("The group claimed responsibility.").text == "responsibility"


def test_a_record_or_a_count_shows_without_a_clause() -> None:
    statement = only("The tracking database shows a reestablishment of contact on January 6.")
    assert statement.text == "a reestablishment of contact on January 6"
    assert only("The figures showed a rise in deaths.").text == "a rise in deaths"
    # a person or a picture showing something states nothing
    assert extract_statements("The runner showed signs of strain.") == []
    assert extract_statements("Photographs showed the wreck in a field.") == []


def test_a_pronoun_carries_on_through_sentences_that_name_nobody() -> None:
    text = ("Biden said the plan was bad.  President Trump made several statements in May.  Early in the "
            "month, he received fallout from a statement he made in April.  He hinted that the task force "
            "would be disbanded.")
    assert find(extract_statements(text), "task force").speaker == "Trump"
    # a person named in between breaks the chain: the older name needs a known gender to be found
    text = ("Biden said the plan was bad.  President Trump made several statements in May.  Early in the "
            "month, Ana Ruiz met him.  He hinted that the task force would be disbanded.")
    assert find(extract_statements(text), "task force").speaker != "Trump"


def test_a_block_quotation_of_several_paragraphs() -> None:
    text = ("The judge rejected this argument:\n\n\n The notion of immunity the President invokes cuts across "
            "the grain of precedent.\n\n\nBecause this Court finds such a doctrine repugnant, it dismisses "
            "the suit.\n\n\n – District Judge Victor Marrero, \"Decision and Order\"\n\nThe appeal followed.")
    statements = extract_statements(text)
    check_offsets(text, statements)
    assert [(s.speaker, s.text[:24], s.relayed_by) for s in statements] == [
        ("judge", "this argument", None),  # the rejection itself
        ("District Judge Victor Marrero", "The notion of immunity t", '"Decision and Order"'),
        ("District Judge Victor Marrero", "Because this Court finds", '"Decision and Order"'),
    ]
    # paragraphs of narration before a caption are not a quotation: the first must be set off
    text = "The search ended.\n\nCrews went home.\n\n —Ana Ruiz\n\nNothing more."
    assert extract_statements(text) == []


def test_a_partitive_of_amount_is_headed_by_who_it_counts() -> None:
    assert only("A number of senators condemned the decision.").speaker == "a number of senators"
    assert only("A majority of voters said the vote was rigged.").speaker == "a majority of voters"
    # a number of things cannot speak
    assert only("A number of factors explain the delay, officials said.").speaker == "officials"


def test_a_lower_case_noun_before_a_name_is_not_part_of_it() -> None:
    assert only("With the acquisition Salling said it seeks growth.").speaker == "Salling"
    assert only("The late Ali Khan said the plan failed.").speaker == "Ali Khan"
    # a speaker noun before a name stays: "the company Salling" is who spoke
    assert only("The company Salling said it seeks growth.").speaker == "company Salling"


def test_has_since_said() -> None:
    assert only("He has since said his confession was forced.").text == "his confession was forced"
    assert extract_statements("He had never said the plan would fail.") == []  # a report negated


def test_a_clause_after_a_time_and_a_comma() -> None:
    assert only("Al Jazeera reported on Thursday, coverage had risen to 55 percent.").text == \
        "coverage had risen to 55 percent"
    # a trailing attribution keeps what precedes it
    assert only("The fire spread, a spokesman said on Monday, as the wind rose.").text == "The fire spread"


def test_a_participle_after_a_sentence_adverb_takes_the_main_subject() -> None:
    text = "Joe Biden made gaffes in May.  First, he juxtaposed numbers, claiming 85,000 Americans were unemployed."
    assert only(text).speaker == "Joe Biden"


def test_a_document_passed_on_by_someone_speaks_relayed_by_them() -> None:
    statement = only("A letter obtained by Reuters said the plant would close.")
    assert (statement.speaker, statement.relayed_by) == ("a letter", "Reuters")
    statement = only("RIAA's notice published by GitHub alleged violation of the law.")
    assert statement.relayed_by == "GitHub" and "GitHub" not in statement.speaker


def test_an_interview_labelled_by_initials_is_the_person_they_stand_for() -> None:
    text = ("Biologist Natasha Gownaris answered our questions.\n\n"
            "((WN))  What prompted your curiosity?\n\n"
            "Natasha Gownaris: I wanted to be a marine scientist.\n\n"
            "((WN))  How did you do the study?\n\n"
            "NG: The study started in 1982.\n\n"
            "((WN))  And now?\n\n"
            "NG: We are studying the chicks.\n")
    statements = extract_statements(text)
    assert [(s.speaker, s.text) for s in statements] == [
        ("Natasha Gownaris", "I wanted to be a marine scientist."),
        ("Natasha Gownaris", "The study started in 1982."),
        ("Natasha Gownaris", "We are studying the chicks."),
    ]
    # the speaker's place in the text is the label, whatever name it stands for
    assert [text[s.speaker_span[0] : s.speaker_span[1]] for s in statements] == ["Natasha Gownaris", "NG", "NG"]
    # initials nobody named stay as they are
    assert {s.speaker for s in extract_statements("AB: It was safe.\nAB: It still is.\n")} == {"AB"}
