"""What the keys do to the record on screen: copy, save, page, tabs, help.

A mixin of `MainScreen`; the calls into clipboard, export and the pager are
as they were (their modules are their owners').
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from evtui.record import Record
from evtui.textsafe import visible
from evtui.tui.clipboard import copy_text
from evtui.tui.pickers import ChoicePicker
from evtui.tui.raw_json import RawJsonPane, prepare
from evtui.tui.text import human_size, safe

if TYPE_CHECKING:
    from evtui.tui.screen import MainScreen

    _Base = MainScreen
else:
    _Base = object


class RecordActions(_Base):
    # -- tabs -----------------------------------------------------------------------------

    def action_step_tab(self, delta: int) -> None:
        view = self.detail.record_view
        if view is not None and self.detail.mode == "record":
            view.step_tab(delta)

    def action_tab_list(self) -> None:
        """Every tab by name: the way to a tab the width cuts off."""
        view = self.detail.record_view
        if view is None or self.detail.mode != "record":
            return
        titles = view.tab_titles()
        active = view.tabs.active
        choices = [(safe(title), pane_id) for pane_id, title in titles]

        def chosen(pane_id: str | None) -> None:
            if pane_id is not None and view.is_attached:
                view.open_tab(pane_id)

        ids = [pane_id for pane_id, _ in titles]
        self.app.push_screen(
            ChoicePicker("Go to tab", choices, highlight=ids.index(active) if active in ids else 0), chosen
        )

    # -- copy -----------------------------------------------------------------------------

    def action_copy_id(self) -> None:
        shown = self.detail.shown
        if shown is None:
            return
        record = shown.record
        copy_text(self.app, record.record_id, f"{record.record_type} id {record.record_id}")

    def action_copy_value(self) -> None:
        node = self.focused
        while node is not None:
            target = getattr(node, "copy_target", None)
            if callable(target):
                found = target()
                if found is not None:
                    text, what = found
                    copy_text(self.app, text, _short(what))
                    return
            node = node.parent  # type: ignore[assignment]
        self.notify("Nothing to copy here: highlight a field, a table cell or a JSON line first.", timeout=3)

    def action_copy_json(self) -> None:
        shown = self.detail.shown
        if shown is None:
            return
        for pane in self.detail.query(RawJsonPane):
            if pane.prepared is not None and pane.raw == shown.record.raw:
                self._copy_json_text(pane.prepared.text)
                return
        self._prepare_and_copy(shown.record.raw)

    @work(thread=True, exclusive=True, group="copy-json", exit_on_error=False)
    def _prepare_and_copy(self, raw: bytes) -> None:
        text = prepare(raw).text
        self.app.call_from_thread(self._copy_json_text, text)

    def _copy_json_text(self, text: str) -> None:
        copy_text(self.app, text, f"{human_size(len(text.encode('utf-8')))} of JSON")

    # -- export and pager ---------------------------------------------------------------------

    def action_export(self) -> None:
        from evtui.tui.export import ConfirmScreen, ExportScreen  # on first use: idle memory

        shown = self.detail.shown
        if shown is None:
            return
        record = shown.record

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if path.exists():
                question = safe(f"{path} exists. Replace it with this record ({human_size(len(record.raw))})?")

                def confirmed(yes: bool | None) -> None:
                    if yes:
                        self._save(record, path)
                    else:
                        self.notify("Not saved: the existing file is unchanged.", timeout=3)

                self.app.push_screen(ConfirmScreen(question), confirmed)
                return
            self._save(record, path)

        self.app.push_screen(ExportScreen(record, human_size(len(record.raw))), chosen)

    @work(thread=True, group="export", exit_on_error=False)
    def _save(self, record: Record, path: Path) -> None:
        from evtui.tui.export import write_bytes

        try:
            write_bytes(path, record.raw)
        except OSError as exc:
            self.app.call_from_thread(
                self.notify, visible(f"Could not save to {path}: {exc.strerror or exc}"), severity="error", markup=False, timeout=8
            )
            return
        self.app.call_from_thread(self.notify, visible(f"Saved {human_size(len(record.raw))} to {path}"), markup=False, timeout=6)

    def action_pager(self) -> None:
        shown = self.detail.shown
        if shown is not None:
            self._page(shown.record)

    @work(exclusive=True, group="pager", exit_on_error=False)
    async def _page(self, record: Record) -> None:
        from evtui.tui.pager import page_json  # on first use: it brings TextArea (0.6 MB)

        await page_json(self.app, record)

    # -- help -----------------------------------------------------------------------------------

    def action_help(self) -> None:
        from evtui.tui.app import EvtuiApp
        from evtui.tui.help import HelpScreen
        from evtui.tui.history_panel import HistoryList
        from evtui.tui.raw_json import JsonView
        from evtui.tui.screen import MainScreen
        from evtui.tui.search import SearchInput

        groups = [
            ("Outside text boxes (F-keys and ctrl keys in the bar too)", MainScreen),
            ("Search bar", SearchInput),
            ("History list (printable keys filter it)", HistoryList),
            ("Raw JSON tab", RawJsonPane),
            ("Raw JSON view", JsonView),
            ("Everywhere", EvtuiApp),
        ]
        self.app.push_screen(HelpScreen(groups))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
