"""Checking JSON-LD against the schema.org vocabulary file (release 30.0, in ../shared/data).

Every type must be a schema.org class; every property must exist, be used on a type within its
``domainIncludes`` (or a subclass of one), and hold a value within its ``rangeIncludes``: a
node whose type is (a subclass of) a range class, or a literal of a fitting data type.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

VOCABULARY = Path("data") / "schemaorg" / "schemaorg-current-https-v30.0.jsonld"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def _ids(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value] if value else []
    return [v["@id"].removeprefix("schema:") for v in values if isinstance(v, dict) and "@id" in v]


class Vocabulary:
    def __init__(self, shared_dir: Path) -> None:
        graph = json.loads((shared_dir / VOCABULARY).read_text(encoding="utf-8"))["@graph"]
        self.parents: dict[str, list[str]] = {}
        self.domains: dict[str, list[str]] = {}
        self.ranges: dict[str, list[str]] = {}
        for term in graph:
            name = term["@id"].removeprefix("schema:")
            kinds = term["@type"] if isinstance(term["@type"], list) else [term["@type"]]
            if "rdfs:Class" in kinds:
                self.parents[name] = _ids(term.get("rdfs:subClassOf"))
            if "rdf:Property" in kinds:
                self.domains[name] = _ids(term.get("schema:domainIncludes"))
                self.ranges[name] = _ids(term.get("schema:rangeIncludes"))

    def ancestors(self, name: str) -> set[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, []))
        return seen

    @staticmethod
    def literal_types(value: Any) -> set[str]:
        if isinstance(value, bool):
            return {"Boolean"}
        if isinstance(value, int):
            return {"Integer", "Number"}
        if isinstance(value, float):
            return {"Number"}
        types = {"Text"}
        if isinstance(value, str) and re.match(r"^https?://\S+$", value):
            types.add("URL")
        if isinstance(value, str) and _DATE.match(value):
            types.add("Date")
        if isinstance(value, str) and _DATETIME.match(value):
            types.add("DateTime")
        return types

    def problems(self, node: dict[str, Any], where: str = "$") -> list[str]:
        """Everything in ``node`` (recursively) that does not fit the vocabulary."""
        found: list[str] = []
        node_type = node.get("@type")
        if node_type not in self.parents:
            return [f"{where}: @type {node_type!r} is not a schema.org class"]
        lineage = self.ancestors(node_type)
        for key, value in node.items():
            if key.startswith("@"):
                continue
            at = f"{where}.{key}"
            if key not in self.domains:
                found.append(f"{at}: {key!r} is not a schema.org property")
                continue
            if not lineage & set(self.domains[key]):
                found.append(f"{at}: {key} is not a property of {node_type} (domain {self.domains[key]})")
            ranges = set(self.ranges[key])
            for n, item in enumerate(value if isinstance(value, list) else [value]):
                if isinstance(item, dict):
                    found.extend(self.problems(item, f"{at}[{n}]"))
                    if not self.ancestors(item.get("@type", "")) & ranges:
                        found.append(f"{at}[{n}]: a {item.get('@type')} is not in the range {sorted(ranges)}")
                elif not self.literal_types(item) & ranges:
                    found.append(f"{at}[{n}]: {item!r} is not in the range {sorted(ranges)}")
        return found

    def terms_used(self, node: Any) -> set[str]:
        if isinstance(node, list):
            return set().union(*(self.terms_used(n) for n in node)) if node else set()
        if not isinstance(node, dict):
            return set()
        used = {k for k in node if not k.startswith("@")} | ({node["@type"]} if "@type" in node else set())
        return used.union(*(self.terms_used(v) for v in node.values()))
