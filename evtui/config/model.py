"""Settings models: typed, frozen tables of config.toml, validated without pydantic.

    class AcmeSettings(AdapterSettings):
        base_url: str = "https://api.acme.example"
        api_key: Secret                                  # required: no default
        window_days: int = Setting(30, ge=1, le=3650)    # bounds, as pydantic's Field took them

        @field_check("base_url")
        @classmethod
        def _no_query(cls, value: str) -> str: ...       # raise ValueError("must ...") to refuse

Why not pydantic: a profile's settings stand in front of its first request, and importing
pydantic and building the model classes took about 95 ms of CPU and 9 MB that an idle
inspector kept. pydantic stays for what providers send (`evtui.adapters.validation`).

The rules are pydantic's lax mode, for the types settings use: str, bool, int, float,
Literal, `X | None`, `tuple[str, ...]`, `dict[str, str]`, Secret and a nested model.
A refusal is a `SettingsInvalid` whose `errors()` read as pydantic's did (type, loc, msg),
in the same order: the fields in definition order, then keys no field has.
`tests/test_settings_model.py` holds the two side by side.
"""

from __future__ import annotations

import math
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

_MISSING: Any = object()


class SettingsInvalid(ValueError):
    """A table that is not valid settings; `errors()` lists why, first problem first."""

    def __init__(self, title: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} validation error(s) for {title}")
        self._errors = errors

    def errors(self) -> list[dict[str, Any]]:
        return list(self._errors)


class _Refused(Exception):
    def __init__(self, kind: str, msg: str, loc: tuple[Any, ...] = ()) -> None:
        self.kind, self.msg, self.loc = kind, msg, loc


@dataclass(frozen=True)
class Setting:
    """A field's default and bounds: `window_days: int = Setting(30, ge=1, le=3650)`.

    `strict` refuses what lax mode converts ("10" or true for a number); `check` runs after."""

    default: Any = _MISSING
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    allow_inf_nan: bool = True
    strict: bool = False
    check: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class FieldSpec:
    name: str
    annotation: Any
    setting: Setting

    @property
    def required(self) -> bool:
        return self.setting.default is _MISSING

    @property
    def default(self) -> Any:
        return None if self.required else self.setting.default


def field_check(*names: str) -> Callable[[Any], Any]:
    """Mark a classmethod `(cls, value) -> value` to run after these fields' types are checked;
    "*" for every field (the method then takes `(cls, value, name)`)."""

    def mark(method: Any) -> Any:
        method.__func__.__field_check__ = names
        return method

    return mark


def table_check(method: Any) -> Any:
    """Mark a classmethod `(cls, table) -> table` to run on the table before its fields."""
    method.__func__.__table_check__ = True
    return method


class _ModelType(type):
    @property
    def model_fields(cls) -> dict[str, FieldSpec]:
        """The fields, base classes' first, in the order they are written."""
        fields = cls.__dict__.get("_fields_")
        if fields is None:
            fields = _collect_fields(cls)
            cls._fields_ = fields
        return fields


