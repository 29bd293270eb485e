"""Colours that stay readable whatever colour a town picks (WCAG 2.1 AA: 4.5:1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: The upload folder (per town) of the logo the admin uploaded, a re-encoded PNG.
LOGO_AREA = "branding"
MIN_CONTRAST = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _darken(hex_colour: str, factor: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


@dataclass(frozen=True)
class Palette:
    brand: str  # header and button background
    on_brand: str  # text on brand
    accent: str  # links and focus on white


def best_text_on(primary: str) -> str:
    """White or black, whichever reads better on ``primary``."""
    return "#ffffff" if contrast(primary, "#ffffff") >= contrast(primary, "#000000") else "#000000"


def palette(primary: str, on_brand: str | None = None) -> Palette:
    """The town's colours; ``on_brand`` (the text on the main colour) is the admin's
    choice if it still reads at 4.5:1, else the better of black and white."""
    if not HEX_COLOUR.match(primary or ""):
        primary = "#005a9c"
    primary = primary.lower()
    if (
        on_brand is None
        or not HEX_COLOUR.match(on_brand)
        or contrast(primary, on_brand) < MIN_CONTRAST
    ):
        on_brand = best_text_on(primary)
    accent = primary
    factor = 1.0
    while contrast(accent, "#ffffff") < MIN_CONTRAST and factor > 0:
        factor -= 0.05
        accent = _darken(primary, factor)
    return Palette(brand=primary, on_brand=on_brand, accent=accent)
