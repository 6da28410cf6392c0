"""What the TUI remembers between runs: a small TOML file beside the config.

The user's config.toml is theirs and is never written; everything the UI
changes on its own (last profile, history panel shown or not) lives here.
The file is private (0600), replaced atomically so a crash or a second evtui
in another tmux pane never leaves half a file, and written only when a value
changed. A state file that cannot be read is ignored: it only holds comforts.

No textual import here: the state is plain data the app reads and updates.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class State:
    #: The profile used last in a non-demo run; demo runs never write it.
    last_profile: str | None = None
    #: Whether the history panel is shown (beside the detail on wide terminals).
    history_visible: bool = True

    def to_toml(self) -> dict[str, Any]:
        # TOML has no null: unset values are left out.
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}


def _from_data(data: dict[str, Any]) -> State:
    state = State()
    last = data.get("last_profile")
    if isinstance(last, str) and last:
        state = replace(state, last_profile=last)
    visible = data.get("history_visible")
    if isinstance(visible, bool):
        state = replace(state, history_visible=visible)
    return state


def load_state(path: Path | None = None) -> State:
    """The remembered state; defaults when the file is missing, unreadable or odd."""
    if path is None:
        from evtui.config.paths import state_path

        path = state_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return State()
    return _from_data(data)


class StateFile:
    """A state plus where it lives; `update` writes only what changed."""

    def __init__(self, path: Path | None = None, state: State | None = None) -> None:
        if path is None:
            from evtui.config.paths import state_path

            path = state_path()
        self.path = path
        self.state = load_state(path) if state is None else state
        #: The last write's failure, for the UI to mention once (None when fine).
        self.error: str | None = None

    def update(self, **changes: Any) -> bool:
        """Apply changes; write the file when any value differs. True when written."""
        new = replace(self.state, **changes)
        if new == self.state:
            return False
        self.state = new
        try:
            save_state(new, self.path)
        except OSError as exc:
            # Remembering is a comfort: a read-only home must not break the app.
            self.error = f"could not save {self.path}: {exc.strerror or exc}"
            return False
        self.error = None
        return True


def save_state(state: State, path: Path) -> None:
    """Write atomically and durably, private to the user."""
    import tomli_w

    from evtui.files import private_dirs, write_private

    private_dirs(path.parent)
    write_private(path, tomli_w.dumps(state.to_toml()).encode("utf-8"), durable=True)