class SettingsModel(metaclass=_ModelType):
    """Frozen settings: `Model.model_validate(table)` checks a table and makes one."""

    _fields_: ClassVar[dict[str, FieldSpec] | None] = None

    def __init__(self, **values: Any) -> None:
        made = type(self).model_validate(values)
        object.__setattr__(self, "__dict__", made.__dict__)

    @classmethod
    def model_validate(cls, data: Any) -> typing.Self:
        try:
            return cls._validated(data, ())
        except SettingsInvalid:
            raise
        except _Refused as refused:
            raise SettingsInvalid(cls.__name__, [{"type": refused.kind, "loc": refused.loc, "msg": refused.msg}]) from None

    @classmethod
    def _validated(cls, data: Any, at: tuple[Any, ...]) -> typing.Self:
        if isinstance(data, cls):
            return data
        if not isinstance(data, dict):
            raise _Refused("model_type", f"Input should be a valid dictionary or instance of {cls.__name__}", at)
        for check in _checks(cls, "__table_check__"):
            data = _run(check, data, at)
        fields = cls.model_fields
        field_checks = _field_checks(cls)
        values: dict[str, Any] = {}
        for name, spec in fields.items():
            if name not in data:
                if spec.required:
                    raise _Refused("missing", "Field required", (*at, name))
                values[name] = spec.default
                continue
            value = _typed(spec.annotation, spec.setting, data[name], (*at, name))
            for check, names in field_checks:
                if "*" in names:
                    value = _run(check, value, (*at, name), name)
                elif name in names:
                    value = _run(check, value, (*at, name))
            values[name] = value
        for key in data:
            if key not in fields:
                raise _Refused("extra_forbidden", "Extra inputs are not permitted", (*at, key))
        made = cls.__new__(cls)
        object.__setattr__(made, "__dict__", values)
        return made

    def model_copy(self, *, update: dict[str, Any] | None = None) -> typing.Self:
        """A copy with some values replaced, not checked again (as pydantic's)."""
        made = type(self).__new__(type(self))
        object.__setattr__(made, "__dict__", {**self.__dict__, **(update or {})})
        return made

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: {name} cannot be deleted")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self), tuple(_hashable(v) for v in self.__dict__.values())))

    def __repr__(self) -> str:  # a Secret's repr never shows a literal
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


def _hashable(value: Any) -> Any:
    return tuple(sorted(value.items())) if isinstance(value, dict) else value


def _collect_fields(cls: type) -> dict[str, FieldSpec]:
    for klass in cls.__mro__:
        for name, value in klass.__dict__.items():
            if type(value).__module__.split(".")[0] == "pydantic":
                # pydantic's Field or field_validator here would be taken as a default or ignored.
                raise TypeError(
                    f"{klass.__name__}.{name} is pydantic's; a settings model takes evtui's "
                    "Setting(...), @field_check and @table_check (evtui.adapters.api)"
                )
    hints = typing.get_type_hints(cls, include_extras=True)
    fields: dict[str, FieldSpec] = {}
    for klass in reversed(cls.__mro__):
        for name in klass.__dict__.get("__annotations__", {}):
            hint = hints.get(name)
            if name.startswith("_") or hint is None or typing.get_origin(hint) is ClassVar:
                continue
            # The default a subclass writes wins over its base's.
            default = next((k.__dict__[name] for k in cls.__mro__ if name in k.__dict__), _MISSING)
            fields[name] = FieldSpec(name, hint, default if isinstance(default, Setting) else Setting(default))
    return fields


def _checks(cls: type, mark: str) -> list[Any]:
    """The marked classmethods, bound to `cls`, base classes' first (as pydantic ran them)."""
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        for name, attr in klass.__dict__.items():
            func = getattr(attr, "__func__", None)
            if func is not None and getattr(func, mark, None) and name not in names:
                names.append(name)
    return [getattr(cls, name) for name in names]


def _field_checks(cls: type) -> list[tuple[Any, tuple[str, ...]]]:
    return [(check, check.__func__.__field_check__) for check in _checks(cls, "__field_check__")]


def _run(check: Any, value: Any, loc: tuple[Any, ...], *args: Any) -> Any:
    try:
        return check(value, *args)
    except ValueError as exc:
        raise _Refused("value_error", f"Value error, {exc}", loc) from None


# -- types: pydantic's lax mode, for what a TOML table holds ---------------------------------


