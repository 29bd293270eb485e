"""The quorum arithmetic and the other rules, on plain values."""

from __future__ import annotations

from datetime import date

import pytest
from projektfabrik_councilmotion import rules


@pytest.mark.parametrize(
    ("settings", "needed"),
    [
        # Sachsen: 5 % of residents aged 16+, rounded up, no cap
        ({"quorum_kind": "share", "quorum_share_bp": 500, "eligible_residents": 10_000}, 500),
        ({"quorum_kind": "share", "quorum_share_bp": 500, "eligible_residents": 10_001}, 501),
        # NRW: 5 %, at most 4,000
        (
            {
                "quorum_kind": "share",
                "quorum_share_bp": 500,
                "eligible_residents": 200_000,
                "quorum_cap": 4000,
            },
            4000,
        ),
        # Baden-Württemberg, small town: 3 %, at most 200
        (
            {
                "quorum_kind": "share",
                "quorum_share_bp": 300,
                "eligible_residents": 5000,
                "quorum_cap": 200,
            },
            150,
        ),
        # Bayern: 1 % of 1,234 is 12.34, so 13
        ({"quorum_kind": "share", "quorum_share_bp": 100, "eligible_residents": 1234}, 13),
        # a fixed number
        ({"quorum_kind": "count", "quorum_count": 400}, 400),
        # a fixed number above the cap
        ({"quorum_kind": "count", "quorum_count": 400, "quorum_cap": 300}, 300),
        # a tiny town: never less than one
        ({"quorum_kind": "share", "quorum_share_bp": 1, "eligible_residents": 3}, 1),
    ],
)
def test_required_signatures(settings: dict[str, object], needed: int) -> None:
    assert rules.required_signatures(settings) == needed


def test_without_the_number_of_residents_the_quorum_is_unknown() -> None:
    assert rules.required_signatures({"quorum_kind": "share", "quorum_share_bp": 500}) is None
    assert rules.required_signatures({"quorum_kind": "count", "quorum_count": 0}) is None
    assert rules.required_signatures({"quorum_kind": "share", "eligible_residents": "x"}) is None


def test_progress_is_whole_percent_and_stops_at_100() -> None:
    assert rules.progress_percent(0, 500) == 0
    assert rules.progress_percent(249, 500) == 49
    assert rules.progress_percent(900, 500) == 100
    assert rules.progress_percent(10, None) == 0


def test_age_counts_the_birthday() -> None:
    assert rules.age_on(date(2010, 6, 15), date(2026, 6, 14)) == 15
    assert rules.age_on(date(2010, 6, 15), date(2026, 6, 15)) == 16


def test_add_months_keeps_the_end_of_the_month() -> None:
    assert rules.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert rules.add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)


def test_names_match_across_spelling_of_umlauts_and_spaces() -> None:
    assert rules.normalised_name("Müller-Lüdenscheidt") == rules.normalised_name(
        "muellerluedenscheidt"
    )
    assert rules.normalised_name("Groß") == rules.normalised_name("gross ")


def test_story_words_are_first_person_words_only() -> None:
    assert rules.story_words("Wir haben unseren Platz besucht") == ["unseren", "wir"]
    assert rules.story_words("Die Verwaltung wird beauftragt, Wiram zu bauen.") == []


def test_council_groups_need_a_name_and_an_address() -> None:
    groups = rules.council_groups("A | a@rat.example\nkaputt\nB | kein-at\n | c@rat.example")
    assert [(g.name, g.email) for g in groups] == [("A", "a@rat.example")]
