"""A value per ability (listening, reading, writing, speaking): every conversion works ability by ability."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.language.model import ABILITIES, Ability

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class Abilities(Generic[T]):
    listening: T
    reading: T
    writing: T
    speaking: T

    def __getitem__(self, ability: Ability) -> T:
        return {
            Ability.LISTENING: self.listening,
            Ability.READING: self.reading,
            Ability.WRITING: self.writing,
            Ability.SPEAKING: self.speaking,
        }[ability]

    def values(self) -> tuple[T, T, T, T]:
        return (self.listening, self.reading, self.writing, self.speaking)

    def items(self) -> tuple[tuple[Ability, T], ...]:
        return tuple(zip(ABILITIES, self.values(), strict=True))

    @staticmethod
    def build(convert: Callable[[Ability], U]) -> Abilities[U]:
        return Abilities(
            convert(Ability.LISTENING), convert(Ability.READING), convert(Ability.WRITING), convert(Ability.SPEAKING)
        )