def _typed(hint: Any, setting: Setting, value: Any, loc: tuple[Any, ...]) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (hint,) = [a for a in args if a is not type(None)]
        return _typed(hint, setting, value, loc)
    if origin is Literal:
        if any(value == a and type(value) is type(a) for a in args):
            return value
        raise _Refused("literal_error", f"Input should be {_either(args)}", loc)
    if origin is tuple:
        if not isinstance(value, (list, tuple, set, frozenset)):
            raise _Refused("tuple_type", "Input should be a valid tuple", loc)
        return tuple(_typed(args[0], Setting(), item, (*loc, i)) for i, item in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise _Refused("dict_type", "Input should be a valid dictionary", loc)
        return {
            _typed(args[0], Setting(), k, (*loc, k, "[key]")): _typed(args[1], Setting(), v, (*loc, k))
            for k, v in value.items()
        }
    if hint is str:
        if not isinstance(value, str):
            raise _Refused("string_type", "Input should be a valid string", loc)
        result: Any = value
    elif hint is bool:
        result = _bool(value, loc)
    elif hint is int:
        result = _int(value, setting.strict, loc)
    elif hint is float:
        result = _float(value, setting.strict, loc)
    elif isinstance(hint, type) and issubclass(hint, SettingsModel):
        result = hint._validated(value, loc)
    elif isinstance(hint, type) and hasattr(hint, "from_setting"):
        try:
            result = hint.from_setting(value)  # Secret
        except ValueError as exc:
            raise _Refused("value_error", f"Value error, {exc}", loc) from None
    else:
        raise TypeError(f"settings cannot hold {hint!r}")
    if hint in (int, float):
        _bounds(result, setting, loc)
    if setting.check is not None:
        try:
            result = setting.check(result)
        except ValueError as exc:
            raise _Refused("value_error", f"Value error, {exc}", loc) from None
    return result


def _either(options: tuple[Any, ...]) -> str:
    shown = [repr(o) for o in options]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}


def _bool(value: Any, loc: tuple[Any, ...]) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    elif isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, (str, int)):
        raise _Refused("bool_parsing", "Input should be a valid boolean, unable to interpret input", loc)
    raise _Refused("bool_type", "Input should be a valid boolean", loc)


_INT_TEXT = re.compile(r"[+-]?[0-9](?:_?[0-9])*(?:\.0+)?")
_NOT_INT = "Input should be a valid integer"


def _int(value: Any, strict: bool, loc: tuple[Any, ...]) -> int:
    if isinstance(value, int) and not (strict and isinstance(value, bool)):
        return int(value)
    if strict:
        raise _Refused("int_type", _NOT_INT, loc)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Refused("finite_number", "Input should be a finite number", loc)
        if value != int(value):
            raise _Refused("int_from_float", f"{_NOT_INT}, got a number with a fractional part", loc)
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if _INT_TEXT.fullmatch(text):
            return int(text.split(".")[0])
        raise _Refused("int_parsing", f"{_NOT_INT}, unable to parse string as an integer", loc)
    raise _Refused("int_type", _NOT_INT, loc)


def _float(value: Any, strict: bool, loc: tuple[Any, ...]) -> float:
    if isinstance(value, (int, float)) and not (strict and isinstance(value, bool)):
        return float(value)
    if isinstance(value, str) and not strict:
        text = value.strip()
        try:
            if not text.isascii():
                raise ValueError(text)
            return float(text)
        except ValueError:
            raise _Refused("float_parsing", "Input should be a valid number, unable to parse string as a number", loc) from None
    raise _Refused("float_type", "Input should be a valid number", loc)


def _bounds(number: float, setting: Setting, loc: tuple[Any, ...]) -> None:
    if not setting.allow_inf_nan and not math.isfinite(number):
        raise _Refused("finite_number", "Input should be a finite number", loc)
    for bound, kind, words, ok in (  # pydantic's order, which shows for nan
        (setting.le, "less_than_equal", "less than or equal to", lambda b: number <= b),
        (setting.lt, "less_than", "less than", lambda b: number < b),
        (setting.ge, "greater_than_equal", "greater than or equal to", lambda b: number >= b),
        (setting.gt, "greater_than", "greater than", lambda b: number > b),
    ):
        if bound is not None and not ok(bound):
            raise _Refused(kind, f"Input should be {words} {bound}", loc)
