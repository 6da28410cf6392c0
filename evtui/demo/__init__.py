"""Demo providers: a real HTTP server on 127.0.0.1 serving realistic records.

`evtui --demo` and the test suite both use it. No credentials, no network.
"""

from evtui.demo.server import DemoServer, demo_config

__all__ = ["DemoServer", "demo_config"]
