"""Finding the fields no section shows costs the same per value however many paths are shown
(issue 16: 14,000 charging periods times every shown path made most of the 5 MB session's
presentation). Counted, not timed: how often the shown paths are gone through."""

from __future__ import annotations

from evtui.adapters.present import leftover_fields


class _CountedPaths(set):
    """Shown paths that count each time they are gone through one by one."""

    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()


def test_the_shown_paths_are_gone_through_once_not_once_per_value():
    periods = [{"start": f"t{i}", "dimensions": [{"type": "ENERGY", "volume": i}], "extra": i} for i in range(2000)]
    document = {"id": "S1", "charging_periods": periods, "new_field": {"a": 1}}
    shown = _CountedPaths({"id", "charging_periods[].start", "charging_periods[].dimensions", *(f"p{i}" for i in range(50))})
    _CountedPaths.walks = 0
    other = leftover_fields(document, shown)
    assert _CountedPaths.walks <= 1
    # What it finds is unchanged: each period's unshown field, and the unknown object whole.
    assert [f.path for f in other] == [*(f"charging_periods[{i}].extra" for i in range(2000)), "new_field"]
    assert other[-1].value == '{"a": 1}' and other[-1].flag == "unknown"


def test_an_index_like_key_is_matched_as_tables_name_items():
    # A key holding "[0]" is read as an index, as a table's `shows` path names it.
    document = {"odd[0]": {"x": 1, "y": 2}}
    assert [f.path for f in leftover_fields(document, {"odd[].x"})] == ["odd[0].y"]
