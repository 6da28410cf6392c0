"""The TUI paints before it validates the config: what the first frame shows, and what follows."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from evtui.config.file import read_config
from evtui.demo.server import DemoServer
from evtui.errors import ConfigError
from evtui.tui import startup
from evtui.tui.app import EvtuiApp
from tests.test_tui import _env, server, settle, until  # noqa: F401


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(textwrap.dedent(text))
    path.chmod(0o600)
    return path


def corpay_file(tmp_path: Path, server: DemoServer, extra: str = "") -> Path:
    return write(
        tmp_path,
        f"""
        default_profile = "uat"
        {extra}
        [profiles.uat]
        adapter = "corpay"
        base_url = "{server.base_url("corpay")}"
        client_id = "evtui-demo"
        client_secret = "demo-client-secret"
        """,
    )


def test_the_tui_modules_import_neither_pydantic_nor_httpx():
    # What the first frame needs must not wait for the adapters' imports (a tenth of a second).
    import subprocess

    code = "import sys, evtui.tui.app, evtui.config.file; print(sorted(m for m in ('pydantic', 'httpx', 'evtui.adapters.base') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


async def test_enter_before_validation_looks_up_once_ready(tmp_path, server):
    app = EvtuiApp(read_config(corpay_file(tmp_path, server)))
    assert not app.ready
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        main.search.input.value = "AAdmD55q8Vz"
        await pilot.press("enter")  # may come before or after validation: either way it is looked up
        await until(pilot, lambda: main.detail.mode == "record", "the record")
        assert app.ready
        assert main.detail.shown.record.record_id == "AAdmD55q8Vz"
        assert "Corpay" in main.switcher.info.title  # the adapter's title replaced the file's name for it
        assert main.switcher.info.environment == "demo"
        await settle(app, pilot)


async def test_a_bad_profile_found_after_the_first_frame_exits_2_with_the_message(tmp_path, server):
    path = write(
        tmp_path,
        f"""
        [profiles.uat]
        adapter = "corpay"
        base_url = "{server.base_url("corpay")}"
        client_id = "evtui-demo"
        client_secret = "demo-client-secret"
        colour = "blue"
        """,
    )
    app = EvtuiApp(read_config(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.config_error is not None, "the config error")
    assert app.return_code == 2
    error = app.config_error
    assert isinstance(error, ConfigError)
    assert "uat" in error.message and "colour" in error.message and str(path) in error.message, error.message


async def test_keymap_and_warnings_arrive_with_validation(tmp_path, server):
    path = corpay_file(tmp_path, server, extra='[keymap]\ntoggle_history = "f12"\n')
    path.chmod(0o644)  # a literal secret readable by others: a warning
    app = EvtuiApp(read_config(path))
    async with app.run_test(size=(120, 34)) as pilot:
        await until(pilot, lambda: app.ready and app.main.switcher.info.title != "corpay", "validated")
        await settle(app, pilot)
        assert any("chmod 600" in str(n.message) for n in app._notifications), [n.message for n in app._notifications]
        shown = app.main.history_shown
        await pilot.press("f12")
        # The panel shows but the focus is in the bar: the remapped key goes to the panel first.
        await until(pilot, lambda: app.main.history_panel.has_focus_within or app.main.history_shown != shown, "f12 is the history key")



def two_profiles(tmp_path: Path, server: DemoServer, other: str) -> Path:
    """The good start profile `uat`, and another one with `other` in it."""
    return write(
        tmp_path,
        f"""
        default_profile = "uat"
        [profiles.uat]
        adapter = "corpay"
        base_url = "{server.base_url("corpay")}"
        client_id = "evtui-demo"
        client_secret = "demo-client-secret"
        [profiles.other]
        {other}
        """,
    )


@pytest.mark.parametrize("beside_after", [None, 0], ids=["checked-after-the-answer", "checked-beside-it"])
async def test_a_bad_other_profile_is_reported_after_the_first_answer(tmp_path, server, monkeypatch, beside_after):
    # With no wait before checking beside the lookup, the check may well end before the answer
    # comes: the answer still shows first, and the app then leaves with the error.
    if beside_after is not None:
        monkeypatch.setattr(startup, "VALIDATE_BESIDE_AFTER", beside_after)
    path = two_profiles(tmp_path, server, 'adapter = "spirii"\nbase_url = "https://spirii.example"\napi_key = "k"\nsize = 3')
    with pytest.raises(ConfigError) as caught:
        read_config(path).validate()
    expected = caught.value.message
    assert "other" in expected and "size" in expected
    app = EvtuiApp(read_config(path), initial_id="AAdmD55q8Vz")
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await until(pilot, lambda: app.config_error is not None, "the config error")
        # Only the start profile stood between `evtui ID` and its answer; the rest of the file
        # was checked after it, and is reported as it always was.
        assert main.detail.mode == "record" and main.detail.shown.record.record_id == "AAdmD55q8Vz"
    assert app.return_code == 2
    assert isinstance(app.config_error, ConfigError) and app.config_error.message == expected


async def test_an_unknown_adapter_elsewhere_is_reported_as_before(tmp_path, server):
    path = two_profiles(tmp_path, server, 'adapter = "acme-not-installed"')
    with pytest.raises(ConfigError) as caught:
        read_config(path).validate()
    app = EvtuiApp(read_config(path))
    async with app.run_test(size=(120, 34)) as pilot:
        await until(pilot, lambda: app.config_error is not None, "the config error")
    assert app.return_code == 2 and app.config_error.message == caught.value.message
    assert "unknown adapter 'acme-not-installed'" in caught.value.message


async def test_when_both_are_bad_the_first_in_the_file_is_reported(tmp_path, server):
    path = write(
        tmp_path,
        f"""
        default_profile = "uat"
        [profiles.early]
        adapter = "corpay"
        base_url = "{server.base_url("corpay")}"
        colour = "blue"
        [profiles.uat]
        adapter = "corpay"
        base_url = "{server.base_url("corpay")}"
        client_id = "evtui-demo"
        client_secret = "demo-client-secret"
        shade = "red"
        """,
    )
    with pytest.raises(ConfigError) as caught:
        read_config(path).validate()
    assert "early" in caught.value.message
    app = EvtuiApp(read_config(path))
    async with app.run_test(size=(120, 34)) as pilot:
        await until(pilot, lambda: app.config_error is not None, "the config error")
    assert app.return_code == 2 and app.config_error.message == caught.value.message


async def test_evtui_id_shows_the_record(tmp_path, server):
    # `evtui AAdmD55q8Vz`: no key pressed; the answer comes on its own and takes the focus.
    app = EvtuiApp(read_config(corpay_file(tmp_path, server)), initial_id="AAdmD55q8Vz")
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await until(pilot, lambda: main.detail.mode == "record", "the record")
        assert main.detail.shown.record.record_id == "AAdmD55q8Vz"
        assert main.search.input.value == "AAdmD55q8Vz"
        assert "Corpay" in main.switcher.info.title
        await until(pilot, lambda: app.validated, "the whole config validated")
        await settle(app, pilot)
        assert app.config_error is None
        assert not main.search.input.has_focus  # the record has it, so its keys work at once


def test_evtui_demo_imports_neither_pydantic_nor_an_adapter_before_the_first_frame():
    # `evtui --demo` takes its profiles as a config.toml is taken: nothing validated before the screen.
    import subprocess

    code = (
        "import sys, evtui.tui.app\n"
        "from evtui.config.file import read_config\n"
        "from evtui.demo.server import DemoServer, demo_file\n"
        "with DemoServer() as server:\n"
        "    file = demo_file(server, read_config())\n"
        "    assert 'demo-corpay' in file.profile_tables\n"
        "print(sorted(m for m in ('pydantic', 'httpx', 'evtui.adapters.base') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


async def test_the_demo_answers_and_offers_every_provider_once_validated(tmp_path, server):
    from evtui.demo.server import demo_file, demo_profiles

    app = EvtuiApp(demo_file(server, read_config()), demo_server=server)
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await pilot.press(*"AAdmD55q8Vz", "enter")
        await until(pilot, lambda: main.detail.mode == "record", "the record")
        assert main.detail.shown.record.profile == "demo-corpay"
        await until(pilot, lambda: app.validated, "the whole config validated")
        assert [info.name for info in main.profile_infos()] == list(demo_profiles(server))
        assert "demo-ocpi211" in main.profile_infos()[-1].name
        await settle(app, pilot)
    assert app.config_error is None and app.state_file.state.last_profile is None


async def test_the_demo_still_reports_a_bad_config_file(tmp_path, server):
    from evtui.demo.server import demo_file

    path = write(tmp_path, "timeout = 5\n[profiles.mine]\nadapter = \"corpay\"\ncolour = \"blue\"\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path).validate()
    app = EvtuiApp(demo_file(server, read_config(path)), demo_server=server)
    async with app.run_test(size=(120, 34)) as pilot:
        await until(pilot, lambda: app.config_error is not None, "the config error")
    assert app.return_code == 2 and app.config_error.message == caught.value.message
