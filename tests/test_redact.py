"""The one redactor: every remembered secret, in every form an error text may carry it."""

from __future__ import annotations

import base64

import pytest

from evtui import redact
from evtui.errors import CannotConnect, ConfigError


@pytest.fixture(autouse=True)
def _clean():
    redact.forget_all()
    yield
    redact.forget_all()


def test_plain_bytes_repr_percent_and_base64_forms_are_masked():
    secret = "s3cr\u00e9t/with+\nnewline"
    redact.remember(secret)
    texts = [
        f"Illegal header value {('Bearer ' + secret).encode('utf-8', 'backslashreplace')!r}",
        f"sent {secret}",
        "token=s3cr%C3%A9t%2Fwith%2B%0Anewline",
        base64.b64encode(secret.encode()).decode(),
        "first line only: s3cr\u00e9t/with+",
    ]
    for text in texts:
        out = redact.redact(text)
        assert "s3cr" not in out, out
        assert redact.MASK in out


def test_short_values_are_not_remembered():
    redact.remember("ab")
    assert redact.redact("a cab and a tab") == "a cab and a tab"


def test_errors_are_redacted_when_made():
    redact.remember("hunter22-client-secret")
    err = ConfigError("provider said: bad secret hunter22-client-secret", profile="p", hint="not hunter22-client-secret")
    assert "hunter22" not in str(err) and "hunter22" not in err.hint
    assert "hunter22" not in CannotConnect("x hunter22-client-secret y").message


def test_a_longer_secret_containing_a_shorter_one_is_masked_whole():
    redact.remember("abcd")
    redact.remember("abcdefgh-longer")
    assert redact.redact("v=abcdefgh-longer") == f"v={redact.MASK}"
