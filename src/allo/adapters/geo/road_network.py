"""Travel times and routes over a street graph (the demo city's OSM graph, or any graph.json).

`RoadNetwork` implements the dispatch engine's travel-time protocol (`travel_minutes`, and the
vectorised `travel_minutes_many`) on planar points, and gives `route` polylines so that a simulated
courier moves along real streets. Points snap to the nearest node of the graph's largest strongly
connected part (a trip's start, a courier's position that may lie between the nodes of two streets
one above the other, also to the few next nearest within `START_SLACK_M`, taking the shortest way);
the access and egress legs are straight. Shortest paths come from scipy's Dijkstra,
one tree per source node, kept in a small LRU cache.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from allo.domain.geo import LatLon, LocalProjection, Point

Mode = Literal["drive", "walk"]
K = TypeVar("K")
V = TypeVar("V")
MODE_FLAGS = {"drive": 1, "walk": 2}
MONACO_CENTRE = LatLon(43.7384, 7.4246)
#: Places whose start nodes are remembered (a dict of about 200 bytes each).
SNAPS_KEPT = 50_000
#: A trip may start from any of the `START_NODES` nearest nodes no farther than the nearest one plus
#: this: a courier between two nodes of a ramp is nearer, as the crow flies, to the street below.
START_SLACK_M = 20.0
START_NODES = 4
#: Trips whose street distance is remembered: a dispatcher times the same shops, doors and couriers
#: tick after tick (about 150 bytes each).
TRIPS_KEPT = 100_000


@dataclass(frozen=True)
class RoadGraph:
    """Graph data as shipped: node positions, and edges as node paths with attributes."""

    nodes: np.ndarray  # (n, 2) lat, lon
    paths: list[list[int]]
    names: list[str]
    edge_names: np.ndarray  # index into names per edge
    modes: np.ndarray  # bit flags per edge: 1 drive, 2 walk
    oneway: np.ndarray  # 1 forward only, -1 backward only, 0 both

    @classmethod
    def from_json(cls, path: str | Path) -> "RoadGraph":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != "allo-road-graph/1":
            raise ValueError(f"{path}: not an allo road graph")
        edges = data["edges"]
        return cls(
            nodes=np.asarray(data["nodes"], dtype=float),
            paths=[e[0] for e in edges],
            names=data["names"],
            edge_names=np.asarray([e[2] for e in edges], dtype=int),
            modes=np.asarray([e[4] for e in edges], dtype=int),
            oneway=np.asarray([e[5] for e in edges], dtype=int),
        )


class RoadNetwork:
    """Shortest-path travel model over a `RoadGraph`, in the planar frame of `projection`."""

    def __init__(
        self,
        graph: RoadGraph,
        projection: LocalProjection | None = None,
        *,
        mode: Mode = "drive",
        cache_size: int = 256,
    ) -> None:
        self.graph = graph
        self.projection = projection or LocalProjection(MONACO_CENTRE)
        self.mode = mode
        self.cache_size = cache_size
        self.xy = self._project(graph.nodes)
        self._matrix = self._build_matrix()
        self._reverse = self._matrix.transpose().tocsr()
        keep = self._main_component()
        self._snap_ids = np.flatnonzero(keep)
        self._tree = cKDTree(self.xy[self._snap_ids])
        self._forward: OrderedDict[int, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._backward: OrderedDict[int, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the live service may ask from several threads
        self._starts: dict[tuple[float, float], tuple[tuple[int, float], ...]] = {}
        self._last_origins: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # `travel_minutes_many`'s
        self._trips: dict[tuple[float, float, float, float], float] = {}

    # -- construction ----------------------------------------------------------------------------

    def _project(self, latlon: np.ndarray) -> np.ndarray:
        o = self.projection.origin
        r = 6_371_008.8
        k = math.cos(math.radians(o.lat))
        x = np.radians(latlon[:, 1] - o.lon) * r * k
        y = np.radians(latlon[:, 0] - o.lat) * r
        return np.column_stack([x, y])

    def _build_matrix(self) -> csr_matrix:
        flag = MODE_FLAGS[self.mode]
        src: list[int] = []
        dst: list[int] = []
        for k, path in enumerate(self.graph.paths):
            if not self.graph.modes[k] & flag:
                continue
            way = int(self.graph.oneway[k]) if self.mode == "drive" else 0
            a, b = path[:-1], path[1:]
            if way >= 0:
                src.extend(a)
                dst.extend(b)
            if way <= 0:
                src.extend(b)
                dst.extend(a)
        s, d = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
        w = np.hypot(*(self.xy[s] - self.xy[d]).T)
        w = np.maximum(w, 1e-3)  # zero weights would read as "no edge"
        order = np.lexsort((w, d, s))  # keep the shortest of parallel edges
        s, d, w = s[order], d[order], w[order]
        first = np.ones(len(s), dtype=bool)
        first[1:] = (s[1:] != s[:-1]) | (d[1:] != d[:-1])
        n = len(self.xy)
        return csr_matrix((w[first], (s[first], d[first])), shape=(n, n))

    def _main_component(self) -> np.ndarray:
        _, labels = connected_components(self._matrix, directed=True, connection="strong")
        used = np.zeros(len(self.xy), dtype=bool)
        used[self._matrix.nonzero()[0]] = True
        counts = np.bincount(labels[used])
        return (labels == int(np.argmax(counts))) & used

    # -- snapping and trees ----------------------------------------------------------------------

    def _as_point(self, p: Point | LatLon) -> Point:
        return self.projection.to_plane(p) if isinstance(p, LatLon) else p

    def snap(self, p: Point | LatLon) -> tuple[int, float]:
        """Nearest routable node and the straight distance to it (metres): the first of `starts`."""
        return self.starts(p)[0]

    def starts(self, p: Point | LatLon) -> tuple[tuple[int, float], ...]:
        """The nodes a trip from `p` may start at (the nearest first, then the next nearest within
        `START_SLACK_M` more), each with the straight distance to it. Remembered: a dispatcher asks
        about the same shops, doors and couriers tick after tick."""
        q = self._as_point(p)
        key = (q.x, q.y)
        found = self._starts.get(key)
        if found is None:
            nodes, legs = self._near(np.array([key]))
            found = tuple((int(n), float(leg)) for n, leg in zip(nodes[0], legs[0]) if math.isfinite(leg))
            _keep(self._starts, key, found, SNAPS_KEPT)
        return found

    def _near(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each point, its `START_NODES` nearest routable nodes and their distances, those beyond
        the nearest's distance plus `START_SLACK_M` at an infinite distance."""
        k = min(START_NODES, len(self._snap_ids))
        dist, idx = self._tree.query(points, k=k)
        dist, idx = dist.reshape(len(points), k), idx.reshape(len(points), k)
        dist = np.where(dist <= dist[:, :1] + START_SLACK_M, dist, np.inf)
        return self._snap_ids[idx], dist

    def _origins(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`_near` for the origins of `travel_minutes_many`, only for the points that changed since
        the last call: a tick asks about the same couriers once for each shop, and the estimates
        move one courier at a time."""
        last = self._last_origins
        if last is None or last[0].shape != points.shape:
            nodes, legs = self._near(points)
        else:
            changed = np.flatnonzero(np.any(points != last[0], axis=1))
            nodes, legs = last[1], last[2]
            if len(changed):
                nodes, legs = nodes.copy(), legs.copy()
                nodes[changed], legs[changed] = self._near(points[changed])
        self._last_origins = (points, nodes, legs)
        return nodes, legs

    def _from(self, node: int) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            hit = self._forward.get(node)
            if hit is not None:
                self._forward.move_to_end(node)
                return hit
        dist, pred = dijkstra(self._matrix, directed=True, indices=node, return_predecessors=True)
        with self._lock:
            self._remember(self._forward, node, (dist, pred))
        return dist, pred

    def _to(self, node: int) -> np.ndarray:
        with self._lock:
            hit = self._backward.get(node)
            if hit is not None:
                self._backward.move_to_end(node)
                return hit
        dist = dijkstra(self._reverse, directed=True, indices=node)
        with self._lock:
            self._remember(self._backward, node, dist)
        return dist

    def _remember(self, cache: OrderedDict, key: int, value: object) -> None:
        cache[key] = value
        while len(cache) > self.cache_size:
            cache.popitem(last=False)

    # -- the travel-time protocol ----------------------------------------------------------------

    def distance_m(self, origin: Point | LatLon, destination: Point | LatLon) -> float:
        """Street distance: straight to a start node (`starts`), along the graph, straight from the
        node nearest the end; straight when the nearest nodes of both ends are the same."""
        o, d = self._as_point(origin), self._as_point(destination)
        key = (o.x, o.y, d.x, d.y)
        found = self._trips.get(key)
        if found is None:
            b, db = self.snap(d)
            found = o.distance_to(d) if self.snap(o)[0] == b else self._best_start(o, b)[1] + db
            _keep(self._trips, key, found, TRIPS_KEPT)
        return found

    def _best_start(self, o: Point, b: int) -> tuple[int, float]:
        """The start node (`starts`) of the shortest way from `o` to node `b`, and that way's length:
        from the one start's tree when there is one start, else from the tree into `b` (one tree
        either way)."""
        starts = self.starts(o)
        if len(starts) == 1:  # one start: its tree, shared by every trip from there
            a, leg = starts[0]
            return a, leg + float(self._from(a)[0][b])
        to_b = self._to(b)
        return min(((a, leg + float(to_b[a])) for a, leg in starts), key=lambda way: way[1])

    def travel_minutes(self, origin: Point, destination: Point, speed_m_per_min: float) -> float:
        """Minutes along the streets at `speed_m_per_min`; never less than the straight line."""
        return self.distance_m(origin, destination) / speed_m_per_min

    def travel_minutes_many(
        self, xs: np.ndarray, ys: np.ndarray, destination: Point, speeds: np.ndarray
    ) -> np.ndarray:
        """Minutes from many origins to one destination: one reverse tree from the destination."""
        b, db = self.snap(destination)
        to_b = self._to(b)
        nodes, legs = self._origins(np.column_stack([xs, ys]))
        total = np.min(legs + to_b[nodes], axis=1) + db
        straight = np.hypot(np.asarray(xs) - destination.x, np.asarray(ys) - destination.y)
        total = np.where(nodes[:, 0] == b, straight, total)
        return total / np.asarray(speeds, dtype=float)

    # -- routes ----------------------------------------------------------------------------------

    def route(self, origin: Point | LatLon, destination: Point | LatLon) -> list[LatLon]:
        """The street path from origin to destination as WGS84 points (both ends included)."""
        o, d = self._as_point(origin), self._as_point(destination)
        b, _ = self.snap(d)
        nodes: list[int] = []
        if self.snap(o)[0] != b:
            a = self._best_start(o, b)[0]
            pred = self._from(a)[1]
            k = b
            while k != a and k >= 0:
                nodes.append(k)
                k = int(pred[k])
            nodes.append(a)
            nodes.reverse()
        lat_lon = self.graph.nodes
        pts = [self.projection.to_latlon(o)]
        pts += [LatLon(float(lat_lon[k, 0]), float(lat_lon[k, 1])) for k in nodes]
        pts.append(self.projection.to_latlon(d))
        return pts


def _keep(memo: dict[K, V], key: K, value: V, limit: int) -> None:
    """Remember `value` under `key`; a memo that reached `limit` starts again rather than grows (a new
    day's places)."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value


def point_along(route: list[LatLon], metres: float, projection: LocalProjection) -> LatLon:
    """Where a courier is after `metres` along a route (clamped to its ends)."""
    from allo.adapters.geo import polyline

    plane = [projection.to_plane(p) for p in route]
    return projection.to_latlon(polyline.point_at(plane, metres))


def route_length_m(route: list[LatLon], projection: LocalProjection) -> float:
    from allo.adapters.geo import polyline

    return polyline.length([projection.to_plane(p) for p in route])


def load_monaco_road_network(
    mode: Mode = "drive", projection: LocalProjection | None = None, **options: int
) -> RoadNetwork:
    """The demo city's network (drive: scooters and cars, one-way streets respected; walk)."""
    from allo.adapters.geo.loaders import monaco_file

    return RoadNetwork(RoadGraph.from_json(monaco_file("graph.json")), projection, mode=mode, **options)


#: Couriers this slow or slower walk (the demo's couriers on foot: 75 m/min; bikes: 250).
WALKING_UP_TO_M_PER_MIN = 100.0


class StreetsByPace:
    """The dispatcher's travel model over a city's streets, as its couriers ride them: a courier at
    walking pace on the walkable network (footways, steps, both ways), the others on the drivable one
    (one-way streets respected). The engine knows a courier only by its speed, hence the pace."""

    description = "the streets (walkers on footways, riders on the drivable ones)"

    def __init__(self, drive: RoadNetwork, walk: RoadNetwork,
                 walking_up_to_m_per_min: float = WALKING_UP_TO_M_PER_MIN) -> None:
        self.drive = drive
        self.walk = walk
        self.walking_up_to = walking_up_to_m_per_min

    def _network(self, speed_m_per_min: float) -> RoadNetwork:
        return self.walk if speed_m_per_min <= self.walking_up_to else self.drive

    def travel_minutes(self, origin: Point, destination: Point, speed_m_per_min: float) -> float:
        return self._network(speed_m_per_min).travel_minutes(origin, destination, speed_m_per_min)

    def travel_minutes_many(
        self, xs: np.ndarray, ys: np.ndarray, destination: Point, speeds: np.ndarray
    ) -> np.ndarray:
        xs, ys, speeds = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float), np.asarray(speeds, dtype=float)
        out = np.empty(len(speeds))
        walking = speeds <= self.walking_up_to
        for mask, network in ((walking, self.walk), (~walking, self.drive)):
            if mask.any():
                out[mask] = network.travel_minutes_many(xs[mask], ys[mask], destination, speeds[mask])
        return out


def load_monaco_streets(projection: LocalProjection | None = None) -> StreetsByPace:
    """The demo city's streets as the dispatcher's travel model (`StreetsByPace`)."""
    return StreetsByPace(load_monaco_road_network("drive", projection), load_monaco_road_network("walk", projection))
