"""Jurisdiction codes and names: ISO 3166-1 alpha-2 from pycountry, plus CLDR's extra codes.

Companies name countries differently (``Hong Kong``, ``Hong Kong SAR``, ``United States of
America``); every name resolves to one code through pycountry and the small alias table below.
"""

from __future__ import annotations

import functools
import unicodedata

import pycountry

# Codes CLDR uses that ISO 3166-1 does not assign.
EXTRA_CODES: dict[str, str] = {"XK": "Kosovo", "UN": "United Nations"}

# How a reader knows the place, where ISO's short name reads as a formal one.
DISPLAY_NAMES: dict[str, str] = {
    "BO": "Bolivia",
    "CD": "Democratic Republic of the Congo",
    "FM": "Micronesia",
    "HK": "Hong Kong",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "MO": "Macao",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "VA": "Vatican City",
    "VE": "Venezuela",
    "VN": "Vietnam",
    "XK": "Kosovo",
}

# Names seen in the companies' files that pycountry does not resolve, folded (see _fold).
ALIASES: dict[str, str] = {
    "hong kong sar": "HK",
    "hong kong sar china": "HK",
    "kosovo": "XK",
    "russia": "RU",
    "macau": "MO",
    "ivory coast": "CI",
    "turkey": "TR",
    "aland islands": "AX",
    "macedonia": "MK",
    "swaziland": "SZ",
    "cape verde": "CV",
    "micronesia": "FM",
    "vatican": "VA",
    "vatican city": "VA",
    "palestine": "PS",
    "palestinian territories": "PS",
    "antigua": "AG",
    "brunei": "BN",
    "china mainland": "CN",
    "falkland islands": "FK",
    "saint helena": "SH",
    "saint martin": "MF",
    "sint maarten": "SX",
    "st. lucia": "LC",
    "the bahamas": "BS",
    "the gambia": "GM",
    "us virgin islands": "VI",
    # Microsoft's workbooks: "Korea" lists the Republic of Korea (its other files say "South
    # Korea"), "UK" the United Kingdom, and 2015-H2 misspells Uruguay.
    "korea": "KR",
    "uk": "GB",
    "urugay": "UY",
}


def is_known(code: str) -> bool:
    """Is ``code`` an upper-case ISO 3166-1 alpha-2 or CLDR territory code?"""
    return code in _names()


def name(code: str) -> str:
    """The reader's name for a known code."""
    return _names()[code]


def all_codes() -> list[str]:
    return sorted(_names())


def code_for_name(place: str) -> str | None:
    """The code for a country or region name as a company wrote it, or ``None``."""
    folded = _fold(place)
    if folded in ALIASES:
        return ALIASES[folded]
    if folded.upper() in _names() and len(folded) == 2:
        return folded.upper()
    try:
        return pycountry.countries.lookup(place.strip()).alpha_2
    except LookupError:
        return _by_folded_name().get(folded)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(ascii_text.replace("&", "and").lower().replace(",", " ").split())


@functools.cache
def _names() -> dict[str, str]:
    names = {
        country.alpha_2: getattr(country, "common_name", None) or country.name
        for country in pycountry.countries
    }
    names.update(EXTRA_CODES)
    names.update(DISPLAY_NAMES)
    return names


@functools.cache
def _by_folded_name() -> dict[str, str]:
    folded: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                folded[_fold(value)] = country.alpha_2
    for code, display in _names().items():
        folded.setdefault(_fold(display), code)
    return folded
