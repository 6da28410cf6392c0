"""Keys sent in one burst take effect in the order typed, whatever their kind (issue 12's keyboard model).

A terminal hands the app what it read in one go: tmux `send-keys`, a paste-and-Enter, a fast
typist. The driver posts every key of such a burst to the app before the app handles the first.
`pilot.press` cannot show that race: it waits for the app to be idle after each key. So these
tests post the keys to the app back to back, as the driver does (`app.post_message(Key)`), and
then wait for what the screen shows. Nothing else in a scenario touches the app but keys.

The focus-moving keys (F3, ctrl+l, F2 / ctrl+t) run as the app reads them, before the widget with
the focus has handled the keys typed before them; they used to move the focus first, so an id
typed before F3 went into the history filter and its Enter re-opened the top history entry.
"""

from __future__ import annotations

import pytest
from textual import events

from evtui.tui.fields import FieldList
from evtui.tui.switcher import ProfilePicker
from tests.test_tui import _env, make_app, server, settle, until  # noqa: F401
from tests.test_tui_keys import header, shown_id, type_id

#: What a terminal sends for the keys that are no character.
CHARACTERS = {"enter": "\r", "ctrl+l": "\x0c", "ctrl+t": "\x14", "escape": "\x1b", "minus": "-"}


def burst(app, *keys: str) -> None:
    """Keys as the driver posts one read of the terminal: all queued before the first is handled.
    Each is a character or a Textual key name ("f3", "enter", "down")."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


def history_focused(app) -> bool:
    return app.focused is app.main.history_panel.list


async def test_an_id_enter_and_f3_in_one_burst_look_the_id_up_then_focus_the_history(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        assert isinstance(app.focused, FieldList), "the record has the focus"
        history = app.main.history_panel
        await until(pilot, lambda: len(history.list.entries) == 1, "one history entry")
        burst(app, *"JPYsess0042", "enter", "f3")
        await until(pilot, lambda: shown_id(app) == "JPYsess0042", "the lookup of the id typed before F3")
        await settle(app, pilot)
        assert app.main.search.input.value == "JPYsess0042"
        assert history.filter_input.value == "", "no letter of the id went to the history filter"
        assert history_focused(app), "F3, typed last, left the focus on the history list"
        assert "session JPYsess0042" in header(app)


async def test_a_failed_lookup_leaves_the_focus_where_f3_typed_after_its_enter_put_it(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        history = app.main.history_panel
        await until(pilot, lambda: len(history.list.entries) == 1, "one history entry")
        burst(app, *"Missing0001", "enter", "f3")
        await until(pilot, lambda: app.main.detail.mode == "error", "the not-found panel")
        await settle(app, pilot)
        assert history_focused(app), "the failure panel took away the focus F3 gave the history"
        burst(app, "f3")  # and back: the bar, to fix the id
        await until(pilot, lambda: app.focused is app.main.search.input, "F3 again gives the bar the focus")


async def test_letters_after_f3_in_the_same_burst_filter_the_history(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        await type_id(app, pilot, "JPYsess0042")
        history = app.main.history_panel
        await until(pilot, lambda: len(history.list.entries) == 2, "two history entries")
        burst(app, "f3", *"AAd")
        await until(pilot, lambda: history.filter_input.value == "AAd", "the filter got every letter")
        await until(pilot, lambda: [e.record_id for e in history.list.entries] == ["AAdmD55q8Vz"], "filtered")
        assert app.main.search.input.value == "JPYsess0042", "nothing went to the bar"
        assert app.focused is history.filter_input


async def test_an_id_enter_f3_and_a_filter_in_one_burst_each_go_where_they_were_typed(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        history = app.main.history_panel
        burst(app, *"JPYsess0042", "enter", "f3", *"AAd")
        await until(pilot, lambda: shown_id(app) == "JPYsess0042", "the lookup of the id typed before F3")
        await until(pilot, lambda: history.filter_input.value == "AAd", "the letters after F3 in the filter")
        # (Not `settle`: the filter's loads cancel each other, which waiting for every worker reports.)
        await until(pilot, lambda: not app.main.lookups.busy, "the lookup done")
        await until(pilot, lambda: [e.record_id for e in history.list.entries] == ["AAdmD55q8Vz"], "filtered")
        assert app.main.search.input.value == "JPYsess0042"
        assert app.focused is history.filter_input, "the answer did not take the focus from the filter"


async def test_an_id_enter_and_ctrl_l_in_one_burst_look_the_id_up_and_leave_the_bar_focused(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        bar = app.main.search.input
        burst(app, *"JPYsess0042", "enter", "ctrl+l")
        await until(pilot, lambda: shown_id(app) == "JPYsess0042", "the lookup of the id typed before ctrl+l")
        await settle(app, pilot)
        assert bar.value == "JPYsess0042", "ctrl+l selected the id, nothing was appended to the one before"
        assert app.focused is bar, "ctrl+l, typed last, left the focus on the bar"
        assert bar.selected_text == "JPYsess0042", "the id selected: typing replaces it"
        burst(app, *"Q2hhcmdlUGFpZDE", "enter")
        await until(pilot, lambda: shown_id(app) == "Q2hhcmdlUGFpZDE", "the next id typed over the selection")


async def test_an_id_enter_and_f2_in_one_burst_look_the_id_up_and_open_the_picker(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        burst(app, *"JPYsess0042", "enter", "f2")
        await until(pilot, lambda: isinstance(app.screen, ProfilePicker), "the profile picker")
        await until(pilot, lambda: shown_id(app) == "JPYsess0042", "the lookup of the id typed before F2")
        assert app.main.search.input.value == "JPYsess0042"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main, "the picker closed")
        assert app.main.profile_name == "demo-corpay"


async def test_an_id_enter_and_f2_in_one_burst_from_the_bar_look_the_id_up_and_open_the_picker(server):
    """From the bar, the Enter goes up to the app's bindings: F2 run first made it the picker's Enter."""
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        await pilot.press("ctrl+l")  # the bar, the id selected: typing replaces it
        bar = app.main.search.input
        assert app.focused is bar
        burst(app, *"JPYsess0042", "enter", "f2")
        await until(pilot, lambda: shown_id(app) == "JPYsess0042", "the lookup of the id typed before F2")
        assert isinstance(app.screen, ProfilePicker), "the picker still open"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main, "the picker closed")


async def test_ctrl_t_then_keys_in_one_burst_go_to_the_picker(server):
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        burst(app, "ctrl+t", "down", "enter")
        await until(pilot, lambda: app.main.profile_name == "demo-spirii", "the next profile chosen in the picker")
        assert app.screen is app.main
        assert app.main.search.input.value == "AAdmD55q8Vz", "no key went to the bar"


@pytest.mark.parametrize("leaving", ["f3", "escape"])
async def test_keys_after_leaving_the_history_filter_go_to_the_bar(server, leaving):
    """F3 from inside hides the history and gives the bar its id, selected. Esc is no priority key:
    it is handled after the keys before it, but the keys after it were already handed to the
    filter. Either way a text box that has lost the focus passes them on."""
    app = make_app(server)
    async with app.run_test(size=(120, 34)) as pilot:
        await type_id(app, pilot, "AAdmD55q8Vz")
        history = app.main.history_panel
        burst(app, "f3", *"AAd")
        await until(pilot, lambda: history.filter_input.value == "AAd", "the filter typed")
        burst(app, leaving, *"JPYsess0042", "enter")
        await until(pilot, lambda: shown_id(app) == "JPYsess0042", f"the id typed after {leaving} looked up")
        assert history.filter_input.value == "AAd", f"nothing typed after {leaving} went into the filter"
        if leaving == "f3":
            assert not app.main.history_visible
