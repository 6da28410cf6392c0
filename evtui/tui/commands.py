"""Command palette (ctrl+p): profiles, recent ids, copy, history, help.

Our own provider rather than `get_system_commands`, because the system one
parses command names as markup and recent ids are user data: here names are
shown as plain Content and help texts are escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from evtui.textsafe import visible

if TYPE_CHECKING:
    from evtui.tui.app import MainScreen


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    callback: Callable[[], object]
    #: Listed before anything is typed.
    discover: bool = True


def commands_for(screen: MainScreen) -> list[Command]:
    app = screen.app
    out: list[Command] = []
    # Before the config is validated (the first tenth of a second) profiles are not offered.
    for info in screen.profile_infos() if screen.evtui.validated else ():
        current = " (current)" if info.name == screen.profile_name else ""
        out.append(
            Command(
                f"Switch to profile {info.name}{current}",
                f"{info.title} · {info.environment}",
                lambda name=info.name: screen.switch_profile(name),
            )
        )
    shown = screen.detail.shown
    if shown is not None:
        out.append(Command("Copy record id", shown.record.record_id, screen.action_copy_id))
        out.append(Command("Copy JSON", "the whole document, pretty-printed", screen.action_copy_json))
        out.append(Command("Refresh record", "fetch it again from the provider", screen.action_refresh))
        watching = "stop watching" if screen.watching else "fetch it every few seconds until it is final"
        out.append(Command("Watch record" if not screen.watching else "Stop watching", watching, screen.action_toggle_watch))
        out.append(Command("Diff with a fresh fetch", "what changed since this copy", screen.action_diff))
        out.append(Command("Save JSON to a file…", "the body exactly as received", screen.action_export))
        out.append(Command("Open JSON in the pager", "$PAGER, default less", screen.action_pager))
        for related in shown.record.related:
            out.append(
                Command(
                    f"Open {related.title}",
                    f"{related.record_type} {related.record_id}",
                    lambda r=related, p=shown.record.profile: screen.open_related(r, p),
                )
            )
    out.append(Command("Find the id on all profiles", "look the id in the bar up everywhere it fits", screen.action_find_anywhere))
    if len(screen.search.record_types) > 1:
        out.append(Command("Next record type", "cycle the record type of the search bar", screen.action_cycle_record_type))
    out.append(Command("Copy focused value", "the highlighted field, cell or JSON line", screen.action_copy_value))
    out.append(Command("Toggle history panel", "show or hide recent lookups", screen.action_toggle_history))
    out.append(Command("Switch provider…", "open the profile picker", screen.action_switch_profile))
    out.append(Command("Keys", "list every key binding", screen.action_help))
    out.append(Command("Quit", "leave evtui", app.exit))
    for record_id in screen.search.input.recent[:20]:
        out.append(
            Command(
                f"Look up {record_id}",
                f"recent on {screen.profile_name}",
                lambda rid=record_id: screen.lookup_id(rid),
                discover=False,
            )
        )
    return out


class EvtuiCommands(Provider):
    def _screen(self) -> MainScreen | None:
        from evtui.tui.app import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    async def discover(self) -> Hits:
        screen = self._screen()
        if screen is None:
            return
        for cmd in commands_for(screen):
            if cmd.discover:
                name = visible(cmd.name)
                yield DiscoveryHit(Content(name), cmd.callback, text=name, help=escape(visible(cmd.help)))

    async def search(self, query: str) -> Hits:
        screen = self._screen()
        if screen is None:
            return
        matcher = self.matcher(query)
        for cmd in commands_for(screen):
            name = visible(cmd.name)
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name), cmd.callback, text=name, help=escape(visible(cmd.help)))


def _highlight(matcher, name: str) -> Content:
    content = Content(name)
    try:
        _score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    except Exception:  # highlighting is cosmetic
        return content
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher._match_style, offset, offset + 1)
    return content
