"""Typed values from JSON another user may have written: checked once, at the edge.

`json.loads` believes anything: `NaN`, `1e999` (infinity), a 400-digit integer, a list where
an object should be. A reader holds each record to the type it is declared as (a TypedDict,
`int`, `float | None`, `dict[str, float]`…) with `problem`, which says in a few words what is
wrong, or None when the value fits. Numbers must be finite, whole numbers within ±2**53
(what a float holds exactly, and what every JSON reader agrees on); `bool` is not a number;
a field named in `RANGES` must also lie in its range (an epoch in the billions is not one).
"""

from __future__ import annotations

import json
import math
import types
import typing
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin, get_type_hints

JSON_INT_MAX = 2**53
"""The largest integer every JSON reader holds exactly."""
COUNT_MAX = 10_000_000
"""Epochs, steps, folds, batches: far above any run tui-dl allows (100,000 epochs)."""
RANGES: dict[str, tuple[float, float]] = {
    name: (0, COUNT_MAX)
    for name in (
        "epoch",
        "epochs",
        "batch",
        "steps",
        "step",
        "fold",
        "folds",
        "stopped_epoch",
        "best_epoch",
        "patience",
        "k",
        "index",
        "cells",
        "position",
        "slots",
        "busy",
    )
}
"""Fields whose numbers must lie in a range, wherever they appear."""
MAX_DEPTH = 32
"""How deep nested lists and objects may go (`[[[[…]]]]` a thousand deep is not data)."""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


