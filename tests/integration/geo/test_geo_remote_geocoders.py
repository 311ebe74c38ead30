"""addok and Nominatim adapters against a fake server on 127.0.0.1 serving replies in their formats."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from allo.adapters.geo.addok import AddokGeocoder
from allo.adapters.geo.nominatim import NominatimGeocoder
from allo.services.ports.geocoder import GeocodeQuery, Geocoder, GeocoderUnavailable

ADDOK_REPLY = {
    "type": "FeatureCollection",
    "version": "draft",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.290084, 49.897443]},
            "properties": {
                "label": "8 Boulevard du Port 80000 Amiens", "score": 0.87, "housenumber": "8",
                "id": "80021_6590_00008", "name": "8 Boulevard du Port", "postcode": "80000",
                "citycode": "80021", "x": 648952.58, "y": 6977867.25, "city": "Amiens",
                "context": "80, Somme, Hauts-de-France", "type": "housenumber", "importance": 0.67,
                "street": "Boulevard du Port",
            },
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.2906, 49.8977]},
            "properties": {
                "label": "Boulevard du Port 80000 Amiens", "score": 0.70, "id": "80021_6590",
                "name": "Boulevard du Port", "postcode": "80000", "citycode": "80021", "city": "Amiens",
                "type": "street", "importance": 0.6,
            },
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.29, 49.89]},
            "properties": {"label": "Amiens", "score": 0.3, "name": "Amiens", "postcode": "80000",
                           "city": "Amiens", "type": "municipality"},
        },
    ],
    "attribution": "BAN",
    "licence": "ETALAB-2.0",
    "query": "8 bd du port amiens",
    "limit": 5,
}

NOMINATIM_REPLY = [
    {
        "place_id": 1234567, "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "node", "osm_id": 987654, "lat": "43.7423589", "lon": "7.4279129", "category": "place",
        "type": "house", "place_rank": 30, "importance": 0.00001, "addresstype": "place", "name": "",
        "display_name": "14, Boulevard des Moulins, Monte-Carlo, Monaco, 98000, Monaco",
        "address": {"house_number": "14", "road": "Boulevard des Moulins", "suburb": "Monte-Carlo",
                    "city": "Monaco", "postcode": "98000", "country": "Monaco", "country_code": "mc"},
        "boundingbox": ["43.7423089", "43.7424089", "7.4278629", "7.4279629"],
    },
    {
        "place_id": 7654321, "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "way", "osm_id": 157719652, "lat": "43.7437", "lon": "7.4286", "category": "highway",
        "type": "primary", "place_rank": 26, "importance": 0.1, "addresstype": "road",
        "name": "Boulevard des Moulins", "display_name": "Boulevard des Moulins, Monte-Carlo, Monaco, 98000, Monaco",
        "address": {"road": "Boulevard des Moulins", "suburb": "Monte-Carlo", "city": "Monaco",
                    "postcode": "98000", "country": "Monaco", "country_code": "mc"},
        "boundingbox": ["43.741", "43.746", "7.426", "7.431"],
    },
    {
        "place_id": 42, "lat": "43.73", "lon": "7.42", "category": "boundary", "type": "administrative",
        "place_rank": 8, "addresstype": "country", "name": "Monaco", "display_name": "Monaco",
        "address": {"country": "Monaco", "country_code": "mc"},
    },
]


class _Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        url = urlsplit(self.path)
        self.seen.append((url.path, parse_qs(url.query), dict(self.headers)))
        if url.path.startswith("/slow"):
            time.sleep(1.0)
        if url.path.startswith("/broken"):
            self._send(500, b"boom", "text/plain")
        elif url.path.startswith("/html"):
            self._send(200, b"<html>not json</html>", "text/html")
        elif url.path.endswith("/search/"):
            self._send(200, json.dumps(ADDOK_REPLY).encode(), "application/json")
        elif url.path.endswith("/search"):
            self._send(200, json.dumps(NOMINATIM_REPLY).encode(), "application/json")
        else:
            self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_addok_parses_geojson_and_scores_itself(server: str) -> None:
    geocoder = AddokGeocoder(server, limit=5)
    assert isinstance(geocoder, Geocoder)
    results = geocoder.geocode(GeocodeQuery("8 bd du port", postcode="80000"))
    geocoder.close()
    assert [r.precision for r in results] == ["housenumber", "street"]  # the town is dropped
    best = results[0]
    assert best.label == "8 Boulevard du Port 80000 Amiens"
    assert (best.position.lat, best.position.lon) == (49.897443, 2.290084)
    assert best.postcode == "80000" and best.city == "Amiens"
    assert best.score >= 0.9 and results[1].score < best.score
    path, params, _ = _Handler.seen[-1]
    assert path == "/search/" and params["q"] == ["8 bd du port 80000"] and params["limit"] == ["5"]


def test_addok_answer_for_another_street_scores_low(server: str) -> None:
    results = AddokGeocoder(server, min_score=0.0).geocode(GeocodeQuery("8 rue Victor Hugo, Lyon"))
    assert results and all(r.score < 0.5 for r in results)


def test_nominatim_parses_jsonv2(server: str) -> None:
    geocoder = NominatimGeocoder(server, countrycodes="mc", user_agent="allo-tests")
    results = geocoder.geocode(GeocodeQuery("14 bd des moulins, 98000 Monaco"))
    geocoder.close()
    assert [r.precision for r in results] == ["housenumber", "street"]
    assert results[0].score >= 0.9 and results[0].city == "Monaco" and results[0].postcode == "98000"
    assert abs(results[0].position.lat - 43.7423589) < 1e-9
    path, params, headers = _Handler.seen[-1]
    assert path == "/search"
    assert params["format"] == ["jsonv2"] and params["addressdetails"] == ["1"] and params["countrycodes"] == ["mc"]
    assert headers.get("User-Agent") == "allo-tests"


def test_wrong_number_from_nominatim_is_not_a_full_match(server: str) -> None:
    results = NominatimGeocoder(server).geocode(GeocodeQuery("30 boulevard des moulins"))
    assert results[0].score < 0.9


@pytest.mark.parametrize("cls", [AddokGeocoder, NominatimGeocoder])
def test_unreachable_server_is_a_clear_error(cls: type) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(GeocoderUnavailable, match="unreachable"):
        cls(url, timeout_s=2.0).geocode(GeocodeQuery("1 rue de la paix"))


@pytest.mark.parametrize("cls", [AddokGeocoder, NominatimGeocoder])
def test_http_error_and_garbage_are_clear_errors(server: str, cls: type) -> None:
    with pytest.raises(GeocoderUnavailable, match="HTTP 500"):
        cls(f"{server}/broken").geocode(GeocodeQuery("1 rue de la paix"))
    with pytest.raises(GeocoderUnavailable, match="not JSON"):
        cls(f"{server}/html").geocode(GeocodeQuery("1 rue de la paix"))


@pytest.mark.parametrize("cls", [AddokGeocoder, NominatimGeocoder])
def test_slow_server_times_out(server: str, cls: type) -> None:
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable, match="timed out"):
        cls(f"{server}/slow", timeout_s=0.2).geocode(GeocodeQuery("1 rue de la paix"))
    assert time.monotonic() - started < 0.9


def test_empty_query_asks_nothing(server: str) -> None:
    before = len(_Handler.seen)
    assert AddokGeocoder(server).geocode(GeocodeQuery("")) == []
    assert len(_Handler.seen) == before
