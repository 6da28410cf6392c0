"""The rest of the config is checked beside a slow first answer: when it is bad, the answer
still shows first and the app then leaves with the error, as when the check comes after it."""

from __future__ import annotations

import pytest

from evtui.config.file import read_config
from evtui.errors import ConfigError
from evtui.tui import screen
from evtui.tui.app import EvtuiApp
from tests.test_tui import _env, server, until  # noqa: F401
from tests.test_tui_startup import two_profiles


async def test_a_bad_other_profile_found_beside_the_answer_waits_for_it(tmp_path, server, monkeypatch):
    # No wait before checking beside the lookup: the check may well end before the answer comes.
    monkeypatch.setattr(screen, "VALIDATE_BESIDE_AFTER", 0)
    path = two_profiles(tmp_path, server, 'adapter = "spirii"\nbase_url = "https://spirii.example"\napi_key = "k"\nsize = 3')
    with pytest.raises(ConfigError) as caught:
        read_config(path).validate()
    app = EvtuiApp(read_config(path), initial_id="AAdmD55q8Vz")
    async with app.run_test(size=(120, 34)) as pilot:
        main = app.main
        await until(pilot, lambda: app.config_error is not None, "the config error")
        assert main.detail.mode == "record" and main.detail.shown.record.record_id == "AAdmD55q8Vz"
    assert app.return_code == 2
    assert isinstance(app.config_error, ConfigError) and app.config_error.message == caught.value.message
