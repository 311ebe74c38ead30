"""Setting up a city from the command line: `allo shop create / catalog / list` (the catalog from a
YAML file) and `allo courier create / list`, with `allo user create` for their logins."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from allo.adapters.catalog_file import load_catalog
from allo.bootstrap import build
from allo.demo import catalog_path
from allo.domain.geo import LatLon
from allo.entrypoints.cli.main import app
from allo.entrypoints.cli.shop import HoursError, parse_hours
from allo.settings import Settings
from tests.support.databases import database_url

runner = CliRunner()
ROCHER = ["Pharmacie du Rocher", "--address", "3 rue Comte Félix Gastaldi, Monaco", "--at", "43.7312,7.4206"]


@pytest.fixture
def where(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> list[str]:
    """The --data-dir and --database-url of a fresh database."""
    return ["--data-dir", str(tmp_path / "data"), "--database-url", database_url(backend, tmp_path, request)]


def _allo(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _shops(where: list[str]):  # type: ignore[no-untyped-def]
    application = build(Settings.from_env(data_dir=Path(where[1]), database_url=where[3]))
    try:
        with application.ctx.uow() as uow:
            return [(m, uow.merchants.get_catalog(m.id)) for m in uow.merchants.list()]
    finally:
        application.close()


def test_a_shop_is_created_with_its_catalog_hours_and_zone(where: list[str]) -> None:
    code, out, err = _allo("shop", "create", *ROCHER, "--catalog", str(catalog_path("pharmacie")),
                           "--hours", "mon-fri=08:30-12:30,14:00-19:30 sat=09:00-12:30", "--radius", "2000",
                           "--timezone", "Europe/Paris", "--prep-minutes", "5", *where)
    assert code == 0, err
    shop_id = out.strip()
    assert f"created shop Pharmacie du Rocher ({shop_id}), 19 items" in err
    [(shop, catalog)] = _shops(where)
    assert shop.id == shop_id and shop.prep_minutes == 5 and shop.pickup == LatLon(43.7312, 7.4206)
    assert shop.opening_hours.timezone == "Europe/Paris"
    assert shop.opening_hours.to_dict()["wed"] == [["08:30", "12:30"], ["14:00", "19:30"]]
    assert shop.opening_hours.to_dict()["sat"] == [["09:00", "12:30"]] and "sun" not in shop.opening_hours.to_dict()
    assert shop.delivery_zone.contains(LatLon(43.7400, 7.4206))  # about 1 km north
    assert not shop.delivery_zone.contains(LatLon(43.7600, 7.4206))  # about 3 km north
    assert catalog.items == load_catalog(catalog_path("pharmacie")).items

    code, out, _ = _allo("shop", "list", *where)
    assert code == 0 and out.splitlines() == [f"{shop_id}\tPharmacie du Rocher\tactive\t19/19 items"]


def test_a_catalog_file_replaces_the_shops_catalog(where: list[str], tmp_path: Path) -> None:
    code, out, err = _allo("shop", "create", *ROCHER, *where)
    assert code == 0, err
    shop_id = out.strip()
    assert [len(c.items) for _, c in _shops(where)] == [0]
    yaml = tmp_path / "rocher.yaml"
    yaml.write_text("merchant: Pharmacie du Rocher\nitems:\n"
                    "  - {sku: DOLI500, name: Doliprane 500 mg, price: 1.90, aliases: [doliprane]}\n"
                    "  - {sku: SPASFON, name: Spasfon, price: 3.80, available: false}\n", encoding="utf-8")
    code, _, err = _allo("shop", "catalog", shop_id, str(yaml), *where)
    assert code == 0 and f"catalog of {shop_id}: 2 items, 1 sold out" in err
    [(_, catalog)] = _shops(where)
    assert [(i.sku, i.price.cents, i.available) for i in catalog.items] == [("DOLI500", 190, True),
                                                                          ("SPASFON", 380, False)]
    assert _allo("shop", "list", *where)[1].endswith("\tactive\t1/2 items\n")


@pytest.mark.parametrize(("args", "words"), [
    (["--hours", "lun-ven=09:00-19:00"], "'lun' is not a day"),
    (["--hours", "mon=9h-12h"], "'9h-12h' is not an interval HH:MM-HH:MM"),
    (["--hours", "mon=25:00-26:00"], "'25:00' is not a clock time HH:MM"),
    (["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (["--catalog", "missing.yaml"], "missing.yaml"),
])
def test_a_shop_that_cannot_be_created_says_why_and_nothing_is_created(where: list[str], args: list[str],
                                                                         words: str) -> None:
    code, _, err = _allo("shop", "create", *ROCHER, *args, *where)
    assert code == 2 and words in " ".join(err.replace("│", " ").split())
    assert not Path(where[1]).exists()  # nothing opened, nothing created


def test_a_catalog_for_no_such_shop_is_refused(where: list[str]) -> None:
    code, _, err = _allo("shop", "catalog", "no-such-shop", str(catalog_path("pizzeria")), *where)
    assert code == 1 and "(merchant_not_found): no merchant no-such-shop" in err


def test_opening_hours_text() -> None:
    assert parse_hours("sat-mon=10:00-14:00") == {d: [["10:00", "14:00"]] for d in ("sat", "sun", "mon")}
    assert parse_hours("mon,wed=9:00-12:00 wed=18:30-01:00") == {
        "mon": [["09:00", "12:00"]], "wed": [["09:00", "12:00"], ["18:30", "01:00"]]}
    for bad in ("", "mon", "mon=", "mon=09:00"):
        with pytest.raises(HoursError):
            parse_hours(bad)


def test_a_courier_is_added_and_given_a_login(where: list[str]) -> None:
    code, out, err = _allo("courier", "create", "Zoé Martin", "--vehicle", "scooter", *where)
    assert code == 0, err
    courier_id = out.strip()
    assert f"created courier Zoé Martin on scooter ({courier_id})" in err
    assert _allo("courier", "list", *where)[1] == f"{courier_id}\tZoé Martin\tscooter\toff_shift\tactive\n"
    login = ["user", "create", "zoe", "--role", "courier", "--courier", courier_id, "--password", "secret123", *where]
    code, _, err = _allo(*login)
    assert code == 0 and "created courier zoe" in err
    code, _, err = _allo(*login)
    assert code == 1 and "(username_taken): username 'zoe' is taken" in err
    code, _, err = _allo("user", "update", "zoe", "--inactive", *where)  # Zoé leaves: her login is locked out
    assert code == 0 and "updated courier zoe: locked out" in err
    assert f"zoe\tcourier\t{courier_id}\tlocked out" in _allo("user", "list", *where)[1]
    code, _, err = _allo("user", "update", "nobody", "--active", *where)
    assert code == 1 and "(user_not_found)" in err
    code, _, err = _allo("courier", "create", "Max", "--vehicle", "jetpack", *where)
    assert code == 2 and "jetpack" in err


def test_a_shop_is_changed_what_is_given_changes_the_rest_stays(where: list[str]) -> None:
    code, out, err = _allo("shop", "create", *ROCHER, "--hours", "mon-fri=09:00-19:00", *where)
    shop_id = out.strip()
    code, _, err = _allo("shop", "update", shop_id, "--hours", "sat=09:00-12:00", "--prep-minutes", "7", *where)
    assert code == 0 and f"updated shop Pharmacie du Rocher ({shop_id})" in err
    code, _, err = _allo("shop", "update", shop_id, "--timezone", "Europe/Paris", "--inactive", *where)
    assert code == 0, err
    [(shop, _)] = _shops(where)
    assert shop.opening_hours.to_dict() == {"sat": [["09:00", "12:00"]]}
    assert shop.opening_hours.timezone == "Europe/Paris"
    assert shop.prep_minutes == 7 and not shop.active and shop.name == "Pharmacie du Rocher"
    code, _, err = _allo("shop", "update", shop_id, "--timezone", "Mars/Olympus", *where)
    assert code == 2 and "unknown time zone 'Mars/Olympus'" in " ".join(err.replace("│", " ").split())
    code, _, err = _allo("shop", "update", "no-such-shop", "--active", *where)
    assert code == 1 and "(merchant_not_found)" in err


def test_without_a_position_the_shop_is_placed_from_its_address_when_found_at_the_door(where: list[str]) -> None:
    code, out, err = _allo("shop", "create", "Pharmacie du Rocher", "--address", "3 rue Comte Félix Gastaldi, Monaco",
                           *where)
    assert code == 0, err
    assert "placed at 3 Rue Comte Félix Gastaldi, 98000 Monaco" in err
    [(shop, _)] = _shops(where)
    assert abs(shop.pickup.lat - 43.7311) < 0.0005 and abs(shop.pickup.lon - 7.4217) < 0.0005
    code, _, err = _allo("shop", "create", "Chez Max", "--address", "Rue Grimaldi, Monaco", *where)  # no number
    assert code == 2 and "give --at LAT,LON" in " ".join(err.replace("│", " ").split())
    assert [s.name for s, _ in _shops(where)] == ["Pharmacie du Rocher"]
