"""Items, options, negation and quantities against the catalog."""

from __future__ import annotations

from .conftest import lines


def test_options_before_and_after_the_item(pizzeria) -> None:
    (line,) = pizzeria.parse("une grande reine avec olives").lines
    assert line.sku == "REINE"
    assert line.options == {"size": ["large"], "extras": ["olives"]}


def test_sans_removes_an_ingredient_the_catalog_knows(pizzeria) -> None:
    (line,) = pizzeria.parse("une margherita sans oignons").lines
    assert line.without == ["onions"]
    assert line.options == {}


def test_unknown_ingredient_is_removed_by_its_words(pizzeria) -> None:
    (line,) = pizzeria.parse("une reine sans basilic").lines
    assert line.without == ["basilic"]


def test_negation_covers_ni(pizzeria) -> None:
    (line,) = pizzeria.parse("une reine sans olives ni oignons").lines
    assert sorted(line.without) == ["olives", "onions"]


def test_negation_covers_or(pizzeria) -> None:
    (line,) = pizzeria.parse("a large margherita with no peppers or onions").lines
    assert sorted(line.without) == ["onions", "peppers"]
    assert line.options == {"size": ["large"]}


def test_negation_stops_at_with(pizzeria) -> None:
    (line,) = pizzeria.parse("a margherita without onions and with olives").lines
    assert line.without == ["onions"]
    assert line.options == {"extras": ["olives"]}


def test_negation_stops_at_a_new_item(pizzeria) -> None:
    draft = pizzeria.parse("une reine sans olives et un coca")
    assert lines(draft) == [("REINE", 1), ("COCA", 1)]
    assert draft.lines[1].without == []


def test_extra_cheese(pizzeria) -> None:
    (line,) = pizzeria.parse("one margherita with extra cheese but no olives").lines
    assert line.options == {"extras": ["cheese"]}
    assert line.without == ["olives"]


def test_two_lines_of_the_same_item_with_different_sizes(pizzeria) -> None:
    draft = pizzeria.parse("une grande margherita et une petite margherita")
    assert [(ln.sku, ln.options["size"]) for ln in draft.lines] == [("MARG", ["large"]), ("MARG", ["small"])]


def test_shares_of_a_line(pizzeria) -> None:
    draft = pizzeria.parse("trois margherita dont une grande")
    assert sorted((ln.qty, tuple(ln.options.get("size", []))) for ln in draft.lines) == [(1, ("large",)), (2, ())]


def test_change_of_mind_on_quantity(pizzeria) -> None:
    assert lines(pizzeria.parse("2 cocas non plutot 3")) == [("COCA", 3)]
    assert lines(pizzeria.parse("deux reines. non, trois reines")) == [("REINE", 3)]


def test_change_of_mind_on_item(pizzeria) -> None:
    assert lines(pizzeria.parse("une margherita, plutôt une reine")) == [("REINE", 1)]


def test_quantity_after_the_item(pharmacy) -> None:
    assert lines(pharmacy.parse("spasfon 3")) == [("SPASFON", 3)]


def test_zero_quantity_is_not_a_line(pizzeria) -> None:
    assert lines(pizzeria.parse("une reine, 0 oignons")) == [("REINE", 1)]


def test_another_one_of_the_same_item(pizzeria) -> None:
    draft = pizzeria.parse("two margheritas with olives and one with onions")
    assert sorted((ln.qty, tuple(ln.options["extras"])) for ln in draft.lines) == [(1, ("onions",)), (2, ("olives",))]


def test_one_with_shares_out_a_line(pizzeria) -> None:
    draft = pizzeria.parse("i'd like two margheritas, one with olives and one with onions")
    assert sorted((ln.qty, tuple(ln.options["extras"])) for ln in draft.lines) == [(1, ("olives",)), (1, ("onions",))]


def test_removal_of_unknown_words_over_et_and_before_avec(pizzeria) -> None:
    (line,) = pizzeria.parse("une reine sans basilic et origan").lines
    assert line.without == ["basilic", "origan"]
    (line,) = pizzeria.parse("une reine sans basilic et avec olives").lines
    assert (line.without, line.options) == (["basilic"], {"extras": ["olives"]})


def test_a_message_on_several_lines(pizzeria) -> None:
    assert lines(pizzeria.parse("une reine sans olives\nun coca")) == [("REINE", 1), ("COCA", 1)]
    assert pizzeria.parse("une reine sans olives\nun coca").lines[1].without == []
