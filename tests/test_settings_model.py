"""Settings models (`evtui.config.model`) beside pydantic, which validated settings before them.

Config errors must read as they did: for every kind of field settings use and values a TOML
table can hold, the same value comes out, or the same first error (type, location, message).
"""

from __future__ import annotations

import datetime
import math
from typing import Annotated, Any, Literal

import pydantic
import pytest

from evtui.config.model import Setting, SettingsInvalid, SettingsModel, field_check, table_check


class _Pydantic:
    class Inner(pydantic.BaseModel):  # named as ours: its name is in a message
        model_config = pydantic.ConfigDict(extra="forbid", frozen=True)
        n: Annotated[int, pydantic.Field(strict=True)] = 1


class _Mirror(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)
    text: str = "x"
    flag: bool = True
    days: int = pydantic.Field(30, ge=1, le=3650)
    seconds: float = pydantic.Field(300.0, gt=0, le=86400, allow_inf_nan=False)
    ratio: float = pydantic.Field(0.5, ge=0, lt=1)
    count: Annotated[int, pydantic.Field(strict=True)] = 1
    size: Annotated[float, pydantic.Field(strict=True)] = 1.0
    encoding: Literal["auto", "base64", "raw"] = "auto"
    maybe: str | None = None
    origins: tuple[str, ...] = ()
    keymap: dict[str, str] = {}
    inner: _Pydantic.Inner = _Pydantic.Inner()
    needed: str = "r"

    @pydantic.field_validator("*")
    @classmethod
    def _every(cls, value: Any, info: pydantic.ValidationInfo) -> Any:
        if info.field_name == "text" and value == "refused":
            raise ValueError("refused by the check on every field")
        return value

    @pydantic.field_validator("text")
    @classmethod
    def _own(cls, value: str) -> str:
        if value in ("refused", "own"):
            raise ValueError("refused by the field's own check")
        return value.strip()


class Inner(SettingsModel):
    n: int = Setting(1, strict=True)


class Ours(SettingsModel):
    text: str = "x"
    flag: bool = True
    days: int = Setting(30, ge=1, le=3650)
    seconds: float = Setting(300.0, gt=0, le=86400, allow_inf_nan=False)
    ratio: float = Setting(0.5, ge=0, lt=1)
    count: int = Setting(1, strict=True)
    size: float = Setting(1.0, strict=True)
    encoding: Literal["auto", "base64", "raw"] = "auto"
    maybe: str | None = None
    origins: tuple[str, ...] = ()
    keymap: dict[str, str] = {}
    inner: Inner = Inner()
    needed: str = "r"

    @field_check("*")
    @classmethod
    def _every(cls, value: Any, name: str) -> Any:
        if name == "text" and value == "refused":
            raise ValueError("refused by the check on every field")
        return value

    @field_check("text")
    @classmethod
    def _own(cls, value: str) -> str:
        if value in ("refused", "own"):
            raise ValueError("refused by the field's own check")
        return value.strip()


NAN, INF = float("nan"), float("inf")
A_DATE = datetime.date(2026, 12, 2)
VALUES: dict[str, list[Any]] = {
    "text": ["ok", " padded ", "", 1, 1.5, True, None, [], {}, A_DATE, "refused", "own"],
    "flag": [True, False, 1, 0, 2, -1, 1.0, 0.0, 0.5, "yes", "Off", "T", "n", "1", "maybe", "", " true", None, [], A_DATE],
    "days": [5, 1, 3650, 0, 4000, -5, True, False, 5.0, 5.5, INF, NAN, "5", " 5 ", "5_0", "5.0", "+5", "-5", "5.5",
             "1e3", "0x10", "5.", "x", "", "٣", None, [], 10**30, A_DATE],
    "seconds": [5, 0.001, 86400, 0, -1, 86401, True, "5", "5.5", "1e3", " 5 ", "1_0", "inf", "nan", "x", "0x10", "٣",
                INF, NAN, -INF, None, [], 10**30],
    "ratio": [0, 0.99, 1, -0.1, NAN, INF, -INF, "0.5"],
    "count": [5, 0, -5, True, 5.0, "5", None, 10**20],
    "size": [5, 5.5, True, "5", None, NAN, INF, 10**27],
    "encoding": ["auto", "raw", "AUTO", "", 1, None, True],
    "maybe": [None, "x", 1, True],
    "origins": [[], ["a"], ["a", "b"], ["a", 1], "ab", ("a",), 1, None, {"a": 1}, [None]],
    "keymap": [{}, {"a": "b"}, {"a": 1}, {1: "a"}, [], "x", None],
    "inner": [{}, {"n": 2}, {"n": "2"}, {"n": True}, {"m": 1}, 1, None, [], "x"],
}
CASES = [(name, value) for name, values in VALUES.items() for value in values]


def _outcome(model: Any, data: dict[str, Any], error: type[Exception]) -> Any:
    try:
        made = model.model_validate(data)
    except error as exc:
        first = exc.errors()[0]  # type: ignore[attr-defined]
        return ("refused", first["type"], tuple(first["loc"]), first["msg"])
    return ("made", {name: _comparable(getattr(made, name)) for name in data})


