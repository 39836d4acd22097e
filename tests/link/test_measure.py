"""Date intervals and distances, the two measurements events are compared by."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from triangulate.link.measure import event_interval, gap, haversine_km, interval, iso

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


@given(dates)
def test_a_day_is_its_own_interval(d):
    assert interval(d.isoformat()) == (d.toordinal(), d.toordinal())


@given(dates)
def test_a_month_precision_date_covers_every_day_of_its_month(d):
    lo, hi = interval(d.strftime("%Y-%m"))
    assert lo <= d.toordinal() <= hi
    assert dt.date.fromordinal(lo).day == 1
    assert (dt.date.fromordinal(hi) + dt.timedelta(days=1)).day == 1


@given(dates)
def test_a_day_value_with_month_precision_is_the_month(d):
    assert interval(d.isoformat(), "month") == interval(d.strftime("%Y-%m"))


@given(dates)
def test_an_iso_week_covers_monday_to_sunday(d):
    year, week, _ = d.isocalendar()
    lo, hi = interval(f"{year}-W{week:02d}")
    assert hi - lo == 6 and dt.date.fromordinal(lo).weekday() == 0
    assert lo <= d.toordinal() <= hi


@given(dates)
def test_a_year_covers_the_whole_year(d):
    lo, hi = interval(str(d.year))
    assert iso(lo) == f"{d.year}-01-01" and iso(hi) == f"{d.year}-12-31"


def test_unreadable_values_have_no_interval():
    for value in (None, "", "PRESENT_REF", "P5M", "2024-13-45", "yesterday"):
        assert interval(value) is None


@given(dates, st.integers(0, 10))
def test_an_undated_event_happened_on_or_shortly_before_publication(d, _):
    (lo, hi), explicit = event_interval(None, None, d.isoformat())
    assert not explicit and hi == d.toordinal() and lo < hi


@given(dates, dates)
def test_gap_is_symmetric_and_zero_on_overlap(a, b):
    x, y = (a.toordinal(), a.toordinal()), (b.toordinal(), b.toordinal())
    assert gap(x, y) == gap(y, x) == abs(a.toordinal() - b.toordinal())
    assert gap((x[0], x[0] + 30), (x[0] + 10, x[0] + 10)) == 0


@given(st.floats(-80, 80), st.floats(-179, 179))
def test_a_place_is_zero_km_from_itself(lat, lon):
    assert haversine_km(lat, lon, lat, lon) < 1e-6


def test_kharkiv_to_kyiv_is_about_410_km():
    assert 400 < haversine_km(49.993, 36.231, 50.450, 30.523) < 420
