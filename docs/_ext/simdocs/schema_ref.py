"""The scenario file reference, read from the pydantic models of :mod:`sim.scenario` at build
time: every key with its type, unit, default, allowed range and description.

Nothing here is retyped from the code: the key names and types come from the models'
``model_fields``; the ranges from the fields' constraint metadata (``ge``/``gt``/``le``/``lt``,
lengths, ``Literal`` choices); the unit from the key's suffix (``_km``, ``_deg``, ...) or, when the
name carries none, from the field's description (``"time step, s"``); the description from the
field's ``description`` or the section model's docstring.
"""

from __future__ import annotations

import datetime as _dt
import inspect
import re
import types
import typing

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

#: Key suffix -> unit (the project's naming rule: units in names where not SI).
SUFFIX_UNITS = (
    ("_m_s", "m/s"),
    ("_m2", "m^2"),
    ("_km", "km"),
    ("_deg", "deg"),
    ("_kg", "kg"),
    ("_hours", "h"),
    ("_h", "h"),
    ("_days", "days"),
    ("_MeV", "MeV"),
    ("_s", "s"),
    ("_m", "m"),
)
_UNIT_AT_END = re.compile(r",\s*([A-Za-z/^0-9]{1,8})\s*$")


def unit_of(name: str, field: FieldInfo) -> str:
    for suffix, unit in SUFFIX_UNITS:
        if name.endswith(suffix):
            return unit
    if name == "days":
        return "days"
    m = _UNIT_AT_END.search(field.description or "")
    return m.group(1) if m else ""


def _is_model(t: object) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _args(t: object) -> tuple:
    return typing.get_args(t)


def type_text(t: object) -> str:
    """A reader's name for an annotation (TOML terms: number, integer, boolean, string, table)."""
    origin = typing.get_origin(t)
    if origin is typing.Annotated:
        base, *meta = _args(t)
        if base is bool:
            return "boolean"
        return type_text(base)
    if origin in (typing.Union, types.UnionType):
        parts = [a for a in _args(t) if a is not type(None)]
        return " or ".join(type_text(a) for a in parts)
    if origin is typing.Literal:
        return "string"
    if origin in (list, tuple):
        args = [a for a in _args(t) if a is not Ellipsis]
        if origin is tuple and len(args) > 1 and Ellipsis not in _args(t):
            return f"array of {len(args)} {_plural(type_text(args[0]))}"
        return f"array of {_plural(type_text(args[0]))}" if args else "array"
    if origin is dict:
        k, v = _args(t)
        return f"table of {type_text(v)}s"
    if _is_model(t):
        return "table"
    return {
        float: "number",
        int: "integer",
        bool: "boolean",
        str: "string",
        _dt.datetime: "date-time (UTC)",
    }.get(t, getattr(t, "__name__", str(t)))


def _plural(text: str) -> str:
    """The plural of a type's name: "number" -> "numbers", "array of 2 strings" -> "arrays of 2 strings"."""
    head, sep, rest = text.partition(" ")
    return f"{head}s{sep}{rest}" if head in ("array", "table") and rest.startswith("of ") else text + "s"


def _choices(t: object) -> list | None:
    origin = typing.get_origin(t)
    if origin is typing.Literal:
        return list(_args(t))
    if origin in (typing.Union, types.UnionType, list, tuple, typing.Annotated):
        for a in _args(t):
            c = _choices(a)
            if c:
                return c
    return None


def _constraints(t: object, field: FieldInfo) -> list:
    """Constraint objects of the field and of Annotated aliases in its type (Num, Int ...)."""
    out = list(field.metadata)
    stack = [t]
    while stack:
        a = stack.pop()
        if typing.get_origin(a) is typing.Annotated:
            base, *meta = _args(a)
            for m in meta:
                out.extend(getattr(m, "metadata", []) if isinstance(m, FieldInfo) else [m])
            stack.append(base)
        elif typing.get_origin(a) in (typing.Union, types.UnionType):
            stack.extend(_args(a))
    return out


def _num(v: object) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def range_text(t: object, field: FieldInfo) -> str:
    choices = _choices(t)
    if choices:
        return "one of " + ", ".join(f"``{c!r}``".replace("'", '"') for c in choices)
    lo = hi = None
    lengths = []
    for c in _constraints(t, field):
        if isinstance(c, at.Ge):
            lo = f">= {_num(c.ge)}"
        elif isinstance(c, at.Gt):
            lo = f"> {_num(c.gt)}"
        elif isinstance(c, at.Le):
            hi = f"<= {_num(c.le)}"
        elif isinstance(c, at.Lt):
            hi = f"< {_num(c.lt)}"
        elif isinstance(c, at.MinLen):
            lengths.append(f"at least {c.min_length} {'item' if _is_container(t) else 'character'}(s)")
        elif isinstance(c, at.MaxLen):
            lengths.append(f"at most {c.max_length} {'item' if _is_container(t) else 'character'}(s)")
        elif type(c).__name__ == "_PydanticGeneralMetadata" and getattr(c, "pattern", None):
            lengths.append(f"matches ``{c.pattern}``")
        elif getattr(c, "pattern", None):
            lengths.append(f"matches ``{c.pattern}``")
    parts = [p for p in (lo, hi) if p]
    return ", ".join(parts + lengths)


