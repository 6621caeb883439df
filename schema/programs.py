"""Shapes of the program catalog: programs, their rules, steps and documents, countries, connections."""

from collections import OrderedDict
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from domain.programs import model
from domain.programs.codec import rule_to_data
from domain.programs.ports import FacetCount as DomainFacetCount
from domain.programs.ports import ProgramRecord
from domain.programs.rules import AllOf, AnyOf, Leaf, Not, Rule, When
from schema.context import Info
from schema.pagination import PageInfo

# The domain's enums are the GraphQL enums: registering them keeps one list of values.
strawberry.enum(model.Category, name="ProgramCategory")
strawberry.enum(model.Status, name="ProgramStatus")
strawberry.enum(model.PointsSystem, name="PointsSystem")
strawberry.enum(model.FeePer, name="FeePer")
strawberry.enum(model.DocumentWho, name="DocumentWho")


@strawberry.enum
class RuleKind(Enum):
    LEAF = "leaf"
    ALL_OF = "all_of"
    ANY_OF = "any_of"
    NOT = "not"
    WHEN = "when"


@strawberry.type(description="A country with programs in the catalog.")
class Country:
    code: str = strawberry.field(description="ISO 3166-1 alpha-2")
    name: str
    currency: str = strawberry.field(description="ISO 4217")
    region: str
    flag: str

    @classmethod
    def from_domain(cls, c: model.Country) -> "Country":
        return cls(code=c.code, name=c.name, currency=c.currency, region=c.region, flag=c.flag)


@strawberry.type(description="An official page a program's facts come from.")
class Source:
    url: str
    title: str


@strawberry.type(description="A node of a machine-evaluable eligibility rule tree.")
class EligibilityRule:
    kind: RuleKind
    id: str | None = strawberry.field(description="Stable id of a leaf or negation, named when it fails")
    description: str | None
    fact: str | None = strawberry.field(description="The fact a leaf compares (see the facts vocabulary)")
    operator: str | None
    value: JSON | None
    rules: list["EligibilityRule"] = strawberry.field(description="Children of all_of/any_of/not/when")

    @classmethod
    def from_domain(cls, rule: Rule) -> "EligibilityRule":
        match rule:
            case Leaf(rule_id, fact, op, _, description):
                value = rule_to_data(rule)["leaf"]["value"]
                return cls(
                    kind=RuleKind.LEAF,
                    id=rule_id,
                    description=description,
                    fact=fact,
                    operator=op.value,
                    value=value,
                    rules=[],
                )
            case AllOf(rules) | AnyOf(rules):
                kind = RuleKind.ALL_OF if isinstance(rule, AllOf) else RuleKind.ANY_OF
                return cls(
                    kind=kind,
                    id=None,
                    description=None,
                    fact=None,
                    operator=None,
                    value=None,
                    rules=[cls.from_domain(r) for r in rules],
                )
            case Not(inner, rule_id, description):
                return cls(
                    kind=RuleKind.NOT,
                    id=rule_id,
                    description=description,
                    fact=None,
                    operator=None,
                    value=None,
                    rules=[cls.from_domain(inner)],
                )
            case When(condition, then):
                return cls(
                    kind=RuleKind.WHEN,
                    id=None,
                    description="applies when the first rule holds",
                    fact=None,
                    operator=None,
                    value=None,
                    rules=[cls.from_domain(condition), cls.from_domain(then)],
                )


@strawberry.type
class Fee:
    label: str
    amount: Decimal
    currency: str
    per: model.FeePer


@strawberry.type(description="Where a cut-off draw is known: the lowest score invited, and when.")
class CutOff:
    score: int
    on: date
    source: Source
    note: str


@strawberry.type
class ProcessingTime:
    min_days: int
    max_days: int
    note: str


@strawberry.type(description="A document to prepare; `condition` says when it applies (null: always).")
class RequiredDocument:
    key: str
    title: str
    description: str
    who: model.DocumentWho
    condition: EligibilityRule | None


@strawberry.type(description="One application step; roadmaps are planned from these durations.")
class ApplicationStep:
    key: str
    title: str
    description: str
    min_days: int
    typical_days: int
    max_days: int
    depends_on: list[str]


