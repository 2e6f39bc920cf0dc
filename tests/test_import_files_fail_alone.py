"""``claimreview import``: a file that cannot be read — nested 5,000 levels deep, a number of
5,000 digits, not JSON at all, a page whose JSON-LD block is any of those — fails on its own
with a "failed" line saying why, and the other files are imported all the same (no traceback,
exit status 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from factcheck.claimreview import reading
from factcheck.claimreview.reading import ReadError, documents, find_claim_reviews, read_file
from factcheck.db import get_database
from factcheck.models import ImportedReview


def review(n: int, **extra: object) -> dict[str, object]:
    return {"@type": "ClaimReview", "url": f"https://checkers.example/checks/files-{n}",
            "claimReviewed": f"Claim {n} about the harbour toll.", "reviewRating": {"alternateName": "False"},
            **extra}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "good-1.json": json.dumps(review(1)),
        "deep.json": "[" * 5000 + "]" * 5000,
        "long-number.json": '{"@type": "ClaimReview", "ratingValue": ' + "7" * 5000 + "}",
        "broken.json": '{"@type": "ClaimReview", "url": ',
        "deep-block.html": '<script type="application/ld+json">' + "{\"a\":" * 5000 + "1" + "}" * 5000 + "</script>",
        "good-2.html": f'<script type="application/ld+json">{json.dumps(review(2))}</script>',
        "binary.json": "",
        "good-3.json": json.dumps([review(3), {"@type": "ClaimReview", "url": "https://checkers.example/x",
                                               "claimReviewed": "Deep inside.", "x": [[[[[[[[1]]]]]]]]}]),
    }
    paths = {}
    for name, content in made.items():
        paths[name] = tmp_path / name
        paths[name].write_text(content, encoding="utf-8")
    paths["binary.json"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return paths


def test_each_bad_file_fails_alone_and_the_others_are_imported(committed_app: Flask, files) -> None:
    result = committed_app.test_cli_runner().invoke(args=["claimreview", "import", *map(str, files.values())])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == "4 imported, 0 updated, 0 skipped, 5 failed."
    assert "Traceback" not in result.output
    assert ("  failed   deep.json: not valid JSON (nested too deeply: at most about 900 levels of arrays and "
            "objects are read)") in lines
    assert "  failed   long-number.json: not valid JSON (a number has more than 4,300 digits)" in lines
    assert any(line.startswith("  failed   broken.json: not valid JSON (Expecting value") for line in lines)
    assert ("  failed   deep-block.html: JSON-LD block 1 is not valid JSON (nested too deeply: at most about 900 "
            "levels of arrays and objects are read)") in lines
    assert "  failed   binary.json: neither JSON nor a page with JSON-LD" in lines
    imported = [line for line in lines if line.startswith("  imported")]
    assert [line.split(":")[0] for line in imported] == [
        "  imported good-1.json #1", "  imported good-2.html #1", "  imported good-3.json #1",
        "  imported good-3.json #2"]
    with get_database(committed_app).read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportedReview)) == 4


def test_reading_says_why_a_file_is_not_json(files) -> None:
    with pytest.raises(ReadError, match="nested too deeply"):
        read_file(files["deep.json"])
    with pytest.raises(ReadError, match="a number has more than 4,300 digits"):
        read_file(files["long-number.json"])
    items, problems = read_file(files["deep-block.html"])
    assert items == [] and problems == [
        "JSON-LD block 1 is not valid JSON (nested too deeply: at most about 900 levels of arrays and objects "
        "are read)"]


def test_a_review_as_deep_as_the_parser_allows_is_found() -> None:
    """The search for ClaimReview walks any depth the parser gave it (no recursion of its own)."""
    depth = 900
    text = "[" * depth + json.dumps(review(9)) + "]" * depth
    [doc], problems = documents(text)
    assert problems == [] and [r["url"] for r in find_claim_reviews(doc)] == ["https://checkers.example/checks/files-9"]
    nested: object = review(10)
    for _ in range(5000):  # deeper than any recursion could walk, built without the parser
        nested = {"wrapper": [nested]}
    assert [r["url"] for r in find_claim_reviews(nested)] == ["https://checkers.example/checks/files-10"]


def test_a_review_that_cannot_be_read_fails_alone_in_its_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([review(1), review(2), review(3)]), encoding="utf-8")
    real = reading.review_item

    def odd(node, origin):
        if origin.endswith("#2"):
            raise TypeError("an odd value")
        return real(node, origin)

    monkeypatch.setattr(reading, "review_item", odd)
    items, problems = read_file(path)
    assert [item.origin for item in items] == ["feed.json #1", "feed.json #3"]
    assert problems == ["#2 could not be read (TypeError: an odd value)"]