def _comparable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, (pydantic.BaseModel, SettingsModel)):
        return {k: getattr(value, k) for k in ("n",)}
    return (type(value).__name__, value)


@pytest.mark.parametrize(("name", "value"), CASES, ids=[f"{n}={v!r}" for n, v in CASES])
def test_a_value_comes_out_or_is_refused_as_pydantic_did(name: str, value: Any) -> None:
    data = {name: value}
    assert _outcome(Ours, data, SettingsInvalid) == _outcome(_Mirror, data, pydantic.ValidationError)


TABLES = [
    {"zz": 1, "text": 1},  # a field's error comes before an unknown key's
    {"zz": 1},
    {"zz": 1, "aa": 2},
    {"text": 1, "flag": "maybe"},  # fields in the order written, not the table's
    {"flag": "maybe", "text": 1},
    {"inner": {"n": "x", "m": 1}, "days": 0},
]


@pytest.mark.parametrize("table", TABLES)
def test_the_first_error_is_the_one_pydantic_reported_first(table: dict[str, Any]) -> None:
    assert _outcome(Ours, table, SettingsInvalid) == _outcome(_Mirror, table, pydantic.ValidationError)


class _MirrorRequired(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    a: str = "x"
    b: str
    c: int


class Required(SettingsModel):
    a: str = "x"
    b: str
    c: int


@pytest.mark.parametrize("table", [{}, {"b": "y"}, {"a": 1, "zz": 2}, {"zz": 2, "c": 1}, {"b": "y", "c": 1}])
def test_required_fields_are_named_in_order(table: dict[str, Any]) -> None:
    assert _outcome(Required, table, SettingsInvalid) == _outcome(_MirrorRequired, table, pydantic.ValidationError)


class Base(SettingsModel):
    base_url: str = ""

    @field_check("*")
    @classmethod
    def _every(cls, value: Any, name: str) -> Any:
        if value == "bad":
            raise ValueError("the base class's check")
        return value


class Derived(Base):
    base_url: str = "https://default.example"
    token: str

    @table_check
    @classmethod
    def _fill(cls, table: Any) -> Any:
        return {"token": "filled", **table} if isinstance(table, dict) else table

    @field_check("base_url")
    @classmethod
    def _own(cls, value: str) -> str:
        if value == "bad":
            raise ValueError("the subclass's check")
        return value


def test_a_subclass_keeps_the_base_checks_first_and_its_own_defaults() -> None:
    with pytest.raises(SettingsInvalid) as caught:
        Derived.model_validate({"base_url": "bad"})
    assert caught.value.errors()[0]["msg"] == "Value error, the base class's check"
    made = Derived.model_validate({})
    assert (made.base_url, made.token) == ("https://default.example", "filled")
    assert list(Derived.model_fields) == ["base_url", "token"]


def test_settings_are_frozen_compared_by_value_and_copied_with_changes() -> None:
    made = Ours.model_validate({"days": 7})
    with pytest.raises(AttributeError):
        made.days = 8  # type: ignore[misc]
    assert made == Ours.model_validate({"days": "7"}) and hash(made) == hash(Ours.model_validate({"days": 7}))
    changed = made.model_copy(update={"days": 9})
    assert (changed.days, made.days, changed.text) == (9, 7, "x")
    assert repr(Inner.model_validate({"n": 3})) == "Inner(n=3)"


def test_validating_a_whole_config_imports_no_pydantic() -> None:
    from tests.test_config import _imported_after

    profiles = {
        "c": {"adapter": "corpay", "client_id": "x", "client_secret": "y"},
        "o": {"adapter": "ocpi", "versions_url": "https://cpo.example/versions", "token": "t", "window_days": 5},
        "m": {"adapter": "monta", "client_id": "x", "client_secret": "y"},
        "s": {"adapter": "spirii", "api_key": "k"},
        "a": {"adapter": "ampeco", "base_url": "https://cp.example/public-api", "api_token": "t"},
    }
    statement = f"from evtui.config.schema import config_from_data; config_from_data({{'profiles': {profiles!r}}}, None)"
    assert _imported_after(statement, ("pydantic", "pydantic_core")) == []


@pytest.mark.parametrize("written", ["field", "validator"])
def test_pydantics_field_or_validator_on_a_settings_model_is_refused_by_name(written: str) -> None:
    # An adapter written for the pydantic settings of before: said plainly, not taken as a default.
    if written == "field":

        class Old(SettingsModel):
            days: int = pydantic.Field(30, ge=1)
    else:

        class Old(SettingsModel):  # type: ignore[no-redef]
            days: int = 30

            @pydantic.field_validator("days")
            @classmethod
            def _check(cls, value: int) -> int:
                return value

    with pytest.raises(TypeError, match=r"Old\.(days|_check) is pydantic's; .*Setting"):
        Old.model_validate({})
