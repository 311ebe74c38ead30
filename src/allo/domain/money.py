"""Money as integer minor units (cents) with a currency code."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from allo.domain.errors import ValidationFailed


@dataclass(frozen=True, slots=True, order=True)
class Money:
    cents: int
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if not isinstance(self.cents, int):
            raise ValidationFailed(f"money must be integer cents, got {self.cents!r}")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValidationFailed(f"currency must be an ISO 4217 code, got {self.currency!r}")

    @classmethod
    def from_decimal(cls, amount: str | float | int | Decimal, currency: str = "EUR") -> "Money":
        """Read a price written in currency units ("2.18" → 218 cents)."""
        cents = (Decimal(str(amount)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        return cls(int(cents), currency)

    @classmethod
    def zero(cls, currency: str = "EUR") -> "Money":
        return cls(0, currency)

    def _same(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValidationFailed(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.cents + other.cents, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.cents - other.cents, self.currency)

    def __mul__(self, factor: int) -> "Money":
        return Money(self.cents * int(factor), self.currency)

    __rmul__ = __mul__

    def as_decimal(self) -> Decimal:
        return Decimal(self.cents) / 100

    def __str__(self) -> str:
        return f"{self.as_decimal():.2f} {self.currency}"
