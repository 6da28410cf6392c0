"""The demo server's providers: a new demo provider is its module plus one entry here."""

from __future__ import annotations

from evtui.demo.ampeco import AmpecoDemo
from evtui.demo.corpay import CorpayDemo
from evtui.demo.monta import MontaDemo
from evtui.demo.ocpi import OcpiDemo
from evtui.demo.provider import DemoProvider
from evtui.demo.spirii import SpiriiDemo

#: In the order `evtui --demo` lists their profiles (demo-<prefix>).
PROVIDERS: tuple[type[DemoProvider], ...] = (
    CorpayDemo,
    SpiriiDemo,
    OcpiDemo,
    AmpecoDemo,
    MontaDemo,
)
