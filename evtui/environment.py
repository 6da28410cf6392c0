"""Which environment a provider URL points at: the switcher's badge (demo, test, production).

Apart from the adapters so a first frame can show the badge before any adapter is imported.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

Environment = Literal["demo", "test", "production"]


def judge_environment(url: str) -> Environment:
    host = (urlsplit(url).hostname or "").lower()
    if host in ("127.0.0.1", "localhost", "::1") or host.endswith(".localhost"):
        return "demo"
    if re.search(r"(^|[.\-])(uat|sandbox|test|staging|stage|dev|qa|preprod)([.\-\d]|$)|apigwuat", host):
        return "test"
    return "production"
