"""The curated program catalog: one module per country, each exporting COUNTRY and PROGRAMS."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from domain.programs.catalog import (
    australia,
    canada,
    estonia,
    france,
    germany,
    ireland,
    italy,
    japan,
    netherlands,
    new_zealand,
    portugal,
    singapore,
    spain,
    uae,
    united_kingdom,
    united_states,
)
from domain.programs.model import Country, Program

_MODULES = (
    canada,
    australia,
    germany,
    united_kingdom,
    new_zealand,
    united_states,
    netherlands,
    ireland,
    portugal,
    spain,
    france,
    japan,
    singapore,
    uae,
    estonia,
    italy,
)

COUNTRIES: tuple[Country, ...] = tuple(module.COUNTRY for module in _MODULES)
CATALOG: tuple[Program, ...] = tuple(program for module in _MODULES for program in module.PROGRAMS)

COUNTRY_BY_CODE: Mapping[str, Country] = MappingProxyType({country.code: country for country in COUNTRIES})
PROGRAM_BY_SLUG: Mapping[str, Program] = MappingProxyType({program.slug: program for program in CATALOG})


def programs_in(country_code: str) -> tuple[Program, ...]:
    return tuple(program for program in CATALOG if program.country == country_code)
