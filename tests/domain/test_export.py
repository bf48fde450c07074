"""The CSV export: columns, totals, streaming, and the same through the shell."""

import csv
import io
import types
from datetime import UTC, date, datetime, timedelta

from ad_manager.extensions import db
from ad_manager.stats.export import COLUMNS, csv_lines, spreadsheet_text
from ad_manager.stats.reports import Period, figures
from ad_manager.stats.rollup import rollup
from tests.factories import REPORT_NOW as NOW
from tests.factories import banner_shown, count_events, fill_reports, make_world


def parse(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_the_design_columns_and_the_report_totals(app):
    world = make_world(now=NOW)
    fill_reports(world)
    period = Period(start=date(2026, 11, 18), end=date(2026, 11, 20))
    lines = csv_lines(period)
    assert isinstance(lines, types.GeneratorType)
    text = "".join(lines)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert COLUMNS == ["date", "site", "layout", "placement", "zone", "insert", "campaign",
                       "creative", "served", "rendered", "viewable", "clicks", "not_placed",
                       "filtered", "filtered_bot", "filtered_excluded", "filtered_origin",
                       "filtered_prefetch", "filtered_rate", "filtered_order", "filtered_replay",
                       "revenue", "ecpm"]
    rows = parse(text)
    total = figures(period)
    for column in ("served", "rendered", "viewable", "clicks"):
        assert sum(int(row[column]) for row in rows) == getattr(total, column)
    banner = [row for row in rows if row["zone"] == "sous-titre"]
    assert {row["date"] for row in banner} == {"2026-11-18", "2026-11-20"}
    first = banner[0]
    assert (first["site"], first["layout"], first["campaign"], first["creative"], first["insert"],
            first["placement"]) == ("quotidien", "article", "Rentrée littéraire", "Bannière", "",
                                    str(world.zone_placement.id))
    links = [row for row in rows if row["insert"] == "a-lire-aussi"]
    assert sum(int(row["clicks"]) for row in links) == 3


def test_csv_sums_rolled_up_and_hourly_rows_of_a_day_into_one_row(app):
    world = make_world(now=NOW)
    fill_reports(world)
    period = Period(start=date(2026, 11, 18), end=date(2026, 11, 20))
    before = parse("".join(csv_lines(period)))
    rollup(now=NOW, after_days=1)
    late = NOW - timedelta(days=2)  # a late fold brings an hour of a rolled-up day back
    count_events(world, late, [(banner_shown(world, "late"), "served")])
    after = parse("".join(csv_lines(period)))
    assert len(after) == len(before)
    assert sum(int(r["served"]) for r in after) == sum(int(r["served"]) for r in before) + 1


def test_report_command_prints_the_csv_with_filters(app, runner):
    world = make_world(now=NOW)
    fill_reports(world)
    result = runner.invoke(args=["report", "--csv", "--from", "2026-11-18", "--to", "2026-11-20",
                                 "--site", "quotidien", "--zone", "sous-titre"])
    assert result.exit_code == 0, result.output
    rows = parse(result.output)
    assert rows and {row["zone"] for row in rows} == {"sous-titre"}
    assert sum(int(row["rendered"]) for row in rows) == 4
    result = runner.invoke(args=["report", "--csv", "--site", "nowhere"])
    assert result.exit_code != 0 and "no site" in result.output
    today = datetime.now(UTC).date().isoformat()
    result = runner.invoke(args=["report", "--csv", "--to", today])
    assert result.exit_code == 0 and result.output.startswith("date,site,")


def test_every_formula_start_is_neutralised_and_plain_text_is_kept():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_text(start + "SUM(A1:A9)") == "'" + start + "SUM(A1:A9)"
    assert spreadsheet_text("Noël 2026") == "Noël 2026"
    assert spreadsheet_text("") == ""


def test_report_command_neutralises_names_a_spreadsheet_would_run(app, runner):
    world = make_world(now=NOW)
    fill_reports(world)
    world.campaign.name = '=HYPERLINK("http://evil","x")'
    world.banner.name = "@SUM(1+1)"
    world.insert.slug = "-2+3"
    db.session.commit()
    for dialect in ([], ["--excel-fr"]):
        result = runner.invoke(args=["report", "--csv", "--from", "2026-11-18", "--to",
                                     "2026-11-20", *dialect])
        assert result.exit_code == 0, result.output
        delimiter = ";" if dialect else ","
        lines = list(csv.reader(io.StringIO(result.output.lstrip("\ufeff")),
                                delimiter=delimiter))
        cells = {cell for line in lines for cell in line}
        assert {"'=HYPERLINK(\"http://evil\",\"x\")", "'@SUM(1+1)", "'-2+3"} <= cells
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t"))]
