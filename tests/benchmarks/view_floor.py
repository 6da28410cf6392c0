"""The equivalent-view floor: the floor's HTTP, and the widget structure evtui shows for a record.

    python tests/benchmarks/view_floor.py corpay BASE_URL SHAPE_JSON

The same requests as floor.py (one httpx.AsyncClient, the JSON parsed), then
what evtui puts on screen for a record, done the cheap way: a two-line header,
a TabbedContent with evtui's tabs for that record, the Overview tab holding an
OptionList of as many rows as evtui's overview has fields (other tabs are
empty, as evtui fills them only when opened), a side panel where evtui has its
history (F3 shows/hides it) and a Footer with as many keys. The view is
mounted at the first answer and updated in place after: no record is decoded,
nothing is remounted. SHAPE_JSON maps an id to [tab titles, overview rows]
(run.py reads them from evtui's own presentation of each id).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, OptionList, Static, TabbedContent, TabPane

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import Floor  # noqa: E402

#: evtui's footer at 120 columns shows about a dozen keys; these are there to be drawn, not pressed.
FOOTER_KEYS = [("f2", "Provider"), ("f4", "Copy id"), ("f5", "Copy"), ("f6", "JSON"), ("f7", "Refresh"),
               ("f8", "Watch"), ("f9", "Diff"), ("f10", "Save"), ("f11", "Pager"), ("f12", "Keys")]


def leaves(document: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(document, dict):
        return [leaf for k, v in document.items() for leaf in leaves(v, f"{prefix}.{k}" if prefix else k)]
    if isinstance(document, list):
        return [leaf for i, v in enumerate(document) for leaf in leaves(v, f"{prefix}[{i}]")]
    return [(prefix, str(document))]


class RecordView(Vertical):
    def __init__(self, tabs: list[str]) -> None:
        super().__init__()
        self.titles = tabs

    def compose(self) -> ComposeResult:
        yield Static(id="header")
        with TabbedContent():
            for i, title in enumerate(self.titles):
                yield TabPane(title, OptionList(id="fields") if i == 0 else Static(""), id=f"tab-{i}")


class ViewFloor(Floor):
    CSS = """
    #panel.-hidden { display: none; }
    #body { height: 1fr; }
    #record { width: 1fr; }
    #panel { width: 44; border-left: tall $primary; }
    #header { height: 2; padding: 0 1; background: $boost; }
    TabbedContent, ContentSwitcher, TabPane { height: 1fr; }
    OptionList { height: 1fr; border: none; }
    """
    # One action each: the Footer shows one key per action.
    BINDINGS = Floor.BINDINGS + [Binding(key, f"nothing({i})", label) for i, (key, label) in enumerate(FOOTER_KEYS)]

    def __init__(self, mode: str, url: str, shape: dict[str, tuple[list[str], int]]) -> None:
        super().__init__(mode, url)
        self.shape = shape
        self.tabs: list[str] | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="session id", id="q")
        yield Static("session id · Enter looks it up", id="hint")
        with Horizontal(id="body"):
            yield Vertical(id="record")
            yield Static("filter: floor panel", id="panel")
        yield Footer()

    def action_nothing(self, _: int) -> None:
        pass

    async def show(self, doc: dict) -> None:
        record_id = doc["sessionId"]
        tabs, rows = self.shape.get(record_id) or next(iter(self.shape.values()))
        if tabs != self.tabs:  # the first record (or another kind): mount once
            await self.query_one("#record").remove_children()
            await self.query_one("#record").mount(RecordView(tabs))
            self.tabs = tabs
        fields = leaves(doc)
        self.query_one("#fields", OptionList).set_options(
            f"{fields[i % len(fields)][0]:<18} {fields[i % len(fields)][1]}" for i in range(rows)
        )
        self.query_one("#header", Static).update(
            f"session {record_id}  {self.mode} · floor\n{doc.get('sessionStatus')} · {doc.get('site')}"
        )


def main() -> None:
    mode, url, shape = sys.argv[1:]
    ViewFloor(mode, url, {k: (v[0], v[1]) for k, v in json.loads(shape).items()}).run()


if __name__ == "__main__":
    main()
