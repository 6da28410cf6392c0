"""config.toml: where evtui keeps its files, reading the file, its schema, secrets.

The config file is the user's: evtui reads it and never rewrites it. Settings
changed in the UI go to a separate state file (see `evtui.state`).

The modules depend one way only, so that reading the file and finding a
profile's name costs no pydantic import (the TUI paints before it validates):

- `paths`: the config directory and the files in it.
- `file`: reading config.toml without validating it (`read_config`), and
  `load_config`, which reads and then validates through `schema`.
- `schema`: the pydantic schema, `Config` and `Profile`; imports the adapters
  (`start_config`: the settings and one profile, for the TUI's first lookup).
- `checks`: warnings about a valid config (TLS off, plain http, loose file permissions).
- `secrets`: `Secret`, a credential named in config and resolved when needed.
- `starter`: the commented file `evtui config init` writes.

This package imports none of them itself: `import evtui.config.file` stays light.
"""
