"""The OpenAPI document describes exactly the API that runs, and the reference page shows it."""

from __future__ import annotations

import re

from werkzeug.routing import Rule

DOCUMENTED_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _openapi_path(rule: Rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def _api_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")]


def test_document_is_openapi_3_1(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = response.get_json()
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"]
    }


def test_every_api_route_is_documented(app, client) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    rules = _api_rules(app)
    assert len(rules) >= 15
    missing = [
        f"{method} {rule.rule}"
        for rule in rules
        for method in sorted((rule.methods or set()) & DOCUMENTED_METHODS)
        if method.lower() not in paths.get(_openapi_path(rule), {})
    ]
    assert not missing, f"routes missing from the OpenAPI document: {missing}"
    # …and the document names no route that does not exist.
    routed = {(_openapi_path(r), m.lower()) for r in rules for m in (r.methods or set())}
    documented = {(path, method) for path, item in paths.items() for method in item if method != "parameters"}
    assert documented <= routed


def test_every_operation_documents_its_errors_as_problems(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            assert op.get("summary"), f"{method} {path} has no summary"
            responses = op["responses"]
            assert responses["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}
            for code, response in responses.items():
                if code.startswith(("4", "5")) and "content" in response:
                    assert list(response["content"]) == ["application/problem+json"], (method, path, code)
            if method in ("post", "patch"):
                assert op["security"] == [{"bearerAuth": []}], (method, path)
                assert {"401", "429"} <= responses.keys(), (method, path)
    default = doc["components"]["responses"]["DEFAULT_ERROR"]
    assert list(default["content"]) == ["application/problem+json"]


def test_hidden_fields_are_documented_as_such(client) -> None:
    from factcheck.api import schemas

    components = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    checked = 0
    for name, schema in components.items():
        cls = getattr(schemas, f"{name}Schema", None)
        for field, words in [(f, "Desk only") for f in getattr(cls, "MEMBERS_ONLY", ())] + \
                [(f, "Editors only") for f in getattr(cls, "EDITORS_ONLY", ())]:
            assert words in schema["properties"][field].get("description", ""), (name, field)
            checked += 1
    assert checked >= 10


def test_reference_page_lists_every_operation(app, client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for rule in _api_rules(app):
        for method in (rule.methods or set()) & DOCUMENTED_METHODS:
            assert f">{method}</span> <code>{_openapi_path(rule)}</code>" in html, (method, rule.rule)
    # Nothing the Content-Security-Policy forbids, nothing fetched from elsewhere.
    assert "<script" not in html and "style=" not in html and "<style" not in html
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert links and all(link.startswith(("/", "#")) for link in links), links
    assert "If-Match" in html and "application/problem+json" in html
