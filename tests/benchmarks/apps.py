"""The three apps (one-line floor, equivalent-view floor, evtui), their config, the demo server, history stores.

Everything a measure needs before it presses a key; the measures are in measures/.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PY = sys.executable
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

TYPICAL = "AAdmD55q8Vz"
OTHER = "Q2hhcmdlUGFpZDE"  # the soak alternates the two
LARGE = "CPO-SES-DEPOT-LONG"
OCPI_TOKEN = "demo-ocpi-token-c-7f3a91"  # evtui/demo/ocpi.py TOKEN
HINT = "Enter looks it up"  # on the first screen of both apps
EMPTY_BAR = "No id given."  # evtui's answer to Enter on an empty bar
HISTORY_FOCUS = "Pin/unpin"  # in evtui's footer while its history list has the focus


# -- the three apps ---------------------------------------------------------------------------


@dataclass
class AppSpec:
    name: str
    history_marker: str  # visible when the history (or the floor's panel) is shown
    bar_focus: str = ""  # in the footer while the search bar has the focus

    def command(self, profile: str, root: str, view_shape: str, record_id: str = "") -> list[str]:
        """The launch line; with `record_id`, the app looks it up at once (`evtui ID`, `floor.py ... --id ID`)."""
        given = [f"--id={record_id}"] if record_id else []
        if self.name == "view":
            return [PY, str(HERE / "view_floor.py"), "corpay", f"{root}/corpay", view_shape]
        if self.name == "floor":
            if profile == "corpay":
                return [PY, str(HERE / "floor.py"), "corpay", f"{root}/corpay", *given]
            return [PY, str(HERE / "floor.py"), "ocpi", f"{root}/ocpi/large/versions", OCPI_TOKEN, *given]
        evtui = Path(PY).with_name("evtui")
        return ([str(evtui)] if evtui.exists() else [PY, "-m", "evtui"]) + ["--profile", profile] + ([record_id] if record_id else [])

    def answer(self, record_id: str, profile: str = "corpay") -> list[str]:
        if self.name == "floor":
            return [f" {record_id}", "answer: "]
        return [f"session {record_id}  {profile} ·"]  # the record header (the loading line says "session X on ...")


FLOOR = AppSpec("floor", "filter: floor panel")
VIEW = AppSpec("view", "filter: floor panel")  # answers with evtui's header line: "session ID  corpay ·"
EVTUI = AppSpec("evtui", "filter: id, profile, summary", bar_focus="Look up")


# -- config dirs, the demo server, history stores ---------------------------------------------


def write_config(directory: Path, root: str, *, max_entries: int | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = f"""default_profile = "corpay"

[profiles.corpay]
adapter = "corpay"
base_url = "{root}/corpay"
client_id = "evtui-demo"
client_secret = "demo-client-secret"

[profiles.ocpi]
adapter = "ocpi"
versions_url = "{root}/ocpi/large/versions"
token = "{OCPI_TOKEN}"
"""
    if max_entries:
        text += f"\n[history]\nmax_entries = {max_entries}\n"
    path = directory / "config.toml"
    path.write_text(text)
    path.chmod(0o600)
    return directory


def view_shape(root: str) -> str:
    """For the view floor: each soak id's tabs and overview row count, from evtui's own presentation."""
    import asyncio

    from evtui.config.schema import config_from_data
    from evtui.lookup import lookup
    from evtui.pool import AdapterPool

    profile = {"adapter": "corpay", "base_url": f"{root}/corpay", "client_id": "evtui-demo", "client_secret": "demo-client-secret"}

    async def shapes() -> dict[str, tuple[list[str], int]]:
        async with AdapterPool(config_from_data({"profiles": {"corpay": profile}}, None)) as pool:
            out = {}
            for rid in (TYPICAL, OTHER):
                record = await lookup(pool.get("corpay"), rid)
                overview = record.overview
                out[rid] = ([s.title for s in record.sections] + ["Raw JSON", "HTTP"], len(overview.fields) if overview else 0)
            return out

    return json.dumps(asyncio.run(shapes()))


def start_server() -> tuple[subprocess.Popen[str], str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [PY, "-m", "evtui.demo.server", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=str(REPO),
    )
    assert proc.stdout is not None
    root = None
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.match(r"corpay: (http://\S+)/corpay", line.strip())
        if m:
            root = m.group(1)
            break
    if root is None:
        proc.kill()
        raise RuntimeError("the demo server did not start")
    # Build the 5 MB session once (the demo makes it on first request), so no run pays for it.
    import base64

    import httpx

    auth = {"Authorization": "Token " + base64.b64encode(OCPI_TOKEN.encode()).decode()}
    r = httpx.get(f"{root}/ocpi/large/2.2.1/sessions", headers=auth, timeout=60)
    r.raise_for_status()
    return proc, root


def fill_history(path: Path, n: int) -> dict[str, str]:
    """n entries written in one transaction with the store's own writer (as tests/bench_history.py does).
    Returns the newest id and a filter character that the newest entry does not hold."""
    from evtui.history import HistoryStore, _Attempt

    rng = random.Random(n)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    profiles = ["corpay", "corpay-prod", "ocpi", "spirii"]
    statuses = ["COMPLETE", "STARTED", "STOPPED", "FAILED", "ACTIVE"]
    sites = ["Drive_API_Test1", "Aker Brygge", "Zuidas", "Shibuya Stream", "Al Hamra", "Potsdamer Platz"]
    base = time.time() - n - 60
    attempts = []
    for i in range(n):
        rid = "".join(rng.choice(alphabet) for _ in range(rng.randint(11, 20)))
        profile = rng.choice(profiles)
        summary = f"{rng.choice(statuses)} · {rng.choice(sites)} · {rng.randint(0, 9999) / 100:.2f} EUR"
        body = json.dumps({"sessionId": rid, "summary": summary, "pad": "y" * rng.randint(600, 1400)}).encode()
        attempts.append(_Attempt(profile, profile.split("-")[0], "session", rid, "found", summary, body, base + i))
    store = HistoryStore(path, max_entries=n)
    store._pending = attempts
    store._run(store._write, None, write=True)
    store.close()
    newest = attempts[-1]
    hay = f"{newest.record_id} {newest.profile} {newest.summary}".casefold()
    char = next(c for c in "kmwz5678gfvbt" if c not in hay)
    return {"newest": newest.record_id, "char": char}


# -- reading the screen -------------------------------------------------------------------------


def row(screen: str, i: int) -> str:
    lines = screen.split("\n")
    return lines[i] if i < len(lines) else ""


def panel_rows(screen: str) -> list[str]:
    """The history panel's text, row by row (right of its border), from its title down."""
    rows = [line.rsplit("▊", 1)[1].strip() if "▊" in line else "" for line in screen.split("\n")]
    for i, r in enumerate(rows):
        if r.startswith("History"):
            return rows[i:]
    return []


def filter_text(screen: str) -> str:
    rows = panel_rows(screen)
    return rows[1] if len(rows) > 1 else ""


def top_entry(screen: str) -> str:
    rows = panel_rows(screen)
    if len(rows) < 4:
        return ""
    first = rows[2].split()
    return (first[0] if first else "") + "|" + rows[3]
