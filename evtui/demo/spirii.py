"""Demo Spirii API (placeholder until the Spirii adapter lands)."""

from __future__ import annotations

from typing import Any

from evtui.demo.http import DemoRequest, DemoResponse

API_KEY = "demo-spirii-api-key"


class SpiriiDemo:
    prefix = "spirii"
    examples: tuple[str, ...] = ()

    def profile(self, base_url: str) -> dict[str, Any]:
        return {"adapter": "spirii", "environment": "demo", "base_url": base_url, "api_key": API_KEY}

    def handle(self, request: DemoRequest, server: Any) -> DemoResponse:
        return DemoResponse.json({"statusCode": 404, "message": "Not Found", "error": "Not Found"}, 404)
