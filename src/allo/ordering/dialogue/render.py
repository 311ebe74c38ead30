"""Turning state into reply text: templates per language, money, order lines, menus, summaries."""

from __future__ import annotations

from types import ModuleType

from allo.domain.catalog import Catalog, CatalogItem
from allo.domain.errors import DomainError
from allo.domain.money import Money
from allo.ordering.dialogue import texts_en, texts_fr
from allo.ordering.dialogue.ports import ShopOpening, SoonestArrival
from allo.ordering.dialogue.state import DraftState, LineState

_MODULES: dict[str, ModuleType] = {"fr": texts_fr, "en": texts_en}
_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}
MENU_SIZE = 4  # items shown in the welcome (MENU shows more)


def format_money(amount: Money, lang: str) -> str:
    """12,50 € in French, €12.50 in English (other currencies by their code)."""
    mod = _MODULES.get(lang, texts_fr)
    sign = "-" if amount.cents < 0 else ""
    units, cents = divmod(abs(amount.cents), 100)
    number = f"{units:,}".replace(",", " " if mod.DECIMAL == "," else ",") + f"{mod.DECIMAL}{cents:02d}"
    symbol = _SYMBOLS.get(amount.currency, amount.currency)
    if symbol == amount.currency and lang == "en":
        return f"{sign}{symbol} {number}"
    return sign + mod.MONEY.format(amount=number, symbol=symbol)


def line_price(item: CatalogItem, line: LineState) -> Money:
    """Price of a line; options the catalog does not know add nothing (they are asked about first)."""
    try:
        return item.unit_price(line.options) * line.qty
    except DomainError:
        unit = item.price
        for group in item.options:
            for name in line.options.get(group.group, []):
                for choice in group.choices:
                    if choice.name == name:
                        unit = unit + choice.price_delta
        return unit * line.qty


#: Past this many minutes an arrival is said as a clock time ("vers 20:00"), not "dans 420 min".
CLOCK_AFTER_MINUTES = 60