def _is_container(t: object) -> bool:
    origin = typing.get_origin(t)
    if origin in (typing.Union, types.UnionType):
        return any(_is_container(a) for a in _args(t) if a is not type(None))
    return origin in (list, tuple, dict)


def default_text(field: FieldInfo) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        value = field.default_factory()
    else:
        value = field.default
    if value is None or value is PydanticUndefined:
        return "(none)"
    if isinstance(value, BaseModel):
        shown = {k: v for k, v in value.model_dump().items() if v is not None}
        return "``" + ", ".join(f"{k} = {_toml(v)}" for k, v in shown.items()) + "``" if shown else "(table defaults)"
    return f"``{_toml(value)}``"


def _toml(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v + '"'
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_toml(x)}" for k, x in v.items()) + "}"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def submodel(t: object) -> tuple[type[BaseModel] | None, bool]:
    """(model, is_array) when the annotation holds a pydantic model (a table or array of tables)."""
    if _is_model(t):
        return t, False
    origin = typing.get_origin(t)
    if origin in (list, tuple):
        for a in _args(t):
            if _is_model(a):
                return a, True
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for a in _args(t):
            m, arr = submodel(a)
            if m is not None:
                return m, arr
    return None, False


_ROLE = re.compile(r":(\w+):`(~?)([A-Za-z_][\w.]*)`")


def _doc(model: type[BaseModel]) -> str:
    """The model docstring's first paragraph; a role naming one of the model's own members
    (``:meth:`build```) is qualified with the model (the page has no class context)."""
    doc = inspect.cleandoc(model.__dict__.get("__doc__") or "")
    text = " ".join(doc.split("\n\n")[0].split())

    def qualify(m: re.Match) -> str:
        role, tilde, target = m.groups()
        head = target.split(".")[0]
        if "." not in target and hasattr(model, head) and head in model.__dict__:
            return f":{role}:`{tilde or '~'}{model.__module__}.{model.__qualname__}.{target}`"
        return m.group(0)

    return _ROLE.sub(qualify, text)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def sections(model: type[BaseModel], path: str = "", array: bool = False, top: bool = True) -> list[tuple]:
    """(heading, model, is_array) for every table of the schema, depth first, in field order."""
    out = [(path, model, array)]
    for name, field in model.model_fields.items():
        sub, is_array = submodel(field.annotation)
        if sub is not None:
            child = f"{path}.{name}" if path else name
            out += sections(sub, child, is_array, top=False)
    return out


def render(model: type[BaseModel], title_level: str = "-") -> str:
    """reStructuredText: one section and one table per table of the schema."""
    lines = []
    for path, sub, is_array in sections(model):
        heading = "The file's tables" if not path else f"``[[{path}]]``" if is_array else f"``[{path}]``"
        lines += [heading, title_level * len(heading), ""]
        doc = _doc(sub)
        if doc:
            lines += [doc, ""]
        lines += [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 18 14 6 16 20 26",
            "",
            "   * - key",
            "     - type",
            "     - unit",
            "     - default",
            "     - allowed",
            "     - description",
        ]
        for name, field in sub.model_fields.items():
            nested, arr = submodel(field.annotation)
            desc = field.description or ""
            if nested is not None:
                key = f"{path}.{name}" if path else name
                where = f"``[[{key}]]``" if arr else f"``[{key}]``"
                desc = (desc + "; " if desc else "") + f"see {where}"
            lines += [
                f"   * - ``{name}``",
                f"     - {_cell(type_text(field.annotation))}",
                f"     - {_cell(unit_of(name, field))}",
                f"     - {_cell(default_text(field))}",
                f"     - {_cell(range_text(field.annotation, field))}",
                f"     - {_cell(desc)}",
            ]
        lines += [""]
    return "\n".join(lines)


def all_keys(model: type[BaseModel]) -> list[str]:
    """Dotted paths of every key of the schema (used by the tests to check the page is complete)."""
    out = []
    for path, sub, _ in sections(model):
        out += [f"{path}.{name}" if path else name for name in sub.model_fields]
    return out
