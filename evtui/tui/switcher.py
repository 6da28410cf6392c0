"""The provider switcher: which profile is in use, and whether it is production.

Always visible left of the search bar, with an environment badge so a test
lookup is never mistaken for production (production gets the warning colour,
and reverse video that survives NO_COLOR). Clicking it, F2 / ctrl+t, or the
command palette opens `ProfilePicker`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.table import Table as RichTable
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from evtui.tui.pickers import ChoicePicker
from evtui.tui.text import badge_style, safe

#: What ProfilePicker returns for its "All profiles" entry (no config would name a profile so).
ALL_PROFILES = "\x00all-profiles"

BADGES = {
    "demo": ("DEMO", "bold reverse green"),
    "test": ("TEST", "bold reverse yellow"),
    "production": ("⚠ PRODUCTION", "bold reverse red"),
}


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    title: str
    environment: str
    adapter: str = ""
    #: `verify_tls = false` in the profile: certificates are not checked.
    tls_off: bool = False


def tls_badge() -> Text:
    return Text(" TLS OFF ", style=badge_style("bold reverse red"), end="")


def env_badge(environment: str) -> Text:
    word, style = BADGES.get(environment, (environment.upper(), "reverse"))
    return Text(f" {word} ", style=badge_style(style), end="")


class ProfileSwitcher(Widget):
    """Shows the current profile; a click asks for the picker."""

    DEFAULT_CSS = """
    ProfileSwitcher {
        width: auto;
        max-width: 50%;
        height: 3;
        padding: 0 1;
        border: tall $border-blurred;
        background: $boost;
        pointer: pointer;
        &:hover { background: $primary 20%; }
        &.-production { border: tall $error; background: $error 15%; }
        &.-test { border: tall $warning 60%; }
    }
    """

    info: reactive[ProfileInfo | None] = reactive(None, layout=True)
    compact: reactive[bool] = reactive(False, layout=True)

    class Clicked(Message):
        """The switcher was clicked: open the picker."""

    def watch_info(self, info: ProfileInfo | None) -> None:
        for env in ("demo", "test", "production"):
            self.set_class(info is not None and info.environment == env, f"-{env}")
        if info is not None:
            tls = " TLS certificates are NOT verified (verify_tls = false)." if info.tls_off else ""
            self.tooltip = Text(f"{info.name}: {info.title} ({info.environment}).{tls} Click or F2 to switch.")

    def render(self) -> Text:
        info = self.info
        if info is None:
            return Text("no profile")
        text = safe(info.name, "bold")
        if not self.compact:
            text.append("  ")
            text.append_text(safe(info.title, "dim"))
        text.append(" ")
        text.append_text(env_badge(info.environment))
        if info.tls_off:
            text.append(" ")
            text.append_text(tls_badge())
        text.append(" ▾", style="dim")
        return text

    def on_click(self) -> None:
        self.post_message(self.Clicked())


class ProfilePicker(ChoicePicker[str]):
    """Pick a profile; Enter chooses, Escape keeps the current one."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="picker_cancel")]
    ID_PREFIX = "picker"

    def __init__(self, profiles: list[ProfileInfo], current: str, *, find_anywhere: bool = False) -> None:
        choices: list[tuple[RenderableType, str]] = [(_profile_row(p, current), p.name) for p in profiles]
        if find_anywhere:
            # "All profiles" last: dismisses with ALL_PROFILES.
            row = Text("  All profiles", style="bold", end="")
            row.append("  look the id in the bar up on every profile it fits (F6)", style="dim")
            choices.append((row, ALL_PROFILES))
        names = [p.name for p in profiles]
        super().__init__(
            "Switch provider profile",
            choices,
            help="↑↓ choose · Enter switch · Esc keep the current one",
            highlight=names.index(current) if current in names else 0,
        )
        self.profiles = profiles
        self.current = current


def _profile_row(p: ProfileInfo, current: str) -> RichTable:
    grid = RichTable.grid(padding=(0, 2), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(no_wrap=True, justify="right")
    name = Text("● " if p.name == current else "  ", style="bold", end="")
    name.append_text(safe(p.name, "bold"))
    badges = env_badge(p.environment)
    if p.tls_off:
        badges = Text.assemble(tls_badge(), " ", badges, end="")
    grid.add_row(name, safe(p.title), badges)
    return grid
