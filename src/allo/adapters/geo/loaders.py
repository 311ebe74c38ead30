"""Loaders for the gazetteer: a BAN address CSV and the shipped Monaco data (read on call only)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from allo.adapters.geo.gazetteer import AddressRow, Gazetteer, StreetGeometry
from allo.domain.geo import LatLon, Polygon

MONACO_PACKAGE = "allo.demo.monaco"

# BAN exports have used several column names over the years; the first present wins.
_BAN_COLUMNS = {
    "street": ("nom_voie", "nom_afnor"),
    "number": ("numero",),
    "suffix": ("rep", "suffixe"),
    "postcode": ("code_postal", "code_post"),
    "city": ("nom_commune", "libelle_acheminement"),
    "lat": ("lat",),
    "lon": ("lon", "long"),
}


def read_ban_csv(path: str | Path) -> Iterator[AddressRow]:
    """Rows of a BAN export (semicolon separated, with a header); rows without a position are skipped."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        header = reader.fieldnames or []
        cols = {k: next((c for c in names if c in header), None) for k, names in _BAN_COLUMNS.items()}
        missing = [k for k in ("street", "number", "lat", "lon") if cols[k] is None]
        if missing:
            raise ValueError(f"{path}: not a BAN CSV, missing columns for {missing}")
        for rec in reader:
            try:
                lat, lon = float(rec[cols["lat"]]), float(rec[cols["lon"]])  # type: ignore[index]
            except (TypeError, ValueError):
                continue
            suffix = (rec.get(cols["suffix"] or "") or "").strip()
            yield AddressRow(
                street=rec[cols["street"]].strip(),  # type: ignore[index]
                housenumber=f"{rec[cols['number']].strip()}{suffix}",  # type: ignore[index]
                postcode=(rec.get(cols["postcode"] or "") or "").strip(),
                city=(rec.get(cols["city"] or "") or "").strip(),
                lat=lat,
                lon=lon,
            )


def read_address_csv(path: str | Path) -> Iterator[AddressRow]:
    """Allo's own address CSV: street;housenumber;postcode;city;lat;lon."""
    with open(path, newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh, delimiter=";"):
            yield AddressRow(rec["street"], rec["housenumber"], rec["postcode"], rec["city"],
                             float(rec["lat"]), float(rec["lon"]))


def read_streets_geojson(path: str | Path) -> Iterator[StreetGeometry]:
    """Named LineString features (properties name, city, postcode, district) as street pieces."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for feature in data["features"]:
        props, geom = feature["properties"], feature["geometry"]
        if not props.get("name") or geom["type"] != "LineString":
            continue
        yield StreetGeometry(
            name=props["name"],
            postcode=props.get("postcode") or "",
            city=props.get("city") or "",
            line=tuple(LatLon(lat, lon) for lon, lat in geom["coordinates"]),
            district=props.get("district") or "",
        )


def monaco_file(name: str) -> Path:
    """Path of a shipped Monaco data file (addresses.csv, streets.geojson, graph.json, CREDITS.md)."""
    return Path(str(resources.files(MONACO_PACKAGE).joinpath(name)))


def gazetteer_from_ban_csv(path: str | Path, **options: object) -> Gazetteer:
    """A gazetteer over a BAN export alone (positions by number; no centre lines)."""
    return Gazetteer(read_ban_csv(path), **options)  # type: ignore[arg-type]


def load_monaco_gazetteer(**options: object) -> Gazetteer:
    """The demo city's gazetteer: OSM addresses and street centre lines around Monaco."""
    return Gazetteer(
        read_address_csv(monaco_file("addresses.csv")),
        read_streets_geojson(monaco_file("streets.geojson")),
        **options,  # type: ignore[arg-type]
    )


def load_monaco_zone() -> Polygon:
    """The Principality's main outline as a delivery-zone polygon (the demo's default zone)."""
    data = json.loads(monaco_file("boundary.geojson").read_text(encoding="utf-8"))
    rings = [poly[0] for f in data["features"] for poly in f["geometry"]["coordinates"]]
    outer = max(rings, key=len)
    return Polygon(tuple(LatLon(lat, lon) for lon, lat in outer[:-1]))
