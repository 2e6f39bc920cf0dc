"""Affiliation proposals for the extraction review page.

Pure functions, no database: every sentence here is invented.  Each construction the module
docstring of ``factcheck.extraction.affiliation`` lists has a case, and so does each thing it
deliberately does not propose.
"""

from __future__ import annotations

import time

import pytest

from factcheck.extraction import extract_statements
from factcheck.extraction import affiliation
from factcheck.extraction.affiliation import proposals_for, propose_affiliation

FOUND = [
    # the speaker string is the descriptor
    ("A spokesman for the ministry said the road was closed.", "a spokesman for the ministry", "ministry"),
    ("A spokeswoman for the Interior Ministry said the road was closed.",
     "a spokeswoman for the Interior Ministry", "Interior Ministry"),
    ("The spokesperson of the Taliban said the road was closed.", "spokesperson of the Taliban", "Taliban"),
    ("The ministry's spokesman said the road was closed.", "the ministry's spokesman", "ministry"),
    ("A Taliban spokesman said the road was closed.", "a Taliban spokesman", "Taliban"),
    ("Two officials at the ministry said the road was closed.", "two officials at the ministry", "ministry"),
    ("A senior official in the Interior Ministry said so.", "a senior official in the Interior Ministry",
     "Interior Ministry"),
    # a possessive body before the name
    ("The ministry's spokesman Ahmad Zia said the report was false.", "Ahmad Zia", "ministry"),
    ("The Pentagon's press secretary John Kirby told reporters the drill was routine.", "John Kirby", "Pentagon"),
    ("The ministry's chief spokesman, Tariq Arian, said the road was closed.", "Tariq Arian", "ministry"),
    # an organisation name directly before the role before the name
    ("Taliban spokesman Zabihullah Mujahid said the city had fallen.", "Zabihullah Mujahid", "Taliban"),
    ("Interior Ministry spokesman Tariq Arian said 40 people died.", "Tariq Arian", "Interior Ministry"),
    ("White House press secretary Karine Jean-Pierre said the trip was on.", "Karine Jean-Pierre", "White House"),
    ("Kabul police chief Ahmad Khan said the road was closed.", "Ahmad Khan", "Kabul police"),
    ("The attack was claimed, said Taliban spokesman Zabihullah Mujahid.", "Zabihullah Mujahid", "Taliban"),
    ("His courier to Al-Qaeda leader Ayman al-Zawahiri was killed.", "Ayman al-Zawahiri", "Al-Qaeda"),
    # a descriptor phrase, then a comma, then the name
    ("A spokesman for the Interior Ministry, Tariq Arian, said the road was closed.", "Tariq Arian",
     "Interior Ministry"),
    # "of" after the name
    ("Sharif Hotak of the council said the dam had burst.", "Sharif Hotak", "council"),
    ("Sharif Hotak, of the city council, said the dam had burst.", "Sharif Hotak", "city council"),
    # an appositive after the name
    ("Maria Lopez, a spokesman for the Red Cross, said the camp was full.", "Maria Lopez", "Red Cross"),
    ("Anna Berg, the spokeswoman of Oxfam, said the camp was full.", "Anna Berg", "Oxfam"),
    ("Omar Khalid, a senior official at the Ministry of Finance, said the budget was cut.", "Omar Khalid",
     "Ministry of Finance"),
    ("Lena Park, director of the National Hurricane Center, said the storm had turned.", "Lena Park",
     "National Hurricane Center"),
    ("Ravi Menon, head of the port authority, said the ships were late.", "Ravi Menon", "port authority"),
    ("Ellen Wu, chairwoman of Acme Holdings, said profits fell.", "Ellen Wu", "Acme Holdings"),
    ("Nadia Haq, president of the Lawyers' Association, said the court was closed.", "Nadia Haq",
     "Lawyers' Association"),
    ("Tom Reyes, a leader of the Farmers Union, said prices rose.", "Tom Reyes", "Farmers Union"),
    ("Said Khan, commander of the 205th Corps, said the post was taken.", "Said Khan", "205th Corps"),
    ("Pedro Alves, a member of parliament, said the vote was delayed.", "Pedro Alves", "parliament"),
    ("Mark Ruiz, an adviser to the prime minister, said the vote was delayed.", "Mark Ruiz", "prime minister"),
    ("Dina Aziz, representative of UNICEF in Kabul, said schools reopened.", "Dina Aziz", "UNICEF"),
    ("Ray Cole, an officer with the Kabul police, said the road was closed.", "Ray Cole", "Kabul police"),
    ("Tom Reyes, Taliban spokesman, said the road was closed.", "Tom Reyes", "Taliban"),
    ("Tom Reyes, the ministry's spokesman, said the road was closed.", "Tom Reyes", "ministry"),
    ("Zabihullah Mujahid, 45, a spokesman for the Taliban, said the city fell.", "Zabihullah Mujahid", "Taliban"),
    # a relative clause after the name
    ("Jon Dale, who heads the Kabul Chamber of Commerce, said trade slowed.", "Jon Dale",
     "Kabul Chamber of Commerce"),
    ("Jon Dale, who works for the Red Crescent, said the camp was full.", "Jon Dale", "Red Crescent"),
    ("Jon Dale, who is a spokesman for the Health Ministry, said the camp was full.", "Jon Dale",
     "Health Ministry"),
    # governors: the province they govern (see the module docstring)
    ("Gul Agha, the governor of Helmand, said the road was closed.", "Gul Agha", "Helmand"),
    ("Helmand governor Gul Agha said the road was closed.", "Gul Agha", "Helmand"),
    # an abbreviation keeps its final dot; sentence punctuation does not stay
    ("U.S. President Joe Biden said the talks would go on.", "Joe Biden", "U.S."),
]


