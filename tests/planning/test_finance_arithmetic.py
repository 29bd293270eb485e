"""Money and the finance plan's arithmetic, checked with hypothesis.

No database and no request: ``money`` and ``services.summarise`` work on plain
values (an app context gives Flask-Babel its translations).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

import pytest
from flask import Flask
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from projektfabrik.planning import services
from projektfabrik.planning.models import CostType, FinancingKind, Source
from projektfabrik.planning.money import (
    MAX_CENTS,
    MoneyError,
    format_cents,
    format_input,
    format_share,
    parse_cents,
    share_basis_points,
)

LOCALES = ("de", "en")
cents = st.integers(min_value=0, max_value=MAX_CENTS)
fixture_ok = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@pytest.fixture(autouse=True)
def babel_context() -> Iterator[None]:
    """Flask-Babel's gettext needs an app; messages stay English (the msgids)."""
    from projektfabrik.extensions import babel

    app = Flask(__name__)
    babel.init_app(app, locale_selector=lambda: "en")
    with app.test_request_context():
        yield


# --- parse and format ------------------------------------------------------------------


@fixture_ok
@given(value=cents, locale=st.sampled_from(LOCALES))
def test_what_a_form_shows_reads_back_the_same(value: int, locale: str) -> None:
    assert parse_cents(format_input(value, locale), locale) == value


@fixture_ok
@given(value=cents, locale=st.sampled_from(LOCALES))
def test_a_formatted_amount_with_its_euro_sign_reads_back(value: int, locale: str) -> None:
    assert parse_cents(format_cents(value, locale), locale) == value


@fixture_ok
@given(euros=st.integers(min_value=0, max_value=MAX_CENTS // 100), fraction=st.integers(0, 99))
def test_german_ways_of_writing_an_amount(euros: int, fraction: int) -> None:
    plain = f"{euros}"
    grouped = f"{euros:,}".replace(",", ".")
    expected_whole = euros * 100
    assert parse_cents(plain, "de") == expected_whole  # "1234"
    assert parse_cents(grouped, "de") == expected_whole  # "1.234"
    if euros * 100 + fraction <= MAX_CENTS:
        assert parse_cents(f"{plain},{fraction:02d}", "de") == euros * 100 + fraction  # "1234,56"
        assert parse_cents(f"{grouped},{fraction:02d}", "de") == euros * 100 + fraction


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1.234,56", "de", 123456),
        ("1234,56", "de", 123456),
        ("1234", "de", 123400),
        ("1.234", "de", 123400),
        ("1.234,5", "de", 123450),
        ("0,99", "de", 99),
        (",5", "de", 50),
        ("1.234,56 €", "de", 123456),
        ("€ 12", "de", 1200),
        ("1 234,56", "de", 123456),
        ("1,234.56", "en", 123456),
        ("1234.56", "en", 123456),
        ("1,234", "en", 123400),
        ("€1,234.56", "en", 123456),
        ("12.5", "en", 1250),
        ("  7  ", "en", 700),
        ("0", "de", 0),
    ],
)
def test_amounts_people_type(text: str, locale: str, expected: int) -> None:
    assert parse_cents(text, locale) == expected


