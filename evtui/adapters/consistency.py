"""The Checks section every adapter's consistency pass ends in: what was checked, a finding per
disagreement, each also listed in Problems.

A finding is a Field flagged `invalid` (the values cannot all be right) or `inferred` (likely
wrong: a unit mix-up), whose value says what evtui computes instead."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from evtui.adapters.present import Presenter, derived, section
from evtui.record import Field, Section


def checks_section(p: Presenter, checks: Iterable[Callable[[Presenter], list[Field]]], checked: str) -> Section:
    """Run `checks` (a hostile value that breaks one's arithmetic makes it find nothing) and say
    in `checked` what was compared, with what tolerance."""
    findings = [f for check in checks for f in derived(lambda: check(p), [])]
    for f in findings:
        p.problem(f"{f.path or 'consistency'}: {f.value} ({f.flag})")
    summary = p.value("Checked", "no disagreement found" if not findings else f"{len(findings)} finding(s)", note=checked, flag="derived")
    return section("checks", "Checks", [summary, *findings])
