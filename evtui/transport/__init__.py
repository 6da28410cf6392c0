"""HTTP for every adapter: one implementation of the rules a lookup's requests follow.

- `client`: the httpx client a profile uses, and `send` (one request: the origin
  and header checks before anything leaves, the deadline over connect, headers
  and body, the body read decoded up to the size cap);
- `retry`: `get` with the retry and back-off rules, and Retry-After;
- `status`: HTTP statuses (and redirects) as `evtui.errors`;
- `failures`: httpx's exceptions as `evtui.errors`, in words, without header values;
- `body`: JSON bodies parsed defensively, provider error messages, the exchange kept;
- `origins`: where a profile's credentials may go;
- `headers`: which values can be sent in a header at all;
- `links`: RFC 8288 Link headers, parsed in linear time;
- `tls`: the process's SSL contexts, made without importing httpx (at launch, on a thread).

Nothing here imports textual, or an adapter.
"""
