"""The floor: a bare Textual app doing the same HTTP as evtui and showing one line.

    python tests/benchmarks/floor.py corpay BASE_URL [--id=ID]
    python tests/benchmarks/floor.py ocpi VERSIONS_URL TOKEN [--id=ID]

corpay: POST the Keycloak token, GET {base}/sessions/{id} with the bearer.
ocpi: GET versions, the 2.2.1 details, then the sessions page over the last
30 days (what evtui's OCPI adapter sends), and pick the session by id.
One httpx.AsyncClient, the JSON parsed, one line shown. F3 shows/hides a
one-line panel: the key the benchmark uses to probe responsiveness.
With --id=ID it looks ID up as it starts (as `evtui ID` does): launch, token, GET, one line.
"""

from __future__ import annotations

import base64
import sys
from datetime import datetime, timedelta, timezone

import httpx
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static


class Floor(App[None]):
    CSS = "#panel.-hidden { display: none; }"
    BINDINGS = [Binding("f3", "toggle_panel", "Panel"), Binding("ctrl+c", "quit", "Quit", priority=True)]

    def __init__(self, mode: str, url: str, token: str = "", record_id: str = "") -> None:
        super().__init__()
        self.mode, self.url, self.token, self.given_id = mode, url, token, record_id
        self.client = httpx.AsyncClient(timeout=30)
        self.bearer: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="session id", id="q")
        yield Static("session id · Enter looks it up", id="hint")
        yield Static("", id="answer")
        yield Static("filter: floor panel", id="panel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.given_id:
            self.run_worker(self.lookup(self.given_id), exclusive=True, group="lookup")

    def action_toggle_panel(self) -> None:
        self.query_one("#panel").toggle_class("-hidden")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.run_worker(self.lookup(event.value.strip()), exclusive=True, group="lookup")

    async def lookup(self, record_id: str) -> None:
        try:
            doc = await (self.corpay(record_id) if self.mode == "corpay" else self.ocpi(record_id))
        except Exception as exc:  # the floor still shows one line
            self.query_one("#answer", Static).update(f"error {type(exc).__name__}: {exc}")
            return
        await self.show(doc)

    async def show(self, doc: dict) -> None:
        if self.mode == "corpay":
            line = f"answer: {doc['sessionStatus']} {doc['sessionId']}"
        else:
            line = f"answer: {doc['status']} {doc['id']} · {len(doc.get('charging_periods', []))} periods"
        self.query_one("#answer", Static).update(line)

    async def corpay(self, record_id: str) -> dict:
        if self.bearer is None:
            r = await self.client.post(
                f"{self.url}/keycloak/realms/longship/protocol/openid-connect/token",
                data={"grant_type": "client_credentials", "client_id": "evtui-demo", "client_secret": "demo-client-secret"},
            )
            self.bearer = r.json()["access_token"]
        r = await self.client.get(f"{self.url}/sessions/{record_id}", headers={"Authorization": f"Bearer {self.bearer}"})
        return r.json()

    async def ocpi(self, record_id: str) -> dict:
        auth = {"Authorization": "Token " + base64.b64encode(self.token.encode()).decode()}
        versions = (await self.client.get(self.url, headers=auth)).json()["data"]
        details_url = next(v["url"] for v in versions if v["version"] == "2.2.1")
        details = (await self.client.get(details_url, headers=auth)).json()["data"]
        sessions_url = next(e["url"] for e in details["endpoints"] if e["identifier"] == "sessions")
        now = datetime.now(timezone.utc).replace(microsecond=0)
        params = {
            "date_from": (now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "date_to": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "offset": "0",
            "limit": "100",
        }
        page = (await self.client.get(sessions_url, params=params, headers=auth)).json()["data"]
        return next(s for s in page if s["id"] == record_id)


def main() -> None:
    given = [a for a in sys.argv[1:] if a.startswith("--id=")]
    mode, url, *rest = [a for a in sys.argv[1:] if a not in given]
    Floor(mode, url, rest[0] if rest else "", given[0].removeprefix("--id=") if given else "").run()


if __name__ == "__main__":
    main()
