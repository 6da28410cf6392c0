"""Corpay EV Drive API: charging sessions, OAuth2 client credentials (Keycloak).

GET {base_url}/sessions/{sessionId} with a bearer token from
POST {base_url}/keycloak/realms/longship/protocol/openid-connect/token.

- `adapter`: the settings, id rules, the token and the request;
- `models`: the session document and the words for its documented values;
- `present`: the session as sections.
"""

from evtui.adapters.corpay.adapter import CorpayAdapter, CorpaySettings

__all__ = ["CorpayAdapter", "CorpaySettings"]
