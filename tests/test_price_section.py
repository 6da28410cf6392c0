"""The Price check section: on every record the engine can check, built with the record,
its verdict in the summary line; in the TUI a tab reached by keys."""

from __future__ import annotations

from evtui.adapters.price_section import price_section, verdict_words
from evtui.pricing import check_price
from evtui.tui.pickers import ChoicePicker
from tests.test_tui import look_up, make_app, rendered_text, server, switch_profile_by_keys, until  # noqa: F401

TARIFF = {
    "country_code": "NL", "party_id": "TST", "id": "T1", "currency": "EUR",
    "elements": [{"price_components": [{"type": "ENERGY", "price": "0.30", "vat": 20, "step_size": 1}]}],
    "last_updated": "2026-01-01T00:00:00Z",
}


def cdr(total_excl: str, total_incl: str | None) -> dict:
    total = {"excl_vat": total_excl} if total_incl is None else {"excl_vat": total_excl, "incl_vat": total_incl}
    return {
        "id": "C1", "currency": "EUR", "start_date_time": "2026-03-02T10:00:00Z", "end_date_time": "2026-03-02T11:00:00Z",
        "total_energy": 10, "total_time": 1, "tariffs": [TARIFF], "total_cost": total,
        "charging_periods": [
            {"start_date_time": "2026-03-02T10:00:00Z", "tariff_id": "T1", "dimensions": [{"type": "ENERGY", "volume": 10}]}
        ],
    }


def test_matching_cdr_shows_lines_totals_and_verdict():
    check = check_price(cdr("3.00", "3.60"), time_zone="Europe/Amsterdam")
    sec = price_section(check)
    fields = {f.label: f for f in sec.fields}
    assert (sec.key, sec.title) == ("price", "Price check")
    assert fields["Verdict"].value.startswith("matches") and fields["Verdict"].flag is None
    assert fields["total_cost"].value == "provider 3.00 EUR excl. / 3.60 EUR incl. · computed 3.00 EUR excl. / 3.60 EUR incl."
    assert fields["total_cost"].note == "matches"
    (table,) = sec.tables
    assert table.columns[1:8] == ("dimension", "volume", "step-rounded", "price", "excl. VAT", "VAT", "incl. VAT")
    (row,) = list(table.rows)
    assert row[1:8] == ("ENERGY", "10 kWh", "10 kWh", "0.3 EUR", "3", "0.6 (20%)", "3.6")
    assert row[8].startswith("T1 element 0: ")
    assert verdict_words(check) == "price matches"


def test_differing_cdr_names_the_difference_and_its_reason():
    check = check_price(cdr("3.00", "3.00"), time_zone="Europe/Amsterdam")
    sec = price_section(check)
    fields = {f.label: f for f in sec.fields}
    assert fields["Verdict"].flag == "invalid"
    assert fields["Verdict"].value == "differs by +0.00 EUR excl. VAT / -0.60 EUR incl. VAT"
    assert any(f.label.startswith("Reason") and "VAT missing" in f.value for f in sec.fields)
    assert fields["total_cost"].note == "differs by +0.00 EUR excl. / -0.60 EUR incl."
    assert verdict_words(check) == "price differs by -0.60 EUR incl. VAT"


def test_cdr_without_tariffs_cannot_be_checked_and_says_what_is_missing():
    document = cdr("3.00", "3.60")
    del document["tariffs"]
    check = check_price(document)
    fields = {f.label: f for f in price_section(check).fields}
    assert fields["Verdict"].flag == "missing"
    assert "no tariff" in fields["Missing 1"].value
    assert verdict_words(check) == "price cannot be checked"


async def test_price_check_tab_by_keys(server):
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await switch_profile_by_keys(app, pilot, "demo-ocpi")
        main = app.main
        for _ in main.search.record_types:
            if main.search.record_type == "cdr":
                break
            await pilot.press("f4")
        assert main.search.record_type == "cdr"
        await look_up(app, pilot, "CPO-CDR-4711")
        view = main.detail.record_view
        assert "price matches" in main.detail.shown.record.summary
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, ChoicePicker), "the tab list")
        assert "Price check" in [str(title) for title, _ in app.screen.choices]
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ChoicePicker), "the tab list closed")
        for _ in range(len(view.tab_titles())):
            if view.tabs.active == "tab-price":
                break
            await pilot.press("right_square_bracket")
        await until(pilot, lambda: view.tabs.active == "tab-price", "the Price check tab")
        shown = "\n".join(rendered_text(w) for w in view.query("#tab-price *") if w.region.area)
        assert "Verdict" in shown and "matches" in shown
        assert "ENERGY" in shown


def test_demo_cdrs_check_from_the_command_line(config_dir) -> None:
    from evtui.demo.ocpi import PRICED_CDRS
    from tests.test_check_cli import lines_of, summary_of
    from tests.test_cli import no_traceback, run

    result = run("check", "--demo", "-p", "demo-ocpi", "--type", "cdr", "-", input="".join(f"{i}\n" for i in PRICED_CDRS))
    no_traceback(result)
    assert result.returncode == 6, result.stderr  # three prices differ
    lines = lines_of(result.stdout)
    assert list(lines) == list(PRICED_CDRS)
    for record_id, reason in PRICED_CDRS.items():
        if reason == "matches":
            assert lines[record_id].split(None, 2)[1:] == ["found", "matches (within 0.01 EUR)"], lines[record_id]
        else:
            assert "found      differs by " in lines[record_id] and reason in lines[record_id], lines[record_id]
    summary = summary_of(result.stdout)
    assert (summary["price matches"], summary["price differs"]) == ("2", "3  (in total +4.80 EUR)")
