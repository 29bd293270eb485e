"""The counts of a residents' motion as a spreadsheet for the clerks (the core's
export writer: people's text never becomes a formula)."""

from __future__ import annotations

from typing import Any

from projektfabrik.api import Sheet, _, csv_for_people, xlsx_workbook
from projektfabrik_councilmotion import services
from projektfabrik_councilmotion.models import Motion


def rows(motion: Motion) -> list[list[Any]]:
    counts = services.counts(motion)
    found: list[list[Any]] = [[_("List"), _("Valid signatures"), _("Entered"), _("Scan")]]
    found += [
        [entry.number, entry.count, entry.created_at, entry.scan_display_name or None]
        for entry in services.lists_of(motion)
    ]
    found.append([_("On paper, in total"), counts.paper, None, None])
    found.append([_("Quorum"), counts.needed, None, None])
    found.append([_("Online support (not counted)"), counts.online, None, None])
    return found


def as_csv(motion: Motion) -> str | bytes:
    return csv_for_people(rows(motion))


def as_xlsx(motion: Motion) -> bytes:
    return xlsx_workbook([Sheet(title=_("Signatures"), rows=rows(motion))])
