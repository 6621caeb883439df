"""Programs as plain JSON-compatible data, so Mongo, Redis, OpenSearch and admin input share one format.

Rule values keep their Python type through a tag (`{"decimal": "45934.20"}`), because a rule comparing
money must not turn into a float comparison after a round-trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from domain.programs.model import (
    ApplicationStep,
    Category,
    Country,
    CutOff,
    Document,
    DocumentWho,
    Fee,
    FeePer,
    PointsSystem,
    ProcessingTime,
    Program,
    Source,
    Status,
)
from domain.programs.rules import AllOf, AnyOf, Leaf, Not, Operator, Rule, When, leaf

Data = dict[str, Any]


def encode_value(value: object) -> object:
    match value:
        case bool() | int() | float() | str() | None:
            return value
        case Decimal():
            return {"decimal": str(value)}
        case tuple():
            return {"tuple": [encode_value(v) for v in value]}
        case frozenset():
            return {"set": sorted((encode_value(v) for v in value), key=repr)}
    raise TypeError(f"cannot encode rule value {value!r}")


def decode_value(value: object) -> object:
    if isinstance(value, Mapping):
        if "decimal" in value:
            return Decimal(str(value["decimal"]))
        if "tuple" in value:
            return tuple(decode_value(v) for v in value["tuple"])
        if "set" in value:
            return frozenset(decode_value(v) for v in value["set"])
        raise ValueError(f"unknown rule value {dict(value)!r}")
    if isinstance(value, list):
        return tuple(decode_value(v) for v in value)
    return value


def rule_to_data(rule: Rule) -> Data:
    match rule:
        case Leaf(rule_id, fact, op, value, description):
            return {
                "leaf": {
                    "id": rule_id,
                    "fact": fact,
                    "op": op.value,
                    "value": encode_value(value),
                    "description": description,
                }
            }
        case AllOf(rules):
            return {"all_of": [rule_to_data(r) for r in rules]}
        case AnyOf(rules):
            return {"any_of": [rule_to_data(r) for r in rules]}
        case Not(inner, rule_id, description):
            return {"not": {"rule": rule_to_data(inner), "id": rule_id, "description": description}}
        case When(condition, then):
            return {"when": {"condition": rule_to_data(condition), "then": rule_to_data(then)}}


def rule_from_data(data: Mapping[str, Any]) -> Rule:
    if len(data) != 1:
        raise ValueError("a rule has exactly one of leaf, all_of, any_of, not, when")
    [(kind, body)] = data.items()
    if kind == "leaf":
        return leaf(
            body["id"],
            body["fact"],
            Operator(body["op"]),
            decode_value(body.get("value")),
            description=body["description"],
        )
    if kind in ("all_of", "any_of"):
        children = tuple(rule_from_data(r) for r in body)
        if not children:
            raise ValueError(f"{kind} needs at least one rule")
        return AllOf(children) if kind == "all_of" else AnyOf(children)
    if kind == "not":
        return Not(rule_from_data(body["rule"]), body["id"], body["description"])
    if kind == "when":
        return When(rule_from_data(body["condition"]), rule_from_data(body["then"]))
    raise ValueError(f"unknown rule kind {kind!r}")


def _source(data: Mapping[str, Any]) -> Source:
    return Source(data["url"], data["title"])


def program_to_data(p: Program) -> Data:
    return {
        "slug": p.slug,
        "country": p.country,
        "name": p.name,
        "category": p.category.value,
        "summary": p.summary,
        "eligibility": rule_to_data(p.eligibility),
        "sources": [{"url": s.url, "title": s.title} for s in p.sources],
        "as_of": p.as_of.isoformat(),
        "status": p.status.value,
        "points_system": p.points_system.value if p.points_system else None,
        "pass_mark": p.pass_mark,
        "latest_cutoff": None
        if p.latest_cutoff is None
        else {
            "score": p.latest_cutoff.score,
            "on": p.latest_cutoff.on.isoformat(),
            "source": {"url": p.latest_cutoff.source.url, "title": p.latest_cutoff.source.title},
            "note": p.latest_cutoff.note,
        },
        "processing": None
        if p.processing is None
        else {
            "min_days": p.processing.min_days,
            "max_days": p.processing.max_days,
            "note": p.processing.note,
        },
        "fees": [
            {"label": f.label, "amount": str(f.amount), "currency": f.currency, "per": f.per.value} for f in p.fees
        ],
        "documents": [
            {
                "key": d.key,
                "title": d.title,
                "description": d.description,
                "who": d.who.value,
                "condition": None if d.condition is None else rule_to_data(d.condition),
            }
            for d in p.documents
        ],
        "steps": [
            {
                "key": s.key,
                "title": s.title,
                "description": s.description,
                "min_days": s.min_days,
                "typical_days": s.typical_days,
                "max_days": s.max_days,
                "depends_on": list(s.depends_on),
            }
            for s in p.steps
        ],
        "verification_note": p.verification_note,
    }


def program_from_data(d: Mapping[str, Any]) -> Program:
    """Rebuild a Program; the model's own checks reject malformed data with ValueError."""
    cutoff = d.get("latest_cutoff")
    processing = d.get("processing")
    return Program(
        slug=d["slug"],
        country=d["country"],
        name=d["name"],
        category=Category(d["category"]),
        summary=d["summary"],
        eligibility=rule_from_data(d["eligibility"]),
        sources=tuple(_source(s) for s in d["sources"]),
        as_of=date.fromisoformat(d["as_of"]),
        status=Status(d.get("status", Status.ACTIVE.value)),
        points_system=PointsSystem(d["points_system"]) if d.get("points_system") else None,
        pass_mark=d.get("pass_mark"),
        latest_cutoff=None
        if not cutoff
        else CutOff(
            cutoff["score"], date.fromisoformat(cutoff["on"]), _source(cutoff["source"]), cutoff.get("note", "")
        ),
        processing=None
        if not processing
        else ProcessingTime(processing["min_days"], processing["max_days"], processing.get("note", "")),
        fees=tuple(Fee(f["label"], Decimal(f["amount"]), f["currency"], FeePer(f["per"])) for f in d.get("fees", [])),
        documents=tuple(
            Document(
                doc["key"],
                doc["title"],
                doc["description"],
                DocumentWho(doc.get("who", "applicant")),
                None if doc.get("condition") is None else rule_from_data(doc["condition"]),
            )
            for doc in d.get("documents", [])
        ),
        steps=tuple(
            ApplicationStep(
                s["key"],
                s["title"],
                s["description"],
                s["min_days"],
                s["typical_days"],
                s["max_days"],
                tuple(s.get("depends_on", ())),
            )
            for s in d.get("steps", [])
        ),
        verification_note=d.get("verification_note"),
    )


def country_to_data(c: Country) -> Data:
    return {"code": c.code, "name": c.name, "currency": c.currency, "region": c.region, "flag": c.flag}


def country_from_data(d: Mapping[str, Any]) -> Country:
    return Country(d["code"], d["name"], d["currency"], d["region"], d["flag"])
