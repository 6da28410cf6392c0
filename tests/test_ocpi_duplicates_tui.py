"""Two OCPI sessions with one id from two parties (as in the OCPI examples): the inspector shows
the most recently updated, says so under Problems, and F9 offers the other party's to open."""

from __future__ import annotations

from pathlib import Path

from evtui.demo.server import DemoServer
from evtui.tui.fields import FieldList
from evtui.tui.pickers import ChoicePicker

from .test_tui import make_app, rendered_text, server, settle, until  # noqa: F401  (server: the fixture)


def _cpo(app) -> str:
    overview = rendered_text(app.main.detail.query(FieldList).first())
    line = next(x for x in overview.splitlines() if x.strip().startswith("CPO "))
    return line.split()[1]


async def test_f9_opens_the_other_partys_session_with_the_same_id(server: DemoServer, config_dir: Path) -> None:  # noqa: F811
    app = make_app(server, profile="demo-ocpi")
    async with app.run_test(size=(140, 40)) as pilot:
        main = app.main
        await until(pilot, lambda: app.focused is main.search.input, "the id field focused")
        await pilot.press(*"101", "enter")
        await until(pilot, lambda: main.detail.mode == "record", "session 101")
        await settle(app, pilot)
        assert _cpo(app) == "BE*BEC"  # the most recently updated of the two
        assert any("have the id '101'" in p for p in main.detail.shown.record.problems)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, ChoicePicker), "the related records")
        listed = rendered_text(app.screen.query_one("#choice-list"))
        assert "Same id from party NL*DMO" in listed and "NL/DMO/101" in listed and "CDR of this session" in listed
        await pilot.press("enter")  # the first: the other party's session
        await until(pilot, lambda: main.detail.shown is not None and main.detail.shown.record.record_id == "NL/DMO/101", "NL*DMO's 101")
        await settle(app, pilot)
        assert _cpo(app) == "NL*DMO"
        assert any("Shown: NL*DMO's, as asked" in p for p in main.detail.shown.record.problems)
        # And back: its one related record is the first party's session, opened at once.
        await pilot.press("f9")
        await until(pilot, lambda: main.detail.shown is not None and main.detail.shown.record.record_id == "BE/BEC/101", "BE*BEC's 101")
        await settle(app, pilot)
        assert _cpo(app) == "BE*BEC"


def test_a_party_qualified_id_is_country_code_party_id_and_id() -> None:
    from evtui.adapters.ocpi.scan import split_party

    assert split_party("NL/DMO/101") == (("NL", "DMO"), "101")
    assert split_party("nl/dmo/A/B") == (("NL", "DMO"), "A/B")
    # Not a party: the id as given.
    assert split_party("101") == (None, "101")
    assert split_party("NLD/DMO/101") == (None, "NLD/DMO/101")
    assert split_party("NL/DMO/") == (None, "NL/DMO/")
