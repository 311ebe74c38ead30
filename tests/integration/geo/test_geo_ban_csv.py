"""The gazetteer on real BAN rows from ../shared (skipped when absent)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from allo.adapters.geo.gazetteer import AddressRow, Gazetteer
from allo.adapters.geo.loaders import gazetteer_from_ban_csv, read_ban_csv
from allo.domain.geo import LatLon, haversine_m
from allo.services.ports.geocoder import GeocodeQuery


@pytest.fixture(scope="module")
def ban_rows(shared_dir: Path) -> list[AddressRow]:
    path = shared_dir / "data" / "ban" / "adresses-54084.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    return list(read_ban_csv(path))


def _typo(text: str, rng: random.Random) -> str:
    chars = list(text)
    i = rng.randrange(len(chars))
    op = rng.choice("dsi")
    if op == "d":
        del chars[i]
    elif op == "s":
        chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
    else:
        chars.insert(i, rng.choice("abcdefghijklmnopqrstuvwxyz"))
    return "".join(chars)


def test_reads_the_ban_layout(ban_rows: list[AddressRow]) -> None:
    assert len(ban_rows) == 501
    first = ban_rows[0]
    assert first.street == "allée des acacias" and first.housenumber == "18"
    assert first.postcode == "54111" and first.city == "Mont-Bonvillers"
    assert any(r.housenumber == "3B" for r in ban_rows)


def test_rejects_other_csv(tmp_path: Path) -> None:
    bad = tmp_path / "x.csv"
    bad.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a BAN CSV"):
        gazetteer_from_ban_csv(bad)


def test_hit_rate_with_typos(ban_rows: list[AddressRow]) -> None:
    g = Gazetteer(ban_rows)
    rng = random.Random(11)
    sample = rng.sample(ban_rows, 120)
    exact = sum(_hit(g, f"{r.housenumber} {r.street}, {r.postcode} {r.city}", r) for r in sample)
    typo = sum(_hit(g, f"{r.housenumber} {_typo(r.street, rng)}", r) for r in sample)
    assert exact >= 0.97 * len(sample)
    assert typo >= 0.9 * len(sample)


def _hit(g: Gazetteer, text: str, row: AddressRow) -> bool:
    res = g.geocode(GeocodeQuery(text))
    return bool(res) and haversine_m(res[0].position, LatLon(row.lat, row.lon)) < 5.0


def test_missing_number_is_interpolated_near_its_neighbours(ban_rows: list[AddressRow]) -> None:
    target = next(r for r in ban_rows if r.street == "allée des acacias" and r.housenumber == "10")
    g = Gazetteer([r for r in ban_rows if (r.street, r.housenumber) != (target.street, "10")])
    best = g.geocode(GeocodeQuery(f"10 allee des acacias, {target.postcode}"))[0]
    assert best.precision == "interpolated"
    assert haversine_m(best.position, LatLon(target.lat, target.lon)) < 40


def test_unknown_street_in_the_commune(ban_rows: list[AddressRow]) -> None:
    g = Gazetteer(ban_rows)
    for text in ["3 avenue Victor Hugo", "8 impasse des Lilas", "12 rue de la Gare"]:
        assert all(r.score < 0.6 for r in g.geocode(GeocodeQuery(text))), text
