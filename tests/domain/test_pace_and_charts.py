"""Pacing of live campaigns and the geometry of server-drawn charts (no request)."""

from datetime import UTC, datetime, timedelta

from ad_manager.stats.charts import bar_chart, nice_ceiling
from ad_manager.stats.pace import pace

START = datetime(2026, 11, 1, tzinfo=UTC)
END = START + timedelta(days=10)


def test_pace_compares_delivery_with_an_even_spread_of_the_goal():
    halfway = START + timedelta(days=5)
    assert pace(500, 1000, START, END, halfway).status == "on_track"
    assert pace(700, 1000, START, END, halfway).status == "ahead"
    assert pace(300, 1000, START, END, halfway).status == "behind"
    assert pace(300, 1000, START, END, halfway).expected == 500
    assert pace(1000, 1000, START, END, END + timedelta(days=3)).status == "on_track"
    assert pace(10, None, START, END, halfway).status is None
    assert pace(250, 1000, START, END, halfway).progress == 0.25


def test_bar_chart_scales_bars_to_a_round_top_value():
    assert [nice_ceiling(n) for n in (0, 1, 7, 10, 11, 240, 999)] == [1, 1, 10, 10, 20, 500, 1000]
    chart = bar_chart([("18/11", 100, 50, "a"), ("19/11", 200, 200, "b"), ("20/11", 0, 0, "c")])
    first, second, third = chart.bars
    assert second.height == 2 * first.height and third.height == 0
    assert first.inner_height == first.height / 2
    assert second.y + second.height == chart.baseline
    assert chart.ticks[-1][1] == "200" and [label for _, label in chart.labels] == [
        "18/11", "19/11", "20/11"]
    many = bar_chart([(str(i), i, 0, "") for i in range(48)])
    assert len(many.labels) <= 8


def test_report_says_ahead_exactly_when_the_decision_holds_the_campaign_back():
    """One pacing rule: the report's "ahead" is the decision's "yields to the next"."""
    from ad_manager.delivery.creative_choice import ahead_of_pace
    from ad_manager.delivery.records import CampaignInfo

    halfway = START + (END - START) / 2
    fields = dict.fromkeys(CampaignInfo.__dataclass_fields__)
    for delivered in (500, 555, 560, 561, 600):
        info = CampaignInfo(**{**fields, "id": 1, "pace": "even", "goal": 1000,
                               "starts_at": START, "ends_at": END})
        assert (pace(delivered, 1000, START, END, halfway).status == "ahead") == ahead_of_pace(
            info, delivered, halfway)


def test_value_axis_shows_distinct_whole_numbers_even_for_tiny_counts():
    from ad_manager.stats.charts import bar_chart

    cases = ((0, ["0", "1"]), (2, ["0", "1", "2"]), (7, ["0", "2", "4", "6", "8", "10"]),
             (180, ["0", "40", "80", "120", "160", "200"]))
    for most, expected in cases:
        chart = bar_chart([("25/11", most, 0, "")])
        assert [label for _, label in chart.ticks] == expected
