"""The start profile's SSL context is made while the app prepares it, beside pydantic's import;
a profile that verifies nothing never loads the CA bundle. In a fresh process: the contexts
live as long as the process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

APP = """
import asyncio, os, pathlib
from evtui.demo.server import DemoServer
from evtui.config.file import read_config
from evtui.transport import tls
from evtui.tui.app import EvtuiApp

async def main(tmp, extra):
    with DemoServer() as server:
        path = pathlib.Path(tmp) / "config.toml"
        path.write_text(
            'default_profile = "uat"\\n[profiles.uat]\\nadapter = "corpay"\\n'
            f'base_url = "{server.base_url("corpay")}"\\n'
            'client_id = "evtui-demo"\\nclient_secret = "demo-client-secret"\\n' + extra
        )
        path.chmod(0o600)
        app = EvtuiApp(read_config(path))
        async with app.run_test(size=(120, 34)) as pilot:
            await pilot.press(*"AAdmD55q8Vz", "enter")
            for _ in range(1000):
                if app.main.detail.mode == "record":
                    break
                await pilot.pause(0.01)
            assert app.main.detail.mode == "record" and app.config_error is None
            await app.workers.wait_for_complete()
        print(sorted(tls._contexts))
"""


@pytest.mark.parametrize(("extra", "contexts"), [("", "[True]"), ("verify_tls = false\n", "[False]")])
def test_the_ca_bundle_is_loaded_only_for_a_profile_that_verifies(tmp_path, extra, contexts):
    code = textwrap.dedent(APP) + f"\nasyncio.run(main({str(tmp_path)!r}, {extra!r}))\n"
    env_code = f"import os; os.environ['EVTUI_CONFIG_DIR'] = {str(tmp_path)!r}\n"
    out = subprocess.run([sys.executable, "-c", env_code + code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[-2] == contexts, out.stdout
