"""Places clustered by zoom (issue 19, item 1): totals conserved at every level, a zoom-in
splits clusters, labels name the largest member and how many others, the limit and the
merging said in the title box, and maps of few places left as they were."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import flowmap
from flowmap.engine import cluster
from flowmap.engine.cluster import CLUSTER_FROM, CLUSTER_PX, cut, hierarchy, level, threshold
from flowmap.engine.curves import project
from flowmap.render.cluster import view_at
from flowmap.render.element import map_spec


def _national(n: int = 900, flows: int = 6000, seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Towns around a few cities of a France-sized box, heavy-tailed flows among them."""
    rng = np.random.default_rng(seed)
    centres = np.column_stack([rng.uniform(43, 50, 12), rng.uniform(-3, 7, 12)])
    at = centres[rng.integers(0, 12, n)] + rng.normal(0, 0.4, (n, 2))
    ids = [f"T{i}" for i in range(n)]
    size = rng.pareto(1.2, n) + 1
    o = rng.choice(n, flows * 2, p=size / size.sum())
    d = rng.integers(0, n, flows * 2)
    pairs = pd.DataFrame({"o": o, "d": d}).query("o != d").drop_duplicates().head(flows)
    table = pd.DataFrame(
        {
            "origin": [ids[i] for i in pairs["o"]],
            "dest": [ids[i] for i in pairs["d"]],
            "count": rng.integers(1, 500, len(pairs)),
        }
    )
    names = [f"Town {i}" for i in range(n)]
    places = pd.DataFrame({"id": ids, "name": names, "lat": at[:, 0], "lon": at[:, 1]})
    return table, places


@pytest.fixture(scope="module")
def clustered() -> dict:  # type: ignore[type-arg]
    table, places = _national()
    return map_spec(flowmap.flow_map(table, places))


def test_totals_are_conserved_at_every_level_and_equal_the_sums_of_the_members(
    clustered: dict,  # type: ignore[type-arg]
) -> None:
    p, f = clustered["places"], clustered["flows"]
    n, whole = len(p["id"]), sum(f["c"])
    arrivals = np.bincount(f["d"], weights=f["c"], minlength=n)
    departures = np.bincount(f["o"], weights=f["c"], minlength=n)
    sizes = []
    for zoom in [*np.arange(0, 14, 0.5), 22]:
        labels = cut(clustered["clusters"]["merges"], n, threshold(2.0**zoom))
        found = level(labels, p["lat"], p["lon"], f["o"], f["d"], f["c"], f["k"])
        sizes.append(len(found.members))
        # Every place in exactly one cluster; each cluster's totals are its members' sums.
        assert sorted(i for m in found.members for i in m) == list(range(n))
        for g, members in enumerate(found.members):
            assert found.arrivals[g] == arrivals[list(members)].sum()
            assert found.departures[g] == departures[list(members)].sum()
        # Flows between clusters plus flows within them: the whole volume, once.
        assert found.count.sum() + found.internal.sum() == whole
        assert found.arrivals.sum() == found.departures.sum() == whole
        assert (found.origin != found.dest).all()
        assert np.all(np.diff(found.count) <= 0)  # largest first
    # Zooming in never merges: the number of clusters only grows, up to every place alone.
    assert sizes == sorted(sizes)
    assert sizes[0] < 10
    assert sizes[-1] == n


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_cut_groups_places_as_scipys_flat_clusters_do(seed: int) -> None:
    """The cut (pointers followed by doubling) gives the partition SciPy's ``fcluster``
    gives at the same distance, at every zoom: an independent check of the cut."""
    from scipy.cluster.hierarchy import fcluster, linkage

    rng = np.random.default_rng(seed)
    points = rng.uniform(0, 50, size=(300, 2))
    tree = linkage(points, method="complete")
    for limit in [0.0, 0.5, 2.0, 8.0, 30.0, 1000.0]:
        ours = cut(tree[:, :3], len(points), limit)
        theirs = fcluster(tree, limit, criterion="distance")
        partition = {frozenset(np.flatnonzero(ours == g).tolist()) for g in set(ours.tolist())}
        expected = {frozenset(np.flatnonzero(theirs == g).tolist()) for g in set(theirs.tolist())}
        assert partition == expected
        # numbered in the order of each cluster's first place
        firsts = [int(np.flatnonzero(ours == g)[0]) for g in range(int(ours.max()) + 1)]
        assert firsts == sorted(firsts)


