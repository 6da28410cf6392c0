"""What an idle inspector has not imported: the record builder and the pricing engine come with
the first lookup (imported while its request is on its way), not with the adapter; the record
view (its field rows) on the start-up thread once the start profile is ready, never beside the
first request; another profile's presentations with its first record, not with the config check
that imports its adapter; pydantic with the first record validated, not with the config."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BUILDER = ("evtui.adapters.records", "evtui.adapters.price_section", "evtui.pricing")
#: Not at idle, and not after a Corpay lookup either: an OCPI profile only configured.
OTHERS = ("evtui.adapters.ocpi.cdr", "evtui.adapters.ocpi.session", "evtui.adapters.ocpi.models")
VIEW = ("evtui.tui.record_view", "evtui.tui.fields", "evtui.tui.field_rows")


def imported(code: str) -> list[str]:
    prelude = f"import sys\nBUILDER = {BUILDER!r} + {VIEW!r} + {OTHERS!r}\n"
    out = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_an_adapter_and_the_lookup_module_do_not_bring_the_record_builder_or_view():
    code = """
        import evtui.adapters.api, evtui.adapters.corpay.adapter, evtui.adapters.ocpi.adapter, evtui.lookup, evtui.pool
        print(*(m for m in BUILDER if m in sys.modules))
    """
    assert imported(code) == []


def test_an_idle_inspector_has_no_record_builder_and_its_first_lookup_brings_it(tmp_path):
    # The whole config validated, the start profile's adapter and client made, nothing looked up.
    code = f"""
        import asyncio, os
        os.environ["EVTUI_CONFIG_DIR"] = {str(tmp_path)!r}
        from evtui.demo.server import DemoServer
        from evtui.config.file import read_config
        from evtui.tui.app import EvtuiApp

        async def main():
            with DemoServer() as server:
                path = {str(tmp_path / "config.toml")!r}
                with open(path, "w") as f:
                    f.write(
                        'default_profile = "uat"\\n[profiles.uat]\\nadapter = "corpay"\\n'
                        f'base_url = "{{server.base_url("corpay")}}"\\n'
                        'client_id = "evtui-demo"\\nclient_secret = "demo-client-secret"\\n'
                        '[profiles.ocpi]\\nadapter = "ocpi"\\n'
                        f'versions_url = "{{server.base_url("ocpi")}}/versions"\\ntoken = "a-token"\\n'
                    )
                os.chmod(path, 0o600)
                app = EvtuiApp(read_config(__import__("pathlib").Path(path)))
                async with app.run_test(size=(120, 34)) as pilot:
                    for _ in range(1000):
                        if app.ready and app.validated:  # ready: the start adapter and its client are made
                            break
                        await pilot.pause(0.01)
                    assert app.validated and app.config_error is None
                    print("idle:", *(m for m in BUILDER + ("pydantic",) if m in sys.modules))
                    await pilot.press(*"AAdmD55q8Vz", "enter")
                    for _ in range(1000):
                        if app.main.detail.mode == "record":
                            break
                        await pilot.pause(0.01)
                    assert app.main.detail.mode == "record"
                    print("looked-up:", *(m for m in BUILDER if m in sys.modules))
                    await app.workers.wait_for_complete()
                    print("validated:", *(m for m in ("pydantic",) if m in sys.modules))

        asyncio.run(main())
    """
    out = imported(code)
    # The record view is made ready on the start-up thread, after what the first request needs.
    assert out == ["idle:", *VIEW, "looked-up:", *BUILDER, *VIEW, "validated:", "pydantic"], out


def test_a_record_view_module_half_imported_on_its_thread_is_no_record_view(monkeypatch):
    # The first lookup imports the view on a thread; a key checked meanwhile sees it half made.
    import types

    from textual.widgets import Static

    from evtui.tui import detail

    monkeypatch.setitem(sys.modules, detail.RECORD_VIEW, types.ModuleType(detail.RECORD_VIEW))
    assert detail._is_record_view(Static()) is False
