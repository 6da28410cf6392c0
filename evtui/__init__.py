"""evtui: a terminal inspector for EV-charging records."""

__version__ = "0.1.0"
