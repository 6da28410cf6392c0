"""The keyboard model of the main screen (README "Keys"; `?` lists them).

* A printable key that nothing where the focus is binds goes to the id bar,
  which takes the focus and the character: the next id is typed straight after
  a lookup. So the record's keys are F-keys and ctrl chords, which no id
  starts with; `?`, `[`, `]`, `-` and `/` are the only printable ones.
* A paste outside a text box lands in the bar, in place of what it held.
* Esc (Backspace, `-`): cancel the lookup in flight, stop a watch, leave the
  history, go back to the record before (the back stack), else to the bar.
* Keys take effect in the order typed, whatever their kind, however fast they
  come (`key_order.py`): an id, Enter and F3 in one burst look the id up, then
  focus the history, and the keys after F3 go where it put the focus.

A mixin of `MainScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.events import Key, Paste
from textual.widgets import Input

from evtui.textsafe import visible
from evtui.tui.history_panel import HistoryList
from evtui.tui.lookups import LOADING_DELAY

if TYPE_CHECKING:
    from evtui.tui.screen import MainScreen

    _Base = MainScreen
else:
    _Base = object

#: Every key of the screen. Letters and digits are left to typing ids.
SCREEN_BINDINGS = [
    Binding("escape,backspace,minus", "back", "Back", id="back", show=False),
    # Keys that move the focus are read by the app before the widget with the focus sees them
    # (priority), after the keys typed before them (KeyOrder): the keys after go where they put it.
    Binding("ctrl+l", "focus_search", "Search", id="focus_search", show=False, priority=True),
    Binding("slash", "focus_search", "Search", id="focus_search_slash", show=False),
    Binding("f2,ctrl+t", "switch_profile", "Provider", id="switch_profile", priority=True),
    Binding("f3", "toggle_history", "History", id="toggle_history", priority=True),
    Binding("f4", "cycle_record_type", "Type", id="record_type"),
    Binding("f5,ctrl+r", "refresh", "Refresh", id="refresh"),
    Binding("f9,ctrl+o", "open_related", "Related", id="open_related"),
    Binding("f7", "toggle_watch", "Watch", id="toggle_watch"),
    Binding("f8", "diff", "Diff", id="diff"),
    Binding("f10", "scan_back", "Scan back", id="scan_back"),
    Binding("ctrl+y", "copy_id", "Copy id", id="copy_id"),
    Binding("ctrl+x", "copy_value", "Copy", id="copy_value"),
    Binding("ctrl+n", "copy_json", "JSON", id="copy_json"),
    Binding("ctrl+s", "export", "Save", id="export"),
    Binding("ctrl+e", "pager", "Pager", id="pager"),
    Binding("f6", "find_anywhere", "All profiles", id="find_anywhere"),
    Binding("right_square_bracket", "step_tab(1)", "Next tab", id="next_tab", show=False),
    Binding("left_square_bracket", "step_tab(-1)", "Previous tab", id="prev_tab", show=False),
    Binding("ctrl+g", "tab_list", "Tabs", id="tab_list"),
    Binding("question_mark,f1", "help", "Keys", id="help"),
]


def type_into(box: Input, text: str) -> None:
    """As if typed in `box`: over its selection (Esc and ctrl+l select the bar's id), else at the cursor."""
    selection = box.selection
    if selection.is_empty:
        box.insert_text_at_cursor(text)
    else:
        box.replace(text, *selection)


class KeyboardRouting(_Base):
    def focus_bar(self, text: str | None = None) -> None:
        """The id bar takes the focus (and, given `text`, holds just that: the start of a new id)."""
        self.drawer_open = False
        bar = self.search.input
        if text is not None:
            bar.start_with(text)
        else:
            bar.select_everything()  # typing replaces the id shown; → keeps it to edit
        # At once, not after a refresh as `focus()` does: the next key of a fast typist goes here.
        self.set_focus(bar)

    def moves_focus(self, key: str) -> bool:
        """Whether `key` runs one of the screen's focus-moving keys (its priority bindings, as
        remapped), which `KeyOrder` holds until the keys typed before it are handled."""
        keymap = self.app._keymap  # the remapped keys by binding id (Textual has no public reader)
        for binding in SCREEN_BINDINGS:
            if binding.priority:
                keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
                if key in (k.strip() for k in keys.split(",")):
                    return True
        return False

    def submit_bar(self) -> None:
        """Look up what the bar holds, at once (not by a message that keys behind it could overtake)."""
        bar = self.search.input
        if self.lookup_id(bar.value, self.search.record_type) and self.focused is bar:
            # Typed while the answer is on its way, the next id replaces this one (not appended).
            # Drawn with the answer's frame (the focus leaves the bar), or with the loading view.
            bar.select_everything(paint=False)
            self.set_timer(LOADING_DELAY, bar.paint_selection, name="paint-selection")

    def on_key(self, event: Key) -> None:
        """A printable key nothing here binds: the start of the next id.

        A text box handles its own printable keys, so one that arrives here came from
        elsewhere: keys typed fast are queued to the widget that had the focus when the app
        read them, and reach it after a key before them moved the focus (the first letter of
        an id; a text box that lost the focus passes them on). They go where the focus is now:
        into its text box (even `-` or `/`, keys elsewhere), the history filter when the list
        has it, else the bar.

        Enter in the bar, or one that comes the same way (typed before the screen gave the bar
        its focus, or queued behind the id's first letter), looks the bar's id up: the id and
        its Enter were typed together, and the Enter must not be lost. (Typed before the
        terminal left cooked mode, Enter is a line feed: ctrl+j, which is therefore no shortcut.)"""
        focused = self.focused
        if event.key in ("enter", "ctrl+j") and (focused is None or focused is self.search.input):
            event.stop()
            event.prevent_default()
            if focused is None:
                self.set_focus(self.search.input)
            self.submit_bar()
            return
        if not event.is_printable or not event.character:
            return
        if isinstance(focused, Input):
            event.stop()
            event.prevent_default()
            type_into(focused, event.character)
            return
        if event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        if isinstance(focused, HistoryList):
            self.history_panel.type_into_filter(event.character)
        else:
            self.focus_bar(event.character)

    def on_paste(self, event: Paste) -> None:
        """A paste outside a text box is an id: the bar takes it, in place of what it held."""
        if isinstance(self.focused, Input):
            return
        event.stop()
        self.focus_bar(event.text.strip())

    def action_back(self) -> None:
        if self.lookups.cancel():
            self.focus_bar()
            return
        if self.stop_watch("Stopped watching."):
            return
        if self.drawer_open or self.history_panel.has_focus_within:
            self.focus_bar()
            return
        if self.go_back():
            return
        self.focus_bar()

    def push_back(self) -> None:
        view = self.detail.record_view
        if view is not None and self.detail.shown is not None:
            self.back_stack.push(view.shown, view.place())

    def go_back(self) -> bool:
        """The record before the last one opened from it, with its tab and place."""
        entry = self.back_stack.pop()
        if entry is None:
            return False
        shown, place = entry
        record = shown.record
        if record.profile != self.profile_name and not self.apply_profile(record.profile):
            return False
        self.lookups.cancel(say=False)
        self.show_type(record.record_type)
        self.search.input.value = record.record_id

        async def show() -> None:
            view = await self.detail.show_record(shown, now=self.evtui.clock(), tab=place.tab)
            self.refresh_bindings()
            self.join_validation(record)  # left for a newer record before its validation was done

            def settle() -> None:
                view.focus_content()
                view.go_to(place)

            self.call_after_refresh(settle)

        self.run_worker(show(), group="lookup", exclusive=True, exit_on_error=False)
        self.notify(visible(f"Back to {record.record_type} {record.record_id}"), markup=False, timeout=2)
        return True

    def action_focus_search(self) -> None:
        self.focus_bar()

    def action_toggle_history(self) -> None:
        if not self.narrow:
            if not self.history_visible:
                self.history_visible = True
                self._remember(history_visible=True)
                self.history_panel.focus_list()
            elif not self.history_panel.has_focus_within:
                self.history_panel.focus_list()  # shown but elsewhere: go there first
            else:
                self.history_visible = False
                self._remember(history_visible=False)
                self.focus_bar()
        elif not self.drawer_open:
            self.drawer_open = True
            self.history_panel.focus_list()
        else:
            self.focus_bar()

