"""Make the SVG screenshots of the demo: `python screenshots/make.py [--png DIR]`.

Reproducible: a fresh temporary EVTUI_CONFIG_DIR, TZ=UTC, the demo's fixed
records, history ages that read the same for minutes. With --png, each SVG is
also converted with rsvg-convert into DIR (kept out of the repository) so a
person can look at them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


async def _wait(pilot, condition, tries: int = 1000) -> None:
    for _ in range(tries):
        if condition():
            break
        await pilot.pause(0.01)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _lookup(pilot, record_id: str) -> None:
    """As a person types it: the id and Enter, from wherever the focus is (it goes to the bar)."""
    main = pilot.app.main
    await pilot.press(*record_id, "enter")
    await _wait(pilot, lambda: main.detail.mode in ("record", "error") and main.search.input.value == record_id)


def _seed_history() -> None:
    from evtui.config.paths import history_path
    from evtui.history import HistoryStore

    store = HistoryStore(history_path())
    now = time.time()
    for rid, outcome, summary, ago in (
        ("Q2hhcmdlUGFpZDE", "found", "COMPLETE · Aker Brygge · 349.50 NOK", 26 * 60),
        ("JPYsess0042", "found", "COMPLETE · Shibuya Stream · ¥1,650", 3 * 3600 + 30),
        ("Missing0001", "not_found", "Not found", 2 * 86400 + 30),
    ):
        store.record(profile="demo-corpay", adapter="corpay", record_type="session", record_id=rid,
                     outcome=outcome, summary=summary, when=now - ago)
    store.close()


async def shoot(name: str, size: tuple[int, int], steps, out: Path) -> Path:
    from evtui.demo.server import DemoServer, demo_config
    from evtui.tui.app import EvtuiApp

    with DemoServer() as server:
        app = EvtuiApp(demo_config(server), demo_server=server)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            from textual.widgets import Input

            for box in app.screen.query(Input):
                box.cursor_blink = False  # the same picture whenever it is taken
            await steps(pilot)
            path = out / f"{name}.svg"
            app.save_screenshot(filename=path.name, path=str(out))
    path.chmod(0o600)
    return path


async def overview(pilot) -> None:
    await _lookup(pilot, "AAdmD55q8Vz")


async def raw_json(pilot) -> None:
    await _lookup(pilot, "StopFail001")
    view = pilot.app.main.detail.record_view
    await pilot.press("left_square_bracket", "left_square_bracket")  # from Overview back round to Raw JSON
    from evtui.tui.raw_json import RawJsonPane

    pane = view.query_one(RawJsonPane)
    await _wait(pilot, lambda: pane.prepared is not None)
    await pilot.press("slash", *"EUR")
    await _wait(pilot, lambda: bool(pane.view.matches))


async def payment(pilot) -> None:
    await _lookup(pilot, "StopFail001")
    await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
    await _wait(pilot, lambda: True)


async def error(pilot) -> None:
    await _lookup(pilot, "Missing0001")


async def stacked(pilot) -> None:
    await _lookup(pilot, "Q2hhcmdlUGFpZDE")


async def history_drawer(pilot) -> None:
    await _lookup(pilot, "Q2hhcmdlUGFpZDE")
    await pilot.press("f3")
    await _wait(pilot, lambda: True)


async def history_wide(pilot) -> None:
    await _lookup(pilot, "Q2hhcmdlUGFpZDE")
    await _lookup(pilot, "StopFail001")
    await pilot.press("f3", *"com")  # to the list, then typing filters it
    await _wait(pilot, lambda: True)


async def picker(pilot) -> None:
    await pilot.press("f2")
    await _wait(pilot, lambda: True)


async def watch_changes(pilot) -> None:
    app = pilot.app
    main = app.main
    # Fast polls, and a fixed clock so the Changes tab's times read the same every run.
    app.config.settings = app.config.settings.model_copy(update={"watch_interval": 0.05})
    app.clock = lambda: 1_795_000_000.0
    await _lookup(pilot, "Live0000001")
    await pilot.press("f7")
    await _wait(pilot, lambda: main.watcher.worker is not None and main.watcher.worker.is_finished, tries=3000)
    from evtui.tui.watching import CHANGES_KEY

    main.detail.record_view.tabs.active = f"tab-{CHANGES_KEY}"
    await _wait(pilot, lambda: True)


async def ocpi_chart(pilot) -> None:
    main = pilot.app.main
    await pilot.press("f2", "down", "down", "enter")  # demo-ocpi, the third profile
    await _wait(pilot, lambda: main.profile_name == "demo-ocpi")
    await _lookup(pilot, "CPO-SES-4711")
    view = main.detail.record_view
    section = next(s for s in view.record.sections if s.charts)
    view.tabs.active = f"tab-{section.key}"
    await _wait(pilot, lambda: True)
    from evtui.tui.fields import SectionView

    pane = view.query_one(f"#tab-{section.key} SectionView", SectionView)
    first_chart = pane.query(".chart-title").first()
    pane.scroll_to_widget(first_chart, animate=False, top=True)
    await _wait(pilot, lambda: True)


SHOTS = [
    ("overview-120x34", (120, 34), overview),
    ("raw-json-120x34", (120, 34), raw_json),
    ("payment-100x30", (100, 30), payment),
    ("error-80x24", (80, 24), error),
    ("stacked-60x24", (60, 24), stacked),
    ("history-drawer-60x24", (60, 24), history_drawer),
    ("history-120x34", (120, 34), history_wide),
    ("provider-picker-80x24", (80, 24), picker),
    ("watch-changes-100x30", (100, 30), watch_changes),
    ("ocpi-chart-120x34", (120, 34), ocpi_chart),
]


async def main_async(out: Path) -> list[Path]:
    paths = []
    for name, size, steps in SHOTS:
        paths.append(await shoot(name, size, steps, out))
        print(f"wrote {paths[-1].relative_to(HERE.parent) if paths[-1].is_relative_to(HERE.parent) else paths[-1]}")
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where the SVGs go (default: screenshots/)")
    parser.add_argument("--png", type=Path, metavar="DIR", help="also convert each SVG to PNG in DIR (rsvg-convert)")
    args = parser.parse_args()

    os.umask(0o077)  # the pictures and everything else written here: the owner's only
    config_dir = tempfile.mkdtemp(prefix="evtui-shots-")
    os.environ["EVTUI_CONFIG_DIR"] = config_dir
    os.environ["TZ"] = "UTC"
    os.environ.pop("NO_COLOR", None)
    time.tzset()
    try:
        _seed_history()
        args.out.mkdir(parents=True, exist_ok=True)
        paths = asyncio.run(main_async(args.out))
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)
    if args.png:
        if not shutil.which("rsvg-convert"):
            print("rsvg-convert not found: no PNGs (apt-get install librsvg2-bin)", file=sys.stderr)
            return 1
        args.png.mkdir(parents=True, exist_ok=True)
        for svg in paths:
            png = args.png / (svg.stem + ".png")
            subprocess.run(["rsvg-convert", str(svg), "-o", str(png)], check=True)
            print(f"wrote {png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
