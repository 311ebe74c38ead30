"""Read a merchant catalog from a YAML file (format: docs/catalog-format.md)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from allo.domain.catalog import Catalog, CatalogItem, OptionChoice, OptionGroup
from allo.domain.errors import DomainError, ValidationFailed
from allo.domain.money import Money


class CatalogFileError(ValidationFailed):
    """The catalog file cannot be read; the message names the file and the faulty entry."""

    code = "invalid_catalog"


def _fail(where: str, why: str) -> CatalogFileError:
    return CatalogFileError(f"{where}: {why}")


def _str(value: Any, where: str, field: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"`{field}` must be a non-empty string")
    return value.strip()


def _aliases(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(where, "`aliases` must be a list of strings")
    return tuple(_str(a, where, "aliases[]") for a in value)


def _money(value: Any, currency: str, where: str, field: str) -> Money:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _fail(where, f"`{field}` must be a decimal number such as 2.18")
    try:
        if not Decimal(str(value)).is_finite():
            raise InvalidOperation
        return Money.from_decimal(str(value), currency)
    except InvalidOperation:
        raise _fail(where, f"`{field}` must be a decimal number such as 2.18, got {value!r}") from None


def _int(value: Any, where: str, field: str, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, f"`{field}` must be an integer")
    return value


def _group(raw: Any, currency: str, where: str) -> OptionGroup:
    if not isinstance(raw, dict):
        raise _fail(where, "an option group must be a mapping with `group` and `choices`")
    name = _str(raw.get("group"), where, "group")
    where = f"{where} group {name!r}"
    choices_raw = raw.get("choices")
    if not isinstance(choices_raw, list) or not choices_raw:
        raise _fail(where, "`choices` must be a non-empty list")
    choices = []
    for c in choices_raw:
        if isinstance(c, str):
            c = {"name": c}
        if not isinstance(c, dict):
            raise _fail(where, "each choice must be a mapping with `name`")
        cname = _str(c.get("name"), where, "name")
        delta = _money(c.get("price_delta", 0), currency, f"{where} choice {cname!r}", "price_delta")
        choices.append(OptionChoice(name=cname, aliases=_aliases(c.get("aliases"), where), price_delta=delta))
    names = [c.name for c in choices]
    if len(set(names)) != len(names):
        raise _fail(where, "duplicate choice name")
    return OptionGroup(
        group=name,
        choices=tuple(choices),
        min=_int(raw.get("min"), where, "min", 0),
        max=_int(raw.get("max"), where, "max", 1),
    )


def catalog_from_dict(data: Any, where: str = "catalog") -> Catalog:
    """Build a Catalog from parsed YAML data; raises CatalogFileError with a precise message."""
    if not isinstance(data, dict):
        raise _fail(where, "the file must hold a mapping with `merchant`, `currency` and `items`")
    merchant = _str(data.get("merchant"), where, "merchant")
    currency = _str(data.get("currency", "EUR"), where, "currency")
    if len(currency) != 3 or not currency.isupper():
        raise _fail(where, f"`currency` must be an ISO 4217 code such as EUR, got {currency!r}")
    items_raw = data.get("items")
    if not isinstance(items_raw, list) or not items_raw:
        raise _fail(where, "`items` must be a non-empty list")
    items = []
    for n, raw in enumerate(items_raw, start=1):
        iw = f"{where} item #{n}"
        if not isinstance(raw, dict):
            raise _fail(iw, "an item must be a mapping")
        sku = _str(raw.get("sku"), iw, "sku")
        iw = f"{where} item {sku!r}"
        groups_raw = raw.get("options") or []
        if not isinstance(groups_raw, list):
            raise _fail(iw, "`options` must be a list of option groups")
        if "price" not in raw:
            raise _fail(iw, "`price` is missing")
        try:
            items.append(
                CatalogItem(
                    sku=sku,
                    name=_str(raw.get("name"), iw, "name"),
                    price=_money(raw.get("price"), currency, iw, "price"),
                    aliases=_aliases(raw.get("aliases"), iw),
                    options=tuple(_group(g, currency, iw) for g in groups_raw),
                    available=bool(raw.get("available", True)),
                )
            )
        except CatalogFileError:
            raise
        except DomainError as exc:
            raise _fail(iw, exc.message) from None
    try:
        return Catalog(merchant=merchant, currency=currency, items=tuple(items))
    except DomainError as exc:
        raise _fail(where, exc.message) from None


def load_catalog(path: str | Path) -> Catalog:
    """Read and check a catalog YAML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogFileError(f"{p}: cannot read the file ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogFileError(f"{p}: not valid YAML ({exc})") from None
    return catalog_from_dict(data, str(p))