@pytest.mark.parametrize(
    ("text", "locale", "message"),
    [
        ("12,3,4", "de", "This is not an amount. Please write it like 1.234,56."),
        ("12,3,4", "en", "This is not an amount. Please write it like 1,234.56."),
        ("-5", "de", "Negative amounts are not possible here."),
        ("−5,00", "de", "Negative amounts are not possible here."),
        ("5-", "en", "Negative amounts are not possible here."),
        ("1,234", "de", "At most two decimal places (cents), please."),
        ("1.234", "en", "At most two decimal places (cents), please."),
        ("0,001", "de", "At most two decimal places (cents), please."),
        ("12.50", "de", "This is not an amount. Please write it like 1.234,56."),
        ("1,234.56", "de", "This is not an amount. Please write it like 1.234,56."),
        ("1.234,56", "en", "This is not an amount. Please write it like 1,234.56."),
        ("12.34.5", "de", "This is not an amount. Please write it like 1.234,56."),
        ("1,", "de", "Please write the cents after the decimal separator, or leave it out."),
        ("zwölf", "de", "Please enter an amount in numbers, e.g. 1.234,56."),
        ("1e5", "en", "Please enter an amount in numbers, e.g. 1,234.56."),
        ("", "de", "Please enter an amount."),
        ("   ", "en", "Please enter an amount."),
        ("10.000.000,01", "de", "At most 10.000.000,00\xa0€ per line, please."),
        ("99999999999999999999", "en", "At most €10,000,000.00 per line, please."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(text: str, locale: str, message: str) -> None:
    with pytest.raises(MoneyError) as refused:
        parse_cents(text, locale)
    assert refused.value.message == message


@fixture_ok
@given(value=st.integers(min_value=1, max_value=MAX_CENTS), locale=st.sampled_from(LOCALES))
def test_negative_amounts_are_always_refused(value: int, locale: str) -> None:
    with pytest.raises(MoneyError):
        parse_cents("-" + format_input(value, locale), locale)


@fixture_ok
@given(value=cents, extra=st.integers(0, 9), locale=st.sampled_from(LOCALES))
def test_three_decimals_are_always_refused(value: int, extra: int, locale: str) -> None:
    with pytest.raises(MoneyError):
        parse_cents(format_input(value, locale) + str(extra), locale)


@fixture_ok
@given(text=st.text(max_size=30), locale=st.sampled_from(LOCALES))
@example(text="١٢٣", locale="de")  # digits of another script are no amount here
def test_any_text_is_an_amount_in_range_or_refused(text: str, locale: str) -> None:
    try:
        value = parse_cents(text, locale)
    except MoneyError as error:
        assert error.message
    else:
        assert isinstance(value, int) and 0 <= value <= MAX_CENTS


def test_formatting_the_german_and_the_english_way() -> None:
    assert format_cents(123456, "de") == "1.234,56\xa0€"
    assert format_cents(123456, "en") == "€1,234.56"
    assert format_input(5, "de") == "0,05"
    assert format_input(100000000, "en") == "1,000,000.00"


# --- shares ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "bp", "de", "en"),
    [
        (1, 8, 1250, "12,5\xa0%", "12.5%"),
        (1, 3, 3333, "33,33\xa0%", "33.33%"),
        (2, 3, 6667, "66,67\xa0%", "66.67%"),
        (1, 6, 1667, "16,67\xa0%", "16.67%"),
        (1, 20000, 1, "0,01\xa0%", "0.01%"),  # half a basis point rounds up
        (1, 20001, 0, "0\xa0%", "0%"),
        (5, 5, 10000, "100\xa0%", "100%"),
        (0, 5, 0, "0\xa0%", "0%"),
    ],
)
def test_share_rounding(part: int, whole: int, bp: int, de: str, en: str) -> None:
    assert share_basis_points(part, whole) == bp
    assert format_share(bp, "de") == de
    assert format_share(bp, "en") == en


def test_no_share_without_costs() -> None:
    assert share_basis_points(100, 0) is None
    assert format_share(None, "de") == "–"


@fixture_ok
@given(part=cents, whole=st.integers(min_value=1, max_value=10 * MAX_CENTS))
def test_share_is_the_exact_ratio_rounded_half_up(part: int, whole: int) -> None:
    exact = Decimal(part) * 10000 / Decimal(whole)
    assert share_basis_points(part, whole) == int(exact.quantize(Decimal(1), ROUND_HALF_UP))


# --- the finance plan -----------------------------------------------------------------------

requirement = st.tuples(st.sampled_from(list(CostType)), st.sampled_from(list(Source)), cents)
manual = st.tuples(st.sampled_from(list(CostType)), cents)
financing = st.tuples(st.sampled_from(list(FinancingKind)), cents)


@fixture_ok
@given(
    reqs=st.lists(requirement, max_size=30),
    items=st.lists(manual, max_size=10),
    lines=st.lists(financing, max_size=10),
)
def test_totals_add_up(reqs: list, items: list, lines: list) -> None:  # type: ignore[type-arg]
    s = services.summarise(reqs, items, lines)
    counted = [c for _t, source, c in reqs if source != Source.IN_KIND]
    assert s.resource_costs == sum(counted)
    assert s.in_kind_cents == sum(c for _t, source, c in reqs if source == Source.IN_KIND)
    assert s.manual_costs == sum(c for _t, c in items)
    assert s.total_costs == s.resource_costs + s.manual_costs == sum(s.costs_by_type.values())
    assert s.total_financing == sum(c for _k, c in lines) == sum(s.financing_by_kind.values())
    assert s.balance == s.total_financing - s.total_costs
    assert s.balanced == (s.total_costs == s.total_financing)
    assert s.requested_funding == s.financing_by_kind[FinancingKind.REQUESTED_FUNDING]
    assert sum(s.costs_by_source.values()) == s.resource_costs + s.in_kind_cents
    for cost_type in CostType:
        assert s.costs_by_type[cost_type] == sum(
            c for t, src, c in reqs if t == cost_type and src != Source.IN_KIND
        ) + sum(c for t, c in items if t == cost_type)
    own = s.financing_by_kind[FinancingKind.OWN_FUNDS]
    assert s.own_share_bp == share_basis_points(own, s.total_costs)
    assert all(isinstance(v, int) for v in s.costs_by_type.values())


def test_the_neighbourhood_garden_in_figures() -> None:
    s = services.summarise(
        [
            (CostType.MATERIAL, Source.FUNDING, 120000),
            (CostType.RENT, Source.IN_KIND, 30000),
            (CostType.PERSONNEL, Source.OWN_FUNDS, 50000),
        ],
        [(CostType.ADMINISTRATIVE, 8050)],
        [
            (FinancingKind.OWN_FUNDS, 50000),
            (FinancingKind.DONATIONS, 28050),
            (FinancingKind.REQUESTED_FUNDING, 100000),
        ],
    )
    assert s.total_costs == 178050
    assert s.total_financing == 178050 and s.balanced
    assert s.own_share_bp == 2808  # 500 / 1780,50 = 28,0820… %
    assert s.in_kind_cents == 30000
