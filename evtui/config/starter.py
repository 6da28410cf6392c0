"""The commented starter config.toml that `evtui config init` writes."""

from __future__ import annotations

import os
from pathlib import Path

STARTER = """\
# evtui configuration: one [profiles.NAME] table per provider account.
# Secrets may be written as
#   "env:NAME"          read from the environment variable NAME when needed
#   "cmd:COMMAND"       the first line the command prints, e.g. "cmd:pass show corpay/uat"
#                       (pass's convention: the lines after it are metadata, never used)
#   a literal string    only if this file stays private (chmod 600)
# Secrets are never taken on the command line.

# The profile used when --profile is not given.
default_profile = "corpay-uat"

# Seconds to wait for a connection or an answer.
# timeout = 10

# Largest response accepted, in MB.
# max_body_mb = 20

# Seconds between fetches when watching a record.
# watch_interval = 5

[profiles.corpay-uat]
adapter = "corpay"
base_url = "https://apigwuat.corpay.com"
client_id = "your-client-id"
client_secret = "env:CORPAY_CLIENT_SECRET"
# token_url = "https://apigwuat.corpay.com/keycloak/realms/longship/protocol/openid-connect/token"
# environment = "test"     # badge: demo, test or production (judged from the URL if unset)

# [profiles.spirii]
# adapter = "spirii"
# base_url = "https://api.spirii.com"    # sandbox: https://sandbox.api.spirii.com
# api_key = "cmd:pass show spirii/api-key"

# [profiles.ampeco]
# adapter = "ampeco"
# base_url = "https://cp.example.com/public-api"   # your tenant's host
# api_token = "env:AMPECO_API_TOKEN"               # Back Office -> API Access Tokens

# [profiles.monta]
# adapter = "monta"
# base_url = "https://partner-api.monta.com/api/v1"
# client_id = "env:MONTA_CLIENT_ID"
# client_secret = "cmd:pass show monta/client-secret"
# monta_version = "2024-01-18"          # the Monta-Version header; beta: 2024-07-01

# [history]
# max_entries = 10000
# cache_responses = true

# Remap keys by binding id (F1 lists the keys), e.g.
# [keymap]
# toggle_history = "f12"
"""


def write_starter(path: Path) -> None:
    """Write the commented starter file, private from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(STARTER)