@strawberry.type(description="An immigration program, at its current version.")
class Program:
    slug: str
    name: str
    country_code: str
    category: model.Category
    summary: str
    status: model.Status
    points_system: model.PointsSystem | None
    pass_mark: int | None
    latest_cutoff: CutOff | None
    processing_time: ProcessingTime | None
    fees: list[Fee]
    documents: list[RequiredDocument]
    steps: list[ApplicationStep]
    sources: list[Source]
    as_of: date = strawberry.field(description="When the facts took effect or were last confirmed")
    verification_note: str | None
    eligibility: EligibilityRule
    version: int
    updated_at: datetime

    @strawberry.field(description="The program's country")
    async def country(self, info: Info) -> Country:
        found = await info.context.loaders.country_by_code.load(self.country_code)
        if found is None:  # the catalog refuses programs of unknown countries, so this is data corruption
            raise LookupError(f"country {self.country_code} of {self.slug} is missing")
        return Country.from_domain(found)

    @strawberry.field(description="Every version of this program, newest first")
    async def history(self, info: Info) -> list["ProgramVersion"]:
        records = await info.context.loaders.program_history_by_slug.load(self.slug)
        return [
            ProgramVersion(version=r.version, updated_at=r.updated_at, program=Program.from_record(r)) for r in records
        ]

    @classmethod
    def from_record(cls, record: ProgramRecord) -> "Program":
        """Built once per record object: records come from the decoded catalog cache, the same objects from
        request to request while the catalog is unchanged, and building one (rule trees included) was ~10% of
        a results page's CPU. The shapes are only read, so requests can share them."""
        held = _BUILT.get(id(record))
        if held is not None and held[0] is record:
            _BUILT.move_to_end(id(record))
            return held[1]
        built = cls._build(record)
        _BUILT[id(record)] = (record, built)  # holding the record keeps its id from being reused
        if len(_BUILT) > BUILT_PROGRAMS:
            _BUILT.popitem(last=False)
        return built

    @classmethod
    def _build(cls, record: ProgramRecord) -> "Program":
        p = record.program
        cutoff = p.latest_cutoff
        return cls(
            slug=p.slug,
            name=p.name,
            country_code=p.country,
            category=p.category,
            summary=p.summary,
            status=p.status,
            points_system=p.points_system,
            pass_mark=p.pass_mark,
            latest_cutoff=None
            if cutoff is None
            else CutOff(
                score=cutoff.score,
                on=cutoff.on,
                source=Source(url=cutoff.source.url, title=cutoff.source.title),
                note=cutoff.note,
            ),
            processing_time=None
            if p.processing is None
            else ProcessingTime(min_days=p.processing.min_days, max_days=p.processing.max_days, note=p.processing.note),
            fees=[Fee(label=f.label, amount=f.amount, currency=f.currency, per=f.per) for f in p.fees],
            documents=[
                RequiredDocument(
                    key=d.key,
                    title=d.title,
                    description=d.description,
                    who=d.who,
                    condition=None if d.condition is None else EligibilityRule.from_domain(d.condition),
                )
                for d in p.documents
            ],
            steps=[
                ApplicationStep(
                    key=s.key,
                    title=s.title,
                    description=s.description,
                    min_days=s.min_days,
                    typical_days=s.typical_days,
                    max_days=s.max_days,
                    depends_on=list(s.depends_on),
                )
                for s in p.steps
            ],
            sources=[Source(url=s.url, title=s.title) for s in p.sources],
            as_of=p.as_of,
            verification_note=p.verification_note,
            eligibility=EligibilityRule.from_domain(p.eligibility),
            version=record.version,
            updated_at=record.updated_at,
        )


BUILT_PROGRAMS = 256
_BUILT: OrderedDict[int, tuple[ProgramRecord, Program]] = OrderedDict()


@strawberry.type(description="A past or current version of a program.")
class ProgramVersion:
    version: int
    updated_at: datetime
    program: Program


@strawberry.type
class ProgramEdge:
    cursor: str
    node: Program
    highlights: list[str] = strawberry.field(description="Matching snippets, with <em> around the matched words")


@strawberry.type
class FacetCount:
    value: str
    count: int

    @classmethod
    def from_domain(cls, f: DomainFacetCount) -> "FacetCount":
        return cls(value=f.value, count=f.count)


@strawberry.type(description="How many results fall in one category; `value` is accepted back by `ProgramFilter`.")
class CategoryFacetCount:
    value: model.Category
    count: int

    @classmethod
    def from_domain(cls, f: DomainFacetCount) -> "CategoryFacetCount":
        return cls(value=model.Category(f.value), count=f.count)


@strawberry.type(description="How many results fall in each country and category.")
class ProgramFacets:
    countries: list[FacetCount] = strawberry.field(description="`value` is an ISO 3166-1 alpha-2 code")
    categories: list[CategoryFacetCount]


@strawberry.type
class ProgramConnection:
    edges: list[ProgramEdge]
    page_info: PageInfo
    total_count: int
    facets: ProgramFacets


@strawberry.input
class ProgramFilter:
    countries: list[str] | None = None
    categories: list[model.Category] | None = None
    statuses: list[model.Status] | None = strawberry.field(default=None, description="Default: active only")
