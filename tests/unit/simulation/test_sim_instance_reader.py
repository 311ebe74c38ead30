"""The instance reader: a malformed folder is refused with its file and line, never read half right."""

from __future__ import annotations

from pathlib import Path

import pytest

from allo.simulation.instance import read_instance, write_instance
from allo.simulation.text_tables import FileFormatError
from tests.unit.simulation.sim_builders import tiny_instance


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_instance(tiny_instance(), tmp_path / "tiny")
    return tmp_path / "tiny"


def _edit(path: Path, line: int, new: str | None) -> None:
    """Replace (or with None, drop) one line of a file, 1-based."""
    lines = path.read_text().splitlines()
    if new is None:
        del lines[line - 1]
    else:
        lines[line - 1] = new
    path.write_text("\n".join(lines) + "\n")


def _refused(folder: Path) -> str:
    with pytest.raises(FileFormatError) as err:
        read_instance(folder)
    return str(err.value)


def test_a_well_formed_folder_reads_whole(folder: Path) -> None:
    inst = read_instance(folder)
    assert len(inst.orders) == 8 and len(inst.couriers) == 3 and len(inst.restaurants) == 2
    assert inst.orders["o3"].restaurant_id == "r2" and inst.orders["o3"].ready_at == 20


def test_windows_line_endings_a_byte_order_mark_and_blank_lines_are_read_the_same(folder: Path) -> None:
    before = read_instance(folder)
    for name in ("orders.txt", "couriers.txt", "restaurants.txt", "instance_parameters.txt"):
        text = (folder / name).read_text()
        (folder / name).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n\r\n").encode())
    after = read_instance(folder)
    assert (after.orders, after.couriers, after.restaurants, after.params) == (
        before.orders, before.couriers, before.restaurants, before.params)


def test_an_order_listed_twice_is_refused_not_merged(folder: Path) -> None:
    orders = folder / "orders.txt"
    second = orders.read_text().splitlines()[1]
    orders.write_text(orders.read_text() + second.replace("\t1600\t", "\t1700\t", 1) + "\n")
    assert _refused(folder) == "orders.txt line 10: order id 'o1' already given on line 2"


def test_a_line_with_a_missing_field_names_the_file_the_line_and_the_columns(folder: Path) -> None:
    _edit(folder / "orders.txt", 4, "o3\t3200\t1600\t5\tr2")
    assert _refused(folder) == ("orders.txt line 4: expected 6 fields "
                                "(order x y placement_time restaurant ready_time), got 5")


def test_a_value_that_is_not_a_number_is_named(folder: Path) -> None:
    _edit(folder / "couriers.txt", 3, "c2\t3200\t320\tnoon\t120")
    assert _refused(folder) == "couriers.txt line 3: on_time 'noon' is not a number"
    _edit(folder / "couriers.txt", 3, "c2\t3200\tnan\t0\t120")
    assert _refused(folder) == "couriers.txt line 3: y 'nan' is not a finite number"


def test_an_order_of_an_unknown_restaurant_is_refused(folder: Path) -> None:
    _edit(folder / "orders.txt", 2, "o1\t1600\t0\t0\tr9\t10")
    assert _refused(folder) == "orders.txt line 2: order 'o1' names restaurant 'r9', which restaurants.txt does not list"


def test_a_shift_that_ends_before_it_starts_is_refused(folder: Path) -> None:
    _edit(folder / "couriers.txt", 4, "c3\t1600\t1600\t90\t30")
    assert _refused(folder) == "couriers.txt line 4: courier 'c3' goes off (30) before it comes on (90)"


def test_a_file_without_its_header_is_refused_rather_than_losing_its_first_line(folder: Path) -> None:
    _edit(folder / "restaurants.txt", 1, None)
    assert _refused(folder).startswith("restaurants.txt line 1: looks like data; the first line must be the header")


def test_a_missing_or_empty_file_is_named(folder: Path) -> None:
    (folder / "couriers.txt").write_text("")
    assert _refused(folder) == "couriers.txt: empty (expected a header line: courier x y on_time off_time)"
    (folder / "couriers.txt").unlink()
    assert _refused(folder).startswith("couriers.txt: missing")


@pytest.mark.parametrize(("values", "message"), [
    ("320\t4\t4\t40\t90\t10", "expected 7 values"),
    ("0\t4\t4\t40\t90\t10\t15", "meters_per_minute must be positive, got 0"),
    ("320\t4.5\t4\t40\t90\t10\t15", "pickup service minutes must be a whole number of minutes >= 0, got 4.5"),
    ("320\t4\t4\t90\t40\t10\t15", "expected 0 < target click-to-door <= maximum click-to-door, got 90 and 40"),
])
def test_bad_parameters_are_refused_with_the_value_at_fault(folder: Path, values: str, message: str) -> None:
    _edit(folder / "instance_parameters.txt", 2, values)
    assert message in _refused(folder)
