"""A merchant's catalog: items with aliases, prices and option groups."""

from __future__ import annotations

from dataclasses import dataclass, field

from allo.domain.errors import NotFound, ValidationFailed
from allo.domain.money import Money


@dataclass(frozen=True, slots=True)
class OptionChoice:
    name: str
    aliases: tuple[str, ...] = ()
    price_delta: Money = field(default_factory=Money.zero)


@dataclass(frozen=True, slots=True)
class OptionGroup:
    """A group of choices on an item, e.g. size (min 1, max 1) or toppings (min 0, max 10)."""

    group: str
    choices: tuple[OptionChoice, ...]
    min: int = 0
    max: int = 1

    def __post_init__(self) -> None:
        if self.min < 0 or self.max < max(self.min, 1):
            raise ValidationFailed(f"option group {self.group!r}: need 0 <= min <= max and max >= 1")
        names = [c.name for c in self.choices]
        if len(set(names)) < len(names):  # an order's option would not say which one
            twice = sorted({n for n in names if names.count(n) > 1})
            raise ValidationFailed(f"option group {self.group!r}: choice {twice[0]!r} twice")

    def choice(self, name: str) -> OptionChoice:
        for c in self.choices:
            if c.name == name:
                return c
        raise NotFound(f"no choice {name!r} in option group {self.group!r}", code="unknown_option")


@dataclass(frozen=True, slots=True)
class CatalogItem:
    sku: str
    name: str
    price: Money
    aliases: tuple[str, ...] = ()
    options: tuple[OptionGroup, ...] = ()
    available: bool = True

    def __post_init__(self) -> None:
        if not self.sku or not self.name:
            raise ValidationFailed("a catalog item needs a sku and a name")
        if self.price.cents < 0:
            raise ValidationFailed(f"item {self.sku}: negative price")

    def group(self, name: str) -> OptionGroup:
        for g in self.options:
            if g.group == name:
                return g
        raise NotFound(f"item {self.sku} has no option group {name!r}", code="unknown_option")

    def unit_price(self, options: dict[str, list[str]]) -> Money:
        """Price of one unit with the chosen options; checks each group's min and max."""
        total = self.price
        for g in self.options:
            chosen = options.get(g.group, [])
            if len(chosen) < g.min or len(chosen) > g.max:
                raise ValidationFailed(
                    f"{self.name}: choose between {g.min} and {g.max} of {g.group!r}",
                    code="invalid_options",
                )
            for name in chosen:
                total = total + g.choice(name).price_delta
        for name in options:
            self.group(name)  # raises for an unknown group
        return total


@dataclass(frozen=True, slots=True)
class Catalog:
    merchant: str
    currency: str
    items: tuple[CatalogItem, ...]

    def __post_init__(self) -> None:
        skus = [i.sku for i in self.items]
        if len(set(skus)) != len(skus):
            raise ValidationFailed(f"catalog of {self.merchant}: duplicate sku")
        for i in self.items:
            if i.price.currency != self.currency:
                raise ValidationFailed(f"item {i.sku}: currency {i.price.currency} != {self.currency}")

    def item(self, sku: str) -> CatalogItem:
        for i in self.items:
            if i.sku == sku:
                return i
        raise NotFound(f"unknown item {sku!r}", code="unknown_item")
