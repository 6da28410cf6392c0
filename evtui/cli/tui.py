"""`evtui [ID]`: open the inspector."""

from __future__ import annotations

import argparse

from evtui.errors import ConfigError


def run_tui(args: argparse.Namespace) -> int:
    from evtui.config.file import read_config

    if args.demo:
        from evtui.demo.server import DemoServer, demo_file

        user = read_config(args.config)
        with DemoServer() as server:
            # As a config.toml is: painted first, the start profile validated alone, the rest after.
            file = demo_file(server, user)
            if args.profile and args.profile not in file.profile_tables:
                raise ConfigError(
                    f"no profile named {args.profile!r} (profiles: {', '.join(file.profile_tables)})",
                    hint="`evtui profiles` lists them.",
                )
            _load_ca_bundle_beside(file.profile_tables)
            from evtui.tui.app import run_app

            return run_app(
                file, profile=args.profile, initial_id=args.id, initial_type=args.type, since=args.since,
                timeout=args.timeout, demo_server=server,
            )

    # Validation (pydantic, the adapters) waits until after the first frame; a bad config still
    # ends in the same one-line message and exit 2, once the screen is put away.
    file = read_config(args.config)
    profiles = file.profile_tables
    if not profiles and not file.data.get("profiles"):
        raise ConfigError(
            f"no profiles configured yet; evtui reads them from {file.path}",
            hint="run `evtui config init` to create a commented starter file, or try `evtui --demo`",
        )
    if args.profile and args.profile not in profiles:
        raise ConfigError(
            f"no profile named {args.profile!r} (profiles: {', '.join(profiles) or 'none'})",
            file=str(file.path),
            hint="`evtui profiles` lists them.",
        )
    if not profiles:
        file.validate()  # says what is wrong with [profiles]
    _load_ca_bundle_beside(profiles)
    from evtui.tui.app import run_app

    return run_app(file, profile=args.profile, initial_id=args.id, initial_type=args.type, since=args.since, timeout=args.timeout)


def _load_ca_bundle_beside(profiles: dict[str, dict[str, object]]) -> None:
    """Before Textual's import: the CA bundle loads on a second core while it runs, not in
    front of the first request. For a file whose profiles all verify nothing or bring their
    own bundle, never."""
    from evtui.transport.tls import load_beside, verifies_by_default

    if any(verifies_by_default(table) for table in profiles.values()):
        load_beside()