@pytest.mark.parametrize(("article", "speaker", "expected"), FOUND)
def test_construction_gives_the_body(article: str, speaker: str, expected: str) -> None:
    assert propose_affiliation(article, speaker) == expected


NOTHING = [
    ("John Smith said the bridge fell.", "John Smith"),
    ("The spokesman said the bridge fell.", "the spokesman"),
    ("Ali Reza, the spokesman, said the bridge fell.", "Ali Reza"),
    # the descriptor is about someone else
    ("Ali Reza met a spokesman for the ministry on Monday.", "Ali Reza"),
    ("Speaking to a spokesman for the ministry, Ali Reza said the bridge fell.", "Ali Reza"),
    ("Ismail Khan, governor of Herat, left. Imran Khan said the bridge fell.", "Imran Khan"),
    # a past affiliation
    ("Ali Reza, a former spokesman for the ministry, said the bridge fell.", "Ali Reza"),
    # a function, an audience, an unnamed or pronominal body, a place, a nationality, a portfolio
    ("Ali Reza, director of communications, said the bridge fell.", "Ali Reza"),
    ("Ali Reza, a member of the public, said the bridge fell.", "Ali Reza"),
    ("A spokesman for a local charity said the bridge fell.", "a spokesman for a local charity"),
    ("Ali Reza, a spokesman for his party, said the bridge fell.", "Ali Reza"),
    ("Officials at the scene said the bridge fell.", "officials at the scene"),
    ("A commander in Kunduz said the bridge fell.", "a commander in Kunduz"),
    ("Afghan official Ahmad Noor said the bridge fell.", "Ahmad Noor"),
    ("Local official Ahmad Noor said the bridge fell.", "Ahmad Noor"),
    ("Foreign Minister Amir Khan Muttaqi said the bridge fell.", "Amir Khan Muttaqi"),
    ("Secretary of State Antony Blinken said the bridge fell.", "Antony Blinken"),
    # never the speaker's own name
    ("Sam Ford, of Ford, said the bridge fell.", "Sam Ford"),
]


@pytest.mark.parametrize(("article", "speaker"), NOTHING)
def test_no_body_named_gives_none(article: str, speaker: str) -> None:
    assert propose_affiliation(article, speaker) is None


def test_a_later_mention_is_read_too() -> None:
    article = (
        "Tom Reyes said the road was closed. Rain fell all day. "
        "Reyes, a spokesman for the Health Ministry, added that it would reopen."
    )
    assert propose_affiliation(article, "Tom Reyes") == "Health Ministry"
    # the first mention alone says nothing
    assert propose_affiliation(article[:35], "Tom Reyes") is None