def test_a_zoom_in_splits_a_cluster_into_nearer_places() -> None:
    lat = [48.10, 48.12, 48.30, 45.00]
    lon = [-1.68, -1.66, -1.50, 5.00]
    merges = hierarchy(lat, lon)
    assert merges.shape == (3, 3)
    far = cut(merges, 4, threshold(2.0**3))
    near = cut(merges, 4, threshold(2.0**9))
    assert far.tolist() == [0, 0, 0, 1]  # zoomed out: the three Breton towns are one
    assert near.tolist()[:3] != [0, 0, 0]  # zoomed in: split
    # A cluster never spans more than CLUSTER_PX screen pixels (complete linkage).
    for zoom in range(0, 12):
        labels = cut(merges, 4, threshold(2.0**zoom))
        x, y = project(lat, lon)
        for g in set(labels.tolist()):
            idx = np.flatnonzero(labels == g)
            span = max((np.hypot(x[i] - x[j], y[i] - y[j]) for i in idx for j in idx), default=0.0)
            assert span * 2.0**zoom <= CLUSTER_PX * 1.001


def test_the_view_at_a_scale_names_clusters_sums_flows_and_says_so(clustered: dict) -> None:  # type: ignore[type-arg]
    zoomed_out = view_at(clustered, 2.0**5)
    p, alerts = zoomed_out["places"], zoomed_out["text"]["alerts"]
    assert len(p["id"]) < len(clustered["places"]["id"])
    merged = [name for name in p["name"] if " +" in name]
    assert merged, p["name"][:5]
    assert any("Nearby places are merged" in a for a in alerts)
    tot = zoomed_out["totals"]
    whole = sum(clustered["flows"]["c"])
    assert sum(tot["in"]) == sum(tot["out"]) == whole
    assert sum(zoomed_out["flows"]["c"]) + sum(tot["internal"]) <= whole
    # Zoomed in far, every place is itself again and nothing is said of merging.
    zoomed_in = view_at(clustered, 2.0**16)
    assert sorted(zoomed_in["places"]["id"]) == sorted(clustered["places"]["id"])
    assert not any("merged" in a for a in zoomed_in["text"]["alerts"])


def test_a_cluster_label_names_its_largest_place_and_how_many_others_in_three_languages() -> None:
    rng = np.random.default_rng(2)
    n = CLUSTER_FROM + 60
    ids = [f"P{i}" for i in range(n)]
    places = pd.DataFrame(
        {
            "id": ids,
            "name": ["Rennes"] + [f"Village {i}" for i in range(1, n)],
            "lat": np.r_[48.11, 48.11 + rng.normal(0, 0.03, 41), rng.uniform(43, 50, n - 42)],
            "lon": np.r_[-1.68, -1.68 + rng.normal(0, 0.03, 41), rng.uniform(0, 7, n - 42)],
        }
    )
    flows = pd.DataFrame(
        {
            "origin": ["P0"] * (n - 1) + ids[1:],
            "dest": ids[1:] + ids[2:] + ["P1"],
            "count": [1000] * (n - 1) + [1] * (n - 1),
        }
    )
    # As short in Kyrgyz and Russian as in English (a long label hides the map); the
    # tooltip says how many places a cluster merges, in the language's plural form.
    for lang, said in (
        ("en", "42 places merged here"),
        ("ky", "Бул жерде 42 жер бириктирилген"),
        ("ru", "Объединено 42 места"),
    ):
        spec = map_spec(flowmap.flow_map(flows, places, lang=lang))
        shown = view_at(spec, 2.0**7)["places"]["name"]
        assert "Rennes +41" in shown, [s for s in shown if "Rennes" in s]
        forms = spec["clusters"]["text"]["members"]
        rule = {"en": "other", "ky": "other", "ru": "few"}[lang]
        assert forms[rule].replace("{count}", "42") == said
    ru = map_spec(flowmap.flow_map(flows, places, lang="ru"))
    forms = ru["clusters"]["text"]["members"]
    assert (forms["one"], forms["few"], forms["many"]) == (
        "Объединено {count} место",
        "Объединено {count} места",
        "Объединено {count} мест",
    )


def test_a_clustered_map_carries_the_tree_and_leaves_the_limit_to_each_level(
    clustered: dict,  # type: ignore[type-arg]
) -> None:
    info = clustered["clusters"]
    n = len(clustered["places"]["id"])
    assert len(info["merges"]) == n - 1
    assert all(len(row) == 3 for row in info["merges"])
    assert info["top"] == 1000
    assert info["px"] == CLUSTER_PX
    # Every flow of the table is in the page (the limit applies to flows between clusters,
    # said per level by the page), and no fixed "Largest" alert is left in the title box.
    assert len(clustered["flows"]["c"]) == 6000
    assert not any("Largest" in a for a in clustered["text"]["alerts"])
    limited = view_at(clustered, 2.0**12)
    assert len(limited["flows"]["c"]) == 1000
    assert any(a.startswith("Largest 1,000 of ") for a in limited["text"]["alerts"])


