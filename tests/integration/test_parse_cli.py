"""`allo parse` end to end, and the catalog file loader's errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allo.adapters.catalog_file import CatalogFileError, load_catalog
from allo.demo import catalog_path, demo_catalogs
from allo.entrypoints.cli.main import app

runner = CliRunner()


def _parse(catalog: Path, messages: list[str], *extra: str) -> list[dict]:
    result = runner.invoke(app, ["parse", "--catalog", str(catalog), *extra], input="".join(m + "\n" for m in messages))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_json_object_per_input_line_with_the_agreed_keys() -> None:
    out = _parse(
        catalog_path("pharmacie"),
        ["2 doliprane 1000 stp + sirop toux, 14 bd des moulins code 4521B 3e etage", "", "un spasfon"],
    )
    assert len(out) == 3
    for obj in out:
        assert set(obj) == {"lines", "address", "door_code", "instructions", "language", "unknown"}
    first = out[0]
    assert first["lines"] == [
        {"sku": "DOLI1000", "qty": 2, "options": {}, "without": []},
        {"sku": "SIROP_TOUX", "qty": 1, "options": {}, "without": []},
    ]
    assert first["address"] == "14 bd des moulins"
    assert first["door_code"] == "4521B"
    assert first["instructions"] == "3e etage"
    assert first["language"] == "fr"
    assert out[1]["lines"] == [] and out[2]["lines"][0]["sku"] == "SPASFON"


def test_options_without_and_english() -> None:
    (obj,) = _parse(catalog_path("pizzeria"), ["hi can i get two large reines with no olives and a coke please"])
    assert obj["language"] == "en"
    assert obj["lines"] == [
        {"sku": "REINE", "qty": 2, "options": {"taille": ["grande"]}, "without": ["olives"]},
        {"sku": "COCA", "qty": 1, "options": {}, "without": []},
    ]


def test_lang_option_forces_the_language() -> None:
    (obj,) = _parse(catalog_path("epicerie"), ["2 baguettes"], "--lang", "en")
    assert obj["language"] == "en"


def test_doubt_goes_to_unknown() -> None:
    (obj,) = _parse(catalog_path("pharmacie"), ["2 doliprane et du caviar"])
    assert obj["lines"] == []
    assert obj["unknown"]


def test_all_demo_catalogs_load() -> None:
    assert demo_catalogs() == ["epicerie", "pharmacie", "pizzeria"]
    for name in demo_catalogs():
        catalog = load_catalog(catalog_path(name))
        assert len(catalog.items) >= 10
        assert all(i.price.cents > 0 for i in catalog.items)


def test_installed_command_reads_stdin(tmp_path: Path) -> None:
    allo = Path(sys.executable).with_name("allo")
    if not allo.exists():
        pytest.skip("the allo script is not installed next to this Python")
    proc = subprocess.run(
        [str(allo), "parse", "--catalog", str(catalog_path("pizzeria"))],
        input="une reine sans oignons\n", capture_output=True, text=True, check=True,
    )
    assert json.loads(proc.stdout)["lines"][0]["without"] == ["oignons"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("merchant: x\nitems: [", "not valid YAML"),
        ("- a\n- b\n", "mapping"),
        ("merchant: x\ncurrency: EUR\nitems: []\n", "`items` must be a non-empty list"),
        ("merchant: x\ncurrency: euro\nitems: [{sku: A, name: a, price: 1}]\n", "ISO 4217"),
        ("merchant: x\nitems: [{sku: A, name: a}]\n", "`price` is missing"),
        ("merchant: x\nitems: [{sku: A, name: a, price: abc}]\n", "decimal number"),
        ("merchant: x\nitems: [{sku: A, name: a, price: 1}, {sku: A, name: b, price: 2}]\n", "duplicate sku"),
        ("merchant: x\nitems: [{sku: A, name: a, price: 1, options: [{group: g, choices: []}]}]\n", "choices"),
        ("merchant: x\nitems: [{sku: A, name: a, price: 1, options: [{group: g, min: 2, max: 1, choices: [c]}]}]\n", "min"),
    ],
)
def test_malformed_catalogs_give_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogFileError) as err:
        load_catalog(path)
    assert message in err.value.message
    assert str(path) in err.value.message


def test_prices_are_read_as_decimals(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "merchant: M\ncurrency: EUR\nitems:\n  - sku: A\n    name: a\n    price: 2.18\n"
        "    options:\n      - group: size\n        choices:\n          - {name: big, price_delta: 0.5}\n",
        encoding="utf-8",
    )
    item = load_catalog(path).item("A")
    assert item.price.cents == 218
    assert item.unit_price({"size": ["big"]}).cents == 268


def test_cli_reports_a_bad_catalog(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("merchant: x\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", "--catalog", str(path)], input="un coca\n")
    assert result.exit_code == 2
    assert "items" in result.output
