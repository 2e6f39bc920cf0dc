"""Other fact-checkers' verdicts → our statuses: words in five languages, numeric scales
(reversed too), sentences, and an unknown verdict left unverified."""

from __future__ import annotations

import json

import pytest

from factcheck.claimreview.ratings import RatingMap, normalise, parse_number
from factcheck.models import Status

F, M, U, C, X = Status.FALSE, Status.MISLEADING, Status.UNPROVEN, Status.CONFIRMED, Status.UNVERIFIED

RATINGS = RatingMap()


@pytest.mark.parametrize("verdict, status", [
    # English
    ("False", F), ("FALSE", F), ("  false\n", F), ("Fake", F), ("Pants on Fire!", F), ("Four Pinocchios", F),
    ("Misleading", M), ("Mostly False", M), ("Half True", M), ("Half-True", M), ("Missing context", M),
    ("Mixture", M), ("Unproven", U), ("Unsupported", U), ("No evidence", U), ("True", C), ("Mostly True", C),
    ("Correct", C), ("Not true", F), ("This isn't true", F),
    # Spanish
    ("Falso", F), ("Falsa", F), ("Bulo", F), ("Engañoso", M), ("ENGAÑOSO", M), ("Enganoso", M),
    ("Verdad a medias", M), ("Sacado de contexto", M), ("Sin evidencia", U), ("Verdadero", C), ("Cierto", C),
    ("No es cierto", F),
    # Portuguese
    ("Falso", F), ("Enganoso", M), ("Distorcido", M), ("Exagerado", M), ("Insustentável", U),
    ("Sem provas", U), ("Verdadeiro", C), ("Não é verdade", F),
    # French
    ("Faux", F), ("Fausse", F), ("Infox", F), ("C'est faux", F), ("Trompeur", M), ("Partiellement faux", M),
    ("Manque de contexte", M), ("Invérifiable", U), ("Vrai", C), ("Plutôt vrai", C),
    # German
    ("Falsch", F), ("Frei erfunden", F), ("Stimmt nicht", F), ("Irreführend", M), ("Teilweise falsch", M),
    ("Größtenteils falsch", M), ("Fehlender Kontext", M), ("Unbelegt", U), ("Richtig", C), ("Stimmt", C),
])
def test_verdicts_in_words(verdict, status) -> None:
    assert RATINGS.verdict(name=verdict).status == status


@pytest.mark.parametrize("sentence, status", [
    ("False: the photo was taken in 2015.", F),
    ("Engañoso. El video es de otro país.", M),
    ("This claim is mostly false: the figure counts contracts, not jobs.", M),
    ("We rate this claim as misleading because it omits the tax rise", M),
    ("The statement is not true, according to official data", F),
    ("Le chiffre est faux selon l'INSEE", F),
    ("Some parts are true but others are false", X),  # two different verdicts: not guessed
    ("Satire", X), ("Research in progress", X), ("", X), ("   ", X), ("¯\\_(ツ)_/¯", X),
])
def test_sentences(sentence, status) -> None:
    assert RATINGS.verdict(name=sentence).status == status


@pytest.mark.parametrize("value, best, worst, status", [
    (1, 5, 1, F), (2, 5, 1, M), (3, 5, 1, M), (4, 5, 1, C), (5, 5, 1, C),
    ("1", "5", "1", F), ("4.5", None, None, C), ("2,5", "5", "1", M), ("4/5", None, None, C),
    # PolitiFact-style six steps.
    (1, 6, 1, F), (2, 6, 1, F), (3, 6, 1, M), (4, 6, 1, M), (5, 6, 1, C), (6, 6, 1, C),
    # Reversed scales: 1 is best.
    (1, 1, 5, C), (2, 1, 5, C), (4, 1, 5, M), (5, 1, 5, F),
    # schema.org's defaults (1 to 5) when best and worst are missing.
    (1, None, None, F), (5, None, None, C),
    # Nothing usable.
    (None, 5, 1, X), ("many", 5, 1, X), (9, 5, 1, X), (3, 3, 3, X), (float("nan"), 5, 1, X), (True, 5, 1, X),
])
def test_numeric_scales(value, best, worst, status) -> None:
    assert RATINGS.verdict(value=value, best=best, worst=worst).status == status


def test_words_win_over_numbers() -> None:
    # schema.org's own example: ratingValue 1 of 6, yet alternateName "True".
    verdict = RATINGS.verdict(name="True", value=1, best=6)
    assert (verdict.status, verdict.basis) == (C, "words")
    assert RATINGS.verdict(name="Satire", value=1, best=5).basis == "scale"
    assert RATINGS.verdict(value="Falso").status == F  # the verdict written into ratingValue


def test_overrides_extend_and_replace_the_defaults(tmp_path) -> None:
    custom = RatingMap({"Satire": "unproven", "Mostly true": "misleading", "Research in progress": "unverified"})
    assert custom.verdict(name="satire").status == U
    assert custom.verdict(name="Mostly True").status == M
    assert custom.verdict(name="Research in progress").basis == "words"
    assert custom.verdict(name="Falso").status == F  # defaults still there
    path = tmp_path / "ratings.json"
    path.write_text(json.dumps({"Pinocchio": "false"}), encoding="utf-8")
    assert RatingMap.from_file(path).verdict(name="Pinocchio").status == F


@pytest.mark.parametrize("bad", [{"Satire": "contested"}, {"Satire": "in_review"}, {"Satire": "nonsense"}])
def test_overrides_must_name_a_verdict(bad) -> None:
    with pytest.raises(ValueError, match="expected one of"):
        RatingMap(bad)


def test_from_file_refuses_other_shapes(tmp_path) -> None:
    path = tmp_path / "ratings.json"
    path.write_text('["false"]', encoding="utf-8")
    with pytest.raises(ValueError, match="JSON object"):
        RatingMap.from_file(path)


def test_normalise_and_numbers() -> None:
    assert normalise("  Größtenteils   FALSCH! ") == "grosstenteils falsch"
    assert normalise("C’est faux") == "cest faux"
    assert parse_number(" 3 ") == 3.0 and parse_number("3/5") == 3.0 and parse_number("x") is None