def test_no_line_is_wider_than_the_legends_widest_sample_at_any_zoom(
    clustered: dict,  # type: ignore[type-arg]
) -> None:
    """Zoomed far out, flows between clusters sum to more than the scale's count (which is
    the largest flow from one zoom below the opening one in): they are drawn as wide as the
    widest line, whose legend sample says "or more", so the legend never lies."""
    from flowmap.render._image_parts.boxes import width_px

    legend = clustered["legend"]
    assert legend["atLeast"] == clustered["scale"]["maxCount"]
    assert all(c < legend["atLeast"] for c in legend["counts"])
    assert clustered["text"]["legend"]["orMore"] == "{people} or more"
    widest = float(width_px(clustered["scale"], [*legend["counts"], legend["atLeast"]]).max())
    larger = False
    for zoom in range(0, 13):
        counts = view_at(clustered, 2.0**zoom)["flows"]["c"]
        larger = larger or max(counts, default=0) > clustered["scale"]["maxCount"]
        assert float(width_px(clustered["scale"], [0, *counts]).max()) <= widest + 1e-9, zoom
    assert larger  # some zoom draws a flow larger than the scale's count


@pytest.mark.parametrize("dense", [True, False])
def test_the_largest_flow_of_each_zoom_is_the_largest_of_its_level(
    dense: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``largest_by_zoom`` (the width scale's count) finds, at each zoom, the largest of the
    summed flows the page draws at that level, whether it sums them in a dense array or by
    sorting their keys, and with flows of two kinds."""
    if not dense:
        monkeypatch.setattr(cluster, "DENSE_KEYS", 0)
    table, places = _national(n=300, flows=2500, seed=11)
    ids = {p: i for i, p in enumerate(places["id"])}
    o = table["origin"].map(ids).to_numpy()
    d = table["dest"].map(ids).to_numpy()
    c = table["count"].to_numpy()
    k = (c % 2).astype(np.int64)
    lat, lon = list(places["lat"]), list(places["lon"])
    merges = hierarchy(lat, lon)
    found = cluster.largest_by_zoom(merges, lat, lon, o, d, c, k)
    for zoom in range(19):
        lab = cut(merges, len(lat), threshold(2.0**zoom))
        _, sums, _ = cluster._between(lab, o, d, c, k)
        assert found[zoom] == (sums.max() if len(sums) else 0), zoom
    assert len(set(found.tolist())) > 3  # zooms of different cuts were compared


def test_maps_of_few_places_are_not_clustered() -> None:
    table, places = _national(n=CLUSTER_FROM - 50, flows=2000)
    spec = map_spec(flowmap.flow_map(table, places))
    assert "clusters" not in spec
    assert view_at(spec, 2.0**5) == spec
    assert len(spec["flows"]["c"]) == 1000  # the export-time limit, as before


def test_an_image_is_one_zoom_cut_as_the_page_cuts_it(clustered: dict, tmp_path) -> None:  # type: ignore[no-untyped-def,type-arg]
    from flowmap.render.image import render_image

    out = render_image(clustered, tmp_path / "map.svg", size="1280x720")
    svg = out.read_text(encoding="utf-8")
    assert "Nearby places are merged at this zoom" in svg
    names = set(clustered["places"]["name"])
    assert any(f"{name} +" in svg for name in names)  # clusters named "Town 12 +7"


def test_a_net_view_is_never_clustered() -> None:
    table, places = _national()
    hub = table["origin"].value_counts().index[0]
    spec = map_spec(flowmap.flow_map(table, places, select_places=[hub], direction="net"))
    assert "clusters" not in spec


def test_a_chosen_place_is_never_merged_with_others() -> None:
    table, places = _national()
    hub = table["origin"].value_counts().index[0]
    spec = map_spec(flowmap.flow_map(table, places, select_places=[hub], direction="both"))
    p = spec["places"]
    where = p["id"].index(hub)
    assert p["focus"][where] == 1
    for zoom in range(0, 12):
        shown = view_at(spec, 2.0**zoom)
        at = shown["places"]["id"].index(hub)
        assert shown["places"]["name"][at] == p["name"][where]  # no "+N"
        assert shown["places"]["focus"][at] == 1
        assert sum(shown["places"]["focus"]) == 1


def test_merging_without_flows_within_merged_places_says_so_without_a_share() -> None:
    table, places = _national()
    hub = table["origin"].value_counts().index[0]
    spec = map_spec(flowmap.flow_map(table, places, select_places=[hub], direction="out"))
    alerts = view_at(spec, 2.0**6)["text"]["alerts"]
    assert "no flow runs within merged places" in alerts[-1]
    assert "%" not in alerts[-1]