class Renderer:
    """Reply texts for one language and one shop."""

    def __init__(self, catalog: Catalog, shop_name: str, currency: str, lang: str) -> None:
        self.catalog = catalog
        self.shop = shop_name
        self.currency = currency
        self.lang = lang if lang in _MODULES else "fr"
        self.mod = _MODULES[self.lang]

    def t(self, key: str, **values: object) -> str:
        """The template `key` in this language, filled with `values`."""
        return self.mod.TEXTS[key].format(**values)

    def closed(self, opening: ShopOpening, *, asked_for_a_time: bool) -> str:
        """The shop cannot take the order now (or at the time asked for): when it opens, and how to
        order for later ("pour 12h")."""
        if opening.clock is None:
            return self.t("shop_not_taking", shop=self.shop)
        if opening.resumes and opening.days_ahead == 0:
            opens = self.t("resumes_today", clock=opening.clock)
        elif opening.days_ahead == 0:
            opens = self.t("opens_today", clock=opening.clock)
        elif opening.days_ahead == 1:
            opens = self.t("opens_tomorrow", clock=opening.clock)
        else:
            opens = self.t("opens_on", day=self.mod.WEEKDAYS[opening.weekday], clock=opening.clock)
        hour = (int(opening.clock[:2]) + 1) % 24 if opening.clock else 12
        key = "shop_closed_then" if asked_for_a_time else "shop_closed"
        return self.t(key, shop=self.shop, opens=opens, example=self.mod.HOUR.format(hour=hour))

    def money(self, amount: Money) -> str:
        return format_money(Money(amount.cents, self.currency), self.lang)

    def status_words(self, status: str) -> str:
        return self.mod.STATUS.get(status, status)

    def example(self) -> str:
        """An example order built from the catalog ("2 margherita, 14 bd des Moulins")."""
        items = [i for i in self.catalog.items if i.available]
        first = items[0].aliases[0] if items and items[0].aliases else (items[0].name if items else "")
        return f"2 {first}, 14 bd des Moulins"

    def menu_lines(self, skus: list[str] | None = None, limit: int = MENU_SIZE) -> str:
        """A few items with their prices, one per line."""
        items = [self.catalog.item(s) for s in skus] if skus else [i for i in self.catalog.items if i.available]
        out = [self.t("menu_item", name=i.name, price=self.money(i.price)) for i in items[:limit]]
        if not skus and len(items) > limit:
            out.append(self.t("menu_more", count=len(items) - limit))
        return "\n".join(out)

    def welcome(self) -> str:
        return self.t("welcome", shop=self.shop, example=self.example(), items=self.menu_lines())

    def menu(self) -> str:
        return self.t("menu", shop=self.shop, items=self.menu_lines(limit=12))

    def fallback(self) -> str:
        return self.t("fallback", example=self.example())

    def details(self, line: LineState) -> str:
        """" (grande, sans oignons)" or ""."""
        parts = [c for choices in line.options.values() for c in choices]
        parts += [self.t("without", what=w) for w in line.without]
        return f" ({', '.join(parts)})" if parts else ""

    def noted(self, draft: DraftState) -> str:
        """"C'est noté : 2 x Baguette, 1 x Lait 1 L." (no prices: they come with the summary)."""
        items = ", ".join(f"{ln.qty} x {self.catalog.item(ln.sku).name}{self.details(ln)}" for ln in draft.lines)
        return self.t("noted", items=items)

    def line(self, line: LineState) -> str:
        item = self.catalog.item(line.sku)
        price = self.money(line_price(item, line))
        return self.t("summary_line", qty=line.qty, name=item.name, details=self.details(line), price=price)

    def choices(self, labels: list[str]) -> str:
        return "\n".join(self.t("choice", n=n, label=label) for n, label in enumerate(labels, start=1))

    def item_choices(self, skus: list[str]) -> str:
        labels = []
        for sku in skus:
            item = self.catalog.item(sku)
            labels.append(f"{item.name} {self.money(item.price)}")
        return self.choices(labels)

    def total(self, draft: DraftState) -> Money:
        total = Money.zero(self.currency)
        for ln in draft.lines:
            total = total + Money(line_price(self.catalog.item(ln.sku), ln).cents, self.currency)
        return total

    def summary(self, draft: DraftState, eta_minutes: int | None, *, no_courier: bool = False,
                earliest: SoonestArrival | None = None, eta_clock: str | None = None) -> str:
        """The order summary asking for confirmation (`no_courier`: nobody on duty can take it now;
        `earliest`: the time asked for cannot be kept, and why; `eta_clock`: the arrival on the shop's
        clock, said instead of the minutes)."""
        lines = "\n".join(self.line(ln) for ln in draft.lines)
        address = draft.address_label or draft.address_text or ""
        extras = [self.t("door_code", code=draft.door_code)] if draft.door_code else []
        extras += draft.instructions
        if draft.floor and not draft.instructions:
            extras.append(self.t("floor", floor=draft.floor))
        if extras:
            address = f"{address} ({', '.join(extras)})"
        if draft.requested_for_text:
            when = self.t("requested", when=draft.requested_for_text)
            if earliest is not None and earliest.clock is not None:
                when += " " + self.t("requested_too_soon", clock=earliest.clock)
            elif earliest is not None:
                when += " " + self.t("eta_no_courier")
        elif eta_minutes is not None and eta_clock is not None:
            when = self.t("eta_at", clock=eta_clock)
        elif eta_minutes is not None:
            when = self.t("eta", minutes=eta_minutes)
        elif no_courier:
            when = self.t("eta_no_courier")
        else:
            when = ""
        text = self.t("summary", lines=lines, total=self.money(self.total(draft)), address=address, when=when)
        return text.replace("\n\n", "\n")
