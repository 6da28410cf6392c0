"""The words for OCPI's documented values, its record types, and its status codes."""

from __future__ import annotations

from evtui.adapters.api import RecordType

OCPI_VERSION = "2.2.1"
#: Used when a CPO offers no 2.2.1.
OCPI_211 = "2.1.1"

SESSION_STATUS = {
    "ACTIVE": "ongoing: charging or still plugged in",
    "COMPLETED": "ended; a CDR should follow",
    "INVALID": "declared invalid by the CPO: it will not be billed (no CDR)",
    "PENDING": "not started yet: not all pre-conditions are met",
    "RESERVATION": "a reservation of the EVSE, not charging yet",
}
TOKEN_TYPE = {
    "AD_HOC_USER": "ad hoc: paid on the spot, no contract with an eMSP",
    "APP_USER": "started from an app",
    "OTHER": "another kind of token",
    "RFID": "an RFID card or tag",
}
AUTH_METHOD = {
    "AUTH_REQUEST": "authorised by a real-time request to the eMSP",
    "COMMAND": "started by a remote command (e.g. from an app)",
    "WHITELIST": "authorised from the CPO's local copy of the eMSP's tokens",
}
CONNECTOR_FORMAT = {"SOCKET": "a socket: the driver brings the cable", "CABLE": "a cable fixed to the charger"}
POWER_TYPE = {
    "AC_1_PHASE": "AC, single phase",
    "AC_2_PHASE": "AC, two phases",
    "AC_2_PHASE_SPLIT": "AC, two phases split (North America)",
    "AC_3_PHASE": "AC, three phases",
    "DC": "DC",
}
STATUS_CODES = {
    1000: "success",
    2000: "generic client error",
    2001: "invalid or missing parameters",
    2002: "not enough information",
    2003: "unknown location",
    2004: "unknown token",
    3000: "generic server error",
    3001: "unable to use the client's API",
    3002: "unsupported version",
    3003: "no matching endpoints",
    4000: "generic hub error",
    4001: "unknown receiver",
    4002: "timeout on forwarded request",
    4003: "connection problem",
}
STATUS_CLASSES = {
    1: "success",
    2: "client error: the CPO did not accept the request",
    3: "server error at the CPO",
    4: "hub error: a roaming hub between you and the CPO",
}

#: Dimension type -> (column label, unit, kind); kind "h" shows hours with a duration too.
DIMENSIONS: dict[str, tuple[str, str, str]] = {
    "ENERGY": ("Energy", "kWh", "n"),
    "ENERGY_IMPORT": ("Energy import", "kWh", "n"),
    "ENERGY_EXPORT": ("Energy export", "kWh", "n"),
    #: OCPI 2.1.1 only: a flat fee, no unit.
    "FLAT": ("Flat fee", "", "n"),
    "TIME": ("Charging time", "h", "h"),
    "PARKING_TIME": ("Parking time", "h", "h"),
    "RESERVATION_TIME": ("Reservation time", "h", "h"),
    "MAX_POWER": ("Max power", "kW", "n"),
    "MIN_POWER": ("Min power", "kW", "n"),
    "POWER": ("Power", "kW", "n"),
    "MAX_CURRENT": ("Max current", "A", "n"),
    "MIN_CURRENT": ("Min current", "A", "n"),
    "CURRENT": ("Current", "A", "n"),
    "STATE_OF_CHARGE": ("State of charge", "%", "n"),
}
PRICE_UNITS = {"ENERGY": ("/kWh", "Wh"), "TIME": ("/h", "s"), "PARKING_TIME": ("/h", "s"), "FLAT": (" per session", "")}

#: Rough mainland boxes (lat min, lat max, lon min, lon max): enough to tell swapped coordinates.
COUNTRY_BOXES: dict[str, tuple[float, float, float, float]] = {
    "AUT": (46.3, 49.1, 9.5, 17.2), "BEL": (49.4, 51.6, 2.5, 6.5), "CHE": (45.8, 47.9, 5.9, 10.5),
    "CZE": (48.5, 51.1, 12.1, 18.9), "DEU": (47.2, 55.1, 5.8, 15.1), "DNK": (54.5, 57.8, 8.0, 15.2),
    "ESP": (36.0, 43.8, -9.4, 3.4), "FIN": (59.7, 70.1, 20.5, 31.6), "FRA": (41.3, 51.2, -5.2, 9.6),
    "GBR": (49.8, 60.9, -8.7, 1.8), "IRL": (51.4, 55.4, -10.5, -6.0), "ITA": (36.6, 47.1, 6.6, 18.6),
    "LUX": (49.4, 50.2, 5.7, 6.6), "NLD": (50.7, 53.7, 3.2, 7.3), "NOR": (57.9, 71.2, 4.5, 31.2),
    "POL": (49.0, 54.9, 14.1, 24.2), "PRT": (36.9, 42.2, -9.6, -6.1), "SWE": (55.3, 69.1, 11.0, 24.2),
}

SESSION = RecordType(
    "session",
    "Session",
    "A session id as the CPO sends it, e.g. CPO-SES-4711; sessions updated in the last window_days are scanned",
)
CDR = RecordType("cdr", "CDR", "A CDR id, or the id of the session it bills")
#: Record type -> its plural in messages, and the OCPI module that serves it.
PLURAL = {"session": "sessions", "cdr": "CDRs"}
MODULE = {"session": "sessions", "cdr": "cdrs"}
#: The module a record's tariffs come from when it does not embed them.
TARIFFS = "tariffs"

#: ConnectorType (2.1.1 and 2.2.1), the common ones in words; others are shown as sent.
CONNECTOR_STANDARD = {
    "CHADEMO": "CHAdeMO, DC",
    "DOMESTIC_F": 'household type "F" (CEE 7/4, Schuko)',
    "DOMESTIC_G": 'household type "G" (BS 1363)',
    "IEC_62196_T1": 'IEC 62196 Type 1 ("SAE J1772")',
    "IEC_62196_T1_COMBO": "Combo Type 1 (CCS1), DC",
    "IEC_62196_T2": 'IEC 62196 Type 2 ("Mennekes")',
    "IEC_62196_T2_COMBO": "Combo Type 2 (CCS2), DC",
    "IEC_62196_T3A": "IEC 62196 Type 3A",
    "IEC_62196_T3C": 'IEC 62196 Type 3C ("Scame")',
    "TESLA_R": 'Tesla "Roadster" (round, 4 pin)',
    "TESLA_S": 'Tesla "Model S" (oval, 5 pin)',
}

#: OCPI 2.1.1 LocationType (mod_locations 4.16): the Location object a 2.1.1 session or CDR carries.
LOCATION_TYPE = {
    "ON_STREET": "parking in public space",
    "PARKING_GARAGE": "multistorey car park",
    "UNDERGROUND_GARAGE": "multistorey car park, mainly underground",
    "PARKING_LOT": "a cleared area for parking (supermarket, bar, …)",
    "OTHER": "none of the given types",
    "UNKNOWN": "not known by the operator",
}

#: OCPI Status of an EVSE (2.1.1 mod_locations 4.10).
EVSE_STATUS = {
    "AVAILABLE": "able to start a new charging session",
    "BLOCKED": "not accessible: a physical barrier, e.g. a car",
    "CHARGING": "in use",
    "INOPERATIVE": "not yet active, or no longer available",
    "OUTOFORDER": "out of order",
    "PLANNED": "planned, operating soon",
    "REMOVED": "discontinued or removed",
    "RESERVED": "reserved for a particular driver",
    "UNKNOWN": "no status information (also when offline)",
}
