"""A focus change restyles a widget from the styles it had the last time it was in that state.

Textual restyles a widget whose focus changes by matching every rule that names it against the
widget and its ancestors, then each of its component classes (an option list's highlighted,
hovered, disabled, separator looks) the same way, as nodes made for it. Each answer moves the
focus from the bar into the record: the bar and the record's field list were restyled every
lookup, 1-2.5 ms each, to the styles each had the last time it was focused or not.

`FocusRestyle` keeps, per widget, what the rules gave in each state it was in: the state is
everything a selector can read off the widget and its ancestors (type names, ids, classes,
hover, focus, disabled) and the app's (theme, inline, ANSI, no colour), and the
stylesheet's rules as parsed (a theme change or new CSS parses them again: nothing kept is
used after). A widget whose rules read the order of siblings (first-child, odd, ...) or a focus
within, that has transitions, or shows a scrollbar (restyled with it) is restyled by Textual as ever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widget import Widget

if TYPE_CHECKING:
    _Mixin = Widget
else:
    _Mixin = object  # not a DOMNode: Textual takes a class's CSS from its first DOMNode base

#: States kept per widget: focused and not, hovered or not, in a container focused or not.
STATES_KEPT = 8


def _state(widget: Widget) -> tuple[Any, ...]:
    app = widget.app
    return (
        app.theme,
        app.current_theme.dark,
        app.is_inline,
        app.native_ansi_color,
        app.no_color,
        tuple(
            (node._css_type_name, node._id, frozenset(node._classes), node.mouse_hover, node.has_focus, node.disabled)
            if isinstance(node, Widget) else (node._css_type_name, node._id, frozenset(node._classes))
            for node in widget.ancestors_with_self
        ),
    )


class FocusRestyle(_Mixin):
    """Mixed into a widget class (first): restyled on focus and blur from its styles kept per state."""

    _kept_styles: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Any]]] | None = None
    #: The stylesheet's rules the kept styles came from (parsed again: a new list, nothing kept holds).
    _kept_rules: object = None

    def watch_has_focus(self, has_focus: bool) -> None:
        if not self._memo_usable():
            super().watch_has_focus(has_focus)
            return
        state = _state(self)
        rules_now = self.app.stylesheet.rules
        kept = self._kept_styles
        if kept is None or self._kept_rules is not rules_now:
            kept = self._kept_styles = {}
            self._kept_rules = rules_now
        if (styles := kept.get(state)) is None:
            super().watch_has_focus(has_focus)
            if self._memo_usable():
                if len(kept) >= STATES_KEPT:
                    del kept[next(iter(kept))]
                kept[state] = (dict(self.styles.base._rules), dict(self._component_styles))
            return
        rules, components = styles
        # As Stylesheet.apply ends once it has matched the rules: the node's, then its components'.
        # Not animated: kept only for widgets without transitions (`_memo_usable`), where Textual sets the rules.
        self.app.stylesheet.replace_rules(self, rules, animate=False)  # type: ignore[arg-type]
        if components != self._component_styles:
            self._component_styles.clear()
            self._component_styles.update(components)
            self.refresh()

    def _memo_usable(self) -> bool:
        if self._has_order_style or self._has_odd_or_even or self._has_focus_within or self.styles.transitions:
            return False
        return not (self.is_scrollable and (self.show_vertical_scrollbar or self.show_horizontal_scrollbar))
