"""What the catalog knows about an immigration program, as immutable values checked on construction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.programs.rules import Rule


class Category(StrEnum):
    POINTS_BASED_SKILLED = "points_based_skilled"
    EMPLOYER_SPONSORED = "employer_sponsored"
    SKILLED_WORK = "skilled_work"
    TALENT = "talent"
    STUDY = "study"
    FAMILY = "family"
    BUSINESS_INVESTOR = "business_investor"
    DIGITAL_NOMAD = "digital_nomad"


class Status(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class PointsSystem(StrEnum):
    """Ids of the points calculators in `domain.points`; a program names the one that scores it."""

    CRS = "crs"
    FSW67 = "fsw67"
    AU_SKILLED_189 = "au_skilled_189"
    AU_SKILLED_190 = "au_skilled_190"
    AU_SKILLED_491 = "au_skilled_491"
    DE_CHANCENKARTE = "de_chancenkarte"
    NZ_SMC = "nz_smc"
    UK_SKILLED_WORKER = "uk_skilled_worker"


class FeePer(StrEnum):
    APPLICANT = "applicant"  # once, for the main applicant
    ADULT = "adult"  # each adult in the application
    CHILD = "child"  # each dependent child
    FAMILY = "family"  # once per application


class DocumentWho(StrEnum):
    APPLICANT = "applicant"
    PARTNER = "partner"
    EACH_COUNTRY_LIVED_IN = "each_country_lived_in"  # one per country, e.g. police certificates
    EMPLOYER = "employer"


_CODE2 = re.compile(r"^[A-Z]{2}$")
_CODE3 = re.compile(r"^[A-Z]{3}$")
_KEY = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str
    currency: str  # ISO 4217
    region: str
    flag: str

    def __post_init__(self) -> None:
        _require(_CODE2.match(self.code) is not None, f"country code {self.code!r} is not alpha-2")
        _require(_CODE3.match(self.currency) is not None, f"currency {self.currency!r} is not ISO 4217")


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    title: str

    def __post_init__(self) -> None:
        _require(self.url.startswith("https://"), f"source {self.url!r} is not https")


@dataclass(frozen=True, slots=True)
class Fee:
    label: str
    amount: Decimal
    currency: str  # ISO 4217
    per: FeePer

    def __post_init__(self) -> None:
        _require(_CODE3.match(self.currency) is not None, f"fee currency {self.currency!r} is not ISO 4217")
        _require(self.amount >= 0, f"fee {self.label!r} is negative")


@dataclass(frozen=True, slots=True)
class CutOff:
    """The lowest score invited in the latest draw we know of; a snapshot, not a pass mark."""

    score: int
    on: date
    source: Source
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProcessingTime:
    min_days: int
    max_days: int
    note: str

    def __post_init__(self) -> None:
        _require(0 <= self.min_days <= self.max_days, f"processing {self.min_days}–{self.max_days} days")


@dataclass(frozen=True, slots=True)
class Document:
    """`condition` (over the facts vocabulary) says when it is needed; None means always."""

    key: str
    title: str
    description: str
    who: DocumentWho = DocumentWho.APPLICANT
    condition: Rule | None = None

    def __post_init__(self) -> None:
        _require(_KEY.match(self.key) is not None, f"document key {self.key!r}")


@dataclass(frozen=True, slots=True)
class ApplicationStep:
    """One roadmap step; durations are planning figures in calendar days."""

    key: str
    title: str
    description: str
    min_days: int
    typical_days: int
    max_days: int
    depends_on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _require(_KEY.match(self.key) is not None, f"step key {self.key!r}")
        _require(
            0 <= self.min_days <= self.typical_days <= self.max_days,
            f"step {self.key!r}: {self.min_days}/{self.typical_days}/{self.max_days} days",
        )


@dataclass(frozen=True, slots=True)
class Program:
    slug: str
    country: str  # ISO 3166-1 alpha-2
    name: str
    category: Category
    summary: str
    eligibility: Rule
    sources: tuple[Source, ...]
    as_of: date
    status: Status = Status.ACTIVE
    points_system: PointsSystem | None = None
    pass_mark: int | None = None
    latest_cutoff: CutOff | None = None
    processing: ProcessingTime | None = None
    fees: tuple[Fee, ...] = ()
    documents: tuple[Document, ...] = ()
    steps: tuple[ApplicationStep, ...] = ()
    verification_note: str | None = None  # set when values did not come from the reference

    def __post_init__(self) -> None:
        _require(_KEY.match(self.slug) is not None, f"slug {self.slug!r}")
        _require(_CODE2.match(self.country) is not None, f"{self.slug}: country {self.country!r}")
        _require(bool(self.sources), f"{self.slug}: needs at least one source")
        _require(
            self.pass_mark is None or self.points_system is not None or self.verification_note is not None,
            f"{self.slug}: a pass mark without a points system must say how it is assessed",
        )
        keys = [step.key for step in self.steps]
        _require(len(keys) == len(set(keys)), f"{self.slug}: duplicate step keys")
        doc_keys = [doc.key for doc in self.documents]
        _require(len(doc_keys) == len(set(doc_keys)), f"{self.slug}: duplicate document keys")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)
