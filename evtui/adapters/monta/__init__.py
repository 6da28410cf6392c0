"""Monta Partner API: charges by id, client credentials exchanged for a refreshable token.

GET {base_url}/charges/{chargeId} with `Authorization: Bearer` and `Monta-Version`;
the token from POST {base_url}/auth/token, renewed with POST {base_url}/auth/refresh.

- `adapter`: the settings, the id rules, the request and Monta's rate-limit headers;
- `auth`: the token pair, reused, refreshed before expiry, renewed after a 401;
- `charge`: the charge document, its states in words, and its presentation.

From Monta's public docs (Partner API reference, charge states, changelog); INFERRED
readings, not yet checked against a live API, are read when present and never required:
- the state is compared case-insensitively (the docs capitalise, the API sends lower case);
- `stoppedAt`, `completedAt`, `kwhLimit` and `failureReason` are INFERRED field names;
- the rate-limit headers are read as RateLimit-* or X-RateLimit-* (INFERRED spelling);
- a charge links to no record served by id (CDRs are a date-window list), so none are related.
"""

from evtui.adapters.monta.adapter import DEFAULT_VERSION, MontaAdapter, MontaSettings, rate_limit_notes

__all__ = ["DEFAULT_VERSION", "MontaAdapter", "MontaSettings", "rate_limit_notes"]
