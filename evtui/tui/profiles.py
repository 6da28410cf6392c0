"""Which profile (provider) the screen works on: the switcher, the bar's record types and
hint, the welcome text and the recent ids follow it. F2 opens the picker.

A mixin of `MainScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from evtui.errors import EvtuiError
from evtui.textsafe import visible
from evtui.tui.detail import welcome_text
from evtui.tui.errors import Failure
from evtui.tui.switcher import ALL_PROFILES, ProfileInfo, ProfilePicker

if TYPE_CHECKING:
    from evtui.adapters.base import Adapter
    from evtui.tui.screen import MainScreen

    _Base = MainScreen
else:
    _Base = object


class Profiles(_Base):
    # (Textual's @on handlers are collected from MessagePump classes only: the screen routes
    # the Select and switcher messages here.)
    def profile_infos(self) -> list[ProfileInfo]:
        infos = []
        for name, profile in self.evtui.config.profiles.items():
            try:
                infos.append(_info(name, self.evtui.pool.get(name)))
            except EvtuiError:
                infos.append(ProfileInfo(name, f"adapter {profile.adapter!r} unavailable", "production", profile.adapter))
        return infos

    def apply_profile(self, name: str) -> bool:
        """Make `name` current: switcher, placeholder, record types, recent ids, welcome."""
        try:
            adapter = self.evtui.pool.get(name)
        except EvtuiError as exc:
            self.detail.show_error(Failure.of(exc, f"profile {name}"))
            return False
        self.profile_name = name
        self.switcher.info = _info(name, adapter)
        rt = adapter.record_type()
        self.search.input.placeholder = rt.id_hint
        self.search.set_record_types([(t.title, t.name) for t in adapter.record_types])
        self.search_message.show_hint(self._bar_hint(adapter))
        self.refresh_bindings()
        welcome = welcome_text(
            record_title=rt.title,
            id_hint=rt.id_hint,
            examples=self.evtui.examples.get(name, ()),
            profile=name,
            provider=adapter.title,
        )
        self.detail.update_welcome(welcome)
        self.load_recent()
        return True

    @staticmethod
    def _bar_hint(adapter: Adapter, record_type: str | None = None) -> str:
        rt = adapter.record_type(record_type)
        types = " · F4 record type" if len(adapter.record_types) > 1 else ""
        return f"{rt.title} id on {adapter.title} · Enter looks it up · ↑↓ recent ids{types} · F2 another provider"

    def record_type_chosen(self, value: object) -> None:
        """The placeholder and the hint follow the record type chosen."""
        if not isinstance(value, str):
            return
        try:
            rt = self.adapter.record_type(value)
        except EvtuiError:
            return
        self.search.input.placeholder = rt.id_hint
        if not self.search_message.has_class("-error"):
            self.search_message.show_hint(self._bar_hint(self.adapter, rt.name))

    def action_cycle_record_type(self) -> None:
        chosen = self.search.cycle_record_type()
        if chosen is not None:
            title = self.adapter.record_type(chosen).title
            self.notify(visible(f"Record type: {title}"), markup=False, timeout=2)

    def switch_profile(self, name: str) -> None:
        if name == self.profile_name:
            return
        if self.apply_profile(name):
            self.evtui.remember_profile(name)
            self.notify(visible(f"Provider: {name} ({self.adapter.title}, {self.adapter.environment})"), markup=False, timeout=3)

    def action_switch_profile(self) -> None:
        def chosen(name: str | None) -> None:
            if name == ALL_PROFILES:
                self.action_find_anywhere()
            elif name:
                self.switch_profile(name)

        has_id = bool(self.search.input.value.strip())
        self.app.push_screen(ProfilePicker(self.profile_infos(), self.profile_name, find_anywhere=has_id), chosen)

    @work(exclusive=True, group="recent", exit_on_error=False)
    async def load_recent(self) -> None:
        ids = await self.evtui.history.recent_ids(self.profile_name)
        self.search.input.set_recent(ids)


def _info(name: str, adapter: Adapter) -> ProfileInfo:
    return ProfileInfo(name, adapter.title, adapter.environment, adapter.name, tls_off=not adapter.settings.verify_tls)