def test_the_full_name_at_a_later_mention() -> None:
    article = (
        "Tom Reyes said the road was closed. Later, Tom Reyes of the city council said it would reopen."
    )
    assert propose_affiliation(article, "Tom Reyes") == "city council"


def test_the_speaker_span_is_read_when_the_speaker_string_says_nothing() -> None:
    article = "Officials said little. Dr. Wong, of the city council, said the dam held."
    start = article.index("Wong")
    assert propose_affiliation(article, "the councillor") is None
    assert propose_affiliation(article, "the councillor", (start, start + 4)) == "city council"


def test_the_mention_text_is_read_as_a_descriptor() -> None:
    article = "A spokeswoman for the Health Ministry said the clinics were open."
    span = (0, len("A spokeswoman for the Health Ministry"))
    assert propose_affiliation(article, "the spokeswoman") is None
    assert propose_affiliation(article, "the spokeswoman", span) == "Health Ministry"


@pytest.mark.parametrize(
    ("speaker", "span"),
    [
        ("John Smith", None),
        ("a spokesman", None),
        ("spokesman for the " * 1000, None),
        ("John Smith", (0, 1_800_000)),
        ("Smith", (900_000, 900_009)),
    ],
)
def test_pathological_input_is_fast(speaker: str, span: tuple[int, int] | None) -> None:
    article = "spokesman for the " * 100_000
    started = time.perf_counter()
    result = propose_affiliation(article, speaker, span)
    assert time.perf_counter() - started < 1.0
    assert result is None


def test_many_mentions_are_bounded() -> None:
    article = "John Smith, spokesman for the " * 100_000 + "John Smith of the council said so."
    started = time.perf_counter()
    result = propose_affiliation(article, "John Smith")
    assert time.perf_counter() - started < 1.0
    # only the first few dozen mentions are read, so the last one is never reached
    assert result is None
    assert propose_affiliation("John Smith of the council said so.", "John Smith") == "council"


def test_end_to_end_with_the_extractor() -> None:
    article = (
        'Interior Ministry spokesman Tariq Arian said 40 people were killed. '
        '"We have lost many," Arian said. John Smith said the bridge fell.'
    )
    statements = extract_statements(article)
    speakers = [s.speaker for s in statements]
    assert speakers.count("Tariq Arian") == 2, speakers
    assert "John Smith" in speakers, speakers
    proposals = proposals_for(article, statements)
    assert len(proposals) == len(statements)
    for statement, proposal in zip(statements, proposals):
        expected = "Interior Ministry" if statement.speaker == "Tariq Arian" else None
        assert proposal == expected, (statement.speaker, proposal)


def test_proposals_for_computes_each_speaker_once(monkeypatch: pytest.MonkeyPatch) -> None:
    article = (
        'Interior Ministry spokesman Tariq Arian said 40 people were killed. '
        '"We have lost many," Arian said. Arian added that aid was coming.'
    )
    statements = extract_statements(article)
    assert len(statements) >= 2 and {s.speaker for s in statements} == {"Tariq Arian"}
    calls: list[str] = []
    real = affiliation._propose

    def counting(article: str, speaker: str, spans: list[tuple[int, int]]) -> str | None:
        calls.append(speaker)
        return real(article, speaker, spans)

    monkeypatch.setattr(affiliation, "_propose", counting)
    assert proposals_for(article, statements) == ["Interior Ministry"] * len(statements)
    assert calls == ["Tariq Arian"]


def test_proposals_for_uses_every_span_of_a_speaker() -> None:
    article = "Officials said little. Dr. Wong said the dam held. Wong, of the city council, said more."
    first = article.index("Wong")
    second = article.index("Wong", first + 1)
    statements = [
        affiliation.ExtractedStatement(
            speaker="the councillor", speaker_span=(start, start + 4), cue="said", text="x",
            start=0, end=1, direct=False, anonymous=False, anonymity_reason=None, stance="asserts",
            relayed_by=None,
        )
        for start in (first, second)
    ]
    assert proposals_for(article, statements) == ["city council", "city council"]