def loads(text: str | bytes) -> Any:
    """`json.loads` that refuses NaN and Infinity (ValueError) instead of making floats."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        return _DECODER.decode(text)
    except RecursionError:  # [[[[…]]]] nested beyond what Python's parser recurses
        raise ValueError("nested too deep") from None


def _number(value: Any, name: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{name}: {_kind(value)}, not a number"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{name}: not a finite number"
    if isinstance(value, int) and abs(value) > JSON_INT_MAX:
        return f"{name}: too large a whole number"
    low, high = RANGES.get(name.rpartition(".")[2], (-math.inf, math.inf))
    if not low <= value <= high:
        return f"{name}: {value:g} is out of range ({low:g} to {high:g})"
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _any(value: Any, name: str, depth: int) -> str | None:
    """Any JSON value, its numbers within bounds."""
    if depth > MAX_DEPTH:
        return f"{name}: nested too deep"
    if value is None or isinstance(value, bool | str):
        return None
    if isinstance(value, int | float):
        return _number(value, name)
    if isinstance(value, list):
        return next((p for v in value if (p := _any(v, name, depth + 1))), None)
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _any(item, f"{name}.{key}", depth + 1)
            if problem:
                return problem
        return None
    return f"{name}: {_kind(value)} is not JSON"


def problem(value: Any, annotation: Any, name: str = "value", depth: int = 0) -> str | None:
    """What is wrong with `value` as a value of `annotation`, or None when it fits."""
    if depth == 0 and _checker(annotation)(value):
        return None  # the quick check passed: no words to find
    return _problem(value, annotation, name, depth) or f"{name}: not what it should be"


def _problem(value: Any, annotation: Any, name: str = "value", depth: int = 0) -> str | None:
    if depth > MAX_DEPTH:
        return f"{name}: nested too deep"
    if annotation is Any:
        return _any(value, name, depth)
    if typing.is_typeddict(annotation):
        return _typed_problem(value, annotation, name, depth)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = get_args(annotation)
        if value is None and type(None) in options:
            return None
        tried = [_problem(value, option, name, depth) for option in options]
        return None if None in tried else next(p for p in tried if p)
    if annotation is type(None):
        return None if value is None else f"{name}: {_kind(value)}, not null"
    if annotation is float:
        return _number(value, name)
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{name}: {_kind(value)}, not a whole number"
        return _number(value, name)
    if annotation is str:
        return None if isinstance(value, str) else f"{name}: {_kind(value)}, not text"
    if annotation is bool:
        return None if isinstance(value, bool) else f"{name}: {_kind(value)}, not true/false"
    if origin is list:
        if not isinstance(value, list):
            return f"{name}: {_kind(value)}, not a list"
        (item,) = get_args(annotation) or (Any,)
        found = (_problem(v, item, f"{name}[{i}]", depth + 1) for i, v in enumerate(value))
        return next((p for p in found if p), None)
    if origin is dict:
        if not isinstance(value, dict):
            return f"{name}: {_kind(value)}, not an object"
        _, item = get_args(annotation) or (str, Any)
        found = (_problem(v, item, f"{name}.{k}", depth + 1) for k, v in value.items())
        return next((p for p in found if p), None)
    raise TypeError(f"no check for {annotation!r}")


def typed_problem(value: Any, typed: Any, name: str = "", depth: int = 0) -> str | None:
    """What is wrong with `value` as the TypedDict `typed`: not an object, a required key
    missing, a key of the wrong type. Keys it does not name are let through unchecked
    (a newer version's addition); a reader uses only the keys it names."""
    if depth == 0 and _checker(typed)(value):
        return None
    found = _typed_problem(value, typed, name, depth)
    return found or f"{name or 'it'}: not what it should be"


def _typed_problem(value: Any, typed: Any, name: str = "", depth: int = 0) -> str | None:
    where = f"{name}." if name else ""
    if not isinstance(value, dict):
        return f"{name or 'it'}: {_kind(value)}, not an object"
    missing = sorted(set(typed.__required_keys__) - set(value))
    if missing:
        return f"{where}{missing[0]}: missing"
    for key, annotation in _hints(typed).items():
        if key in value:
            found = _problem(value[key], annotation, f"{where}{key}", depth + 1)
            if found:
                return found
    return None


_HINTS: dict[Any, dict[str, Any]] = {}


def _hints(typed: Any) -> dict[str, Any]:
    """A TypedDict's field types (NotRequired unwrapped), worked out once per class."""
    if typed not in _HINTS:
        _HINTS[typed] = get_type_hints(typed)
    return _HINTS[typed]


# ----- the quick check: the same rules, compiled once per type, no words ---------------------
Check = Callable[[Any], bool]
_CHECKERS: dict[Any, Check] = {}


def _checker(annotation: Any) -> Check:
    """A function telling whether a value fits `annotation` (what `problem` finds nothing
    wrong with), built once per type: reading a run's thousands of records stays cheap."""
    if annotation not in _CHECKERS:
        _CHECKERS[annotation] = _compile(annotation, "")
    return _CHECKERS[annotation]


def _number_fits(value: Any, key: str) -> bool:
    """A whole number within ±2**53 or a finite float, within the key's range if it has one."""
    kind = type(value)
    if kind is int:
        if not -JSON_INT_MAX <= value <= JSON_INT_MAX:
            return False
    elif kind is not float or not math.isfinite(value):
        return False
    low, high = RANGES.get(key, (-math.inf, math.inf))
    return low <= value <= high


def _any_fits(value: Any, key: str, depth: int) -> bool:
    kind = type(value)
    if value is None or kind is str or kind is bool:
        return True
    if kind is int or kind is float:
        return _number_fits(value, key)
    if depth > MAX_DEPTH:
        return False
    if kind is list:
        return all(_any_fits(item, key, depth + 1) for item in value)
    if kind is dict:
        return all(_any_fits(item, k, depth + 1) for k, item in value.items())
    return False


def _compile(annotation: Any, key: str) -> Check:  # noqa: C901 - one branch per kind of type
    if annotation is Any:
        return lambda value: _any_fits(value, key, 0)
    if typing.is_typeddict(annotation):
        required = tuple(annotation.__required_keys__)
        fields = tuple((k, _compile(t, k)) for k, t in _hints(annotation).items())

        def typed(value: Any) -> bool:
            if type(value) is not dict or any(k not in value for k in required):
                return False
            return all(check(value[k]) for k, check in fields if k in value)

        return typed
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = get_args(annotation)
        none_ok = type(None) in options
        checks = tuple(_compile(o, key) for o in options if o is not type(None))
        return lambda value: (value is None and none_ok) or any(c(value) for c in checks)
    if annotation is type(None):
        return lambda value: value is None
    if annotation is int:
        return lambda value: type(value) is int and _number_fits(value, key)
    if annotation is float:
        return lambda value: _number_fits(value, key)
    if annotation is str or annotation is bool:
        return lambda value: type(value) is annotation
    if origin is list:
        (item,) = get_args(annotation) or (Any,)
        each = _compile(item, key)
        return lambda value: type(value) is list and all(each(v) for v in value)
    if origin is dict:
        _, item = get_args(annotation) or (str, Any)
        if item is Any:
            return lambda value: type(value) is dict and _any_fits(value, key, 0)
        plain = _compile(item, "")
        ranged = {k: _compile(item, k) for k in RANGES}

        def mapping(value: Any) -> bool:
            if type(value) is not dict:
                return False
            return all(ranged.get(k, plain)(v) for k, v in value.items())

        return mapping
    raise TypeError(f"no check for {annotation!r}")
