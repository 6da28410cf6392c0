"""The end-of-suite secret sweep finds what it is meant to find."""

from __future__ import annotations

import base64

from tests.secret_sweep import SecretSweep


def test_the_sweep_knows_the_demo_and_test_secrets_and_their_base64() -> None:
    sweep = SecretSweep()
    assert b"demo-client-secret" in sweep.secrets
    assert base64.b64encode(b"demo-ocpi-token-c-7f3a91") in sweep.secrets


def test_a_secret_in_written_or_printed_text_is_a_hit() -> None:
    sweep = SecretSweep()
    sweep._look("history.sqlite3-wal", b"...\x00Bearer demo-spirii-api-key\x00...")
    sweep._look("stdout", b"nothing to see")
    assert sweep.hits == ["history.sqlite3-wal: 'demo-spirii-api-key'"]
