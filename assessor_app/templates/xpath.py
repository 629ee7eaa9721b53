"""Translating relevance conditions to and from the XPath subset XLSForm uses.

``to_xpath(expr)`` writes a parsed condition (:mod:`.conditions`) as an XLSForm ``relevant``
expression, e.g. ``q1 == 'yes' and count(q4) >= 2`` -> ``${q1} = 'yes' and count-selected(${q4}) >= 2``.

``from_xpath(text)`` reads the subset back into condition text, or raises :class:`XPathUnsupported`
naming what it cannot translate. The subset: ``${name}``, 'strings', numbers, ``= != < <= > >=``,
``and``, ``or``, ``not(...)``, parentheses, ``selected(${x}, 'v')``, ``count-selected(${x})``,
``true()``, ``false()``, and ``${x} != ''`` / ``${x} = ''`` (answered / unanswered). Anything
else (arithmetic, paths, ``if()``, ``string-length()``, ``position()``, ...) is refused.
"""

from __future__ import annotations

import re

from ..errors import UserError
from ..i18n import _
from .conditions import And, Bool, Call, Compare, Expr, Name, Not, Null, Number, Or, String, parse


class XPathUnsupported(UserError):
    """An XLSForm expression uses XPath outside the subset that maps to a condition."""


def _literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise XPathUnsupported(_("a text holding both ' and \" cannot be written in XPath"))


def to_xpath(expr: Expr, boolean: bool = True) -> str:
    """XPath for a parsed condition (what ODK Collect evaluates; our engine keeps the original).
    ``boolean`` is True where the value is used as a condition: a bare item id there means
    "answered and not no/na", as in our language."""
    if isinstance(expr, Name):
        ref = "${" + expr.id + "}"
        return f"({ref} != '' and {ref} != 'no' and {ref} != 'na')" if boolean else ref
    if isinstance(expr, Number):
        return str(expr)
    if isinstance(expr, String):
        return _literal(expr.value)
    if isinstance(expr, Bool):
        return "true()" if expr.value else "false()"
    if isinstance(expr, Null):
        return "''"
    if isinstance(expr, Call):
        ref = "${" + expr.ref + "}"
        if expr.name == "answered":
            return f"{ref} != ''"
        if expr.name == "count":
            return f"count-selected({ref})" + (" > 0" if boolean else "")
        return f"selected({ref}, {_literal(expr.option)})"
    if isinstance(expr, Not):
        return f"not({to_xpath(expr.operand)})"
    if isinstance(expr, (And, Or)):
        word = " and " if isinstance(expr, And) else " or "
        return word.join(f"({to_xpath(o)})" if isinstance(o, (And, Or)) else to_xpath(o)
                         for o in expr.operands)
    if isinstance(expr, Compare):
        op = "=" if expr.op == "==" else expr.op
        return f"{to_xpath(expr.left, False)} {op} {to_xpath(expr.right, False)}"
    raise XPathUnsupported(_("cannot write {what} as XPath").format(what=type(expr).__name__))


_TOKEN = re.compile(r"""\s*(?:
      (?P<ref>\$\{(?P<refname>[A-Za-z_][A-Za-z0-9_.-]*)\})
    | (?P<func>selected|count-selected|answered|not|true|false)\s*\(
    | (?P<kw>and|or)\b
    | (?P<num>-?[0-9]+(?:\.[0-9]+)?)
    | (?P<op>!=|<=|>=|=|<|>)
    | (?P<punct>[(),])
    | (?P<str>'[^']*'|"[^"]*")
    | (?P<bad>[^\s]+?)(?=[\s(),=<>!]|$))""", re.VERBOSE)


def from_xpath(text: str) -> str:
    """Condition text for an XLSForm ``relevant`` expression, or raise XPathUnsupported."""
    out: list[str] = []
    pos = 0
    text = text.strip()
    # ${x} != '' and ${x} = '' first: they read as answered(x) / x == null
    text = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}\s*!=\s*(''|\"\")", r"answered(${\1})", text)
    text = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}\s*=\s*(''|\"\")", r"${\1} = null", text)
    depth_not: list[int] = []   # paren depths at which a not( was opened
    depth = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        if m.group("ref"):
            name = m.group("refname")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise XPathUnsupported(_("the name {name} is not a valid item id").format(
                    name=repr(name)))
            out.append(name)
        elif m.group("func"):
            func = m.group("func")
            depth += 1
            if func in ("true", "false"):
                close = _TOKEN.match(text, pos)
                if close is None or close.group("punct") != ")":
                    raise XPathUnsupported(_("{func}() takes no arguments").format(func=func))
                pos = close.end()
                depth -= 1
                out.append(func)
            elif func == "not":
                depth_not.append(depth)
                out.append("not (")
            else:
                out.append({"count-selected": "count"}.get(func, func) + "(")
        elif m.group("kw"):
            out.append(m.group("kw"))
        elif m.group("num"):
            out.append(m.group("num"))
        elif m.group("op"):
            op = m.group("op")
            out.append("==" if op == "=" else op)
        elif m.group("punct"):
            p = m.group("punct")
            if p == "(":
                depth += 1
            elif p == ")":
                if depth_not and depth_not[-1] == depth:
                    depth_not.pop()
                depth -= 1
            out.append(p)
        elif m.group("str"):
            out.append(m.group("str"))
        else:
            bad = m.group("bad")
            if bad == "null":
                out.append("null")
                continue
            raise XPathUnsupported(_("cannot translate {part} (only ${{name}}, comparisons, and, or, "
                                     "not(), selected(), count-selected() map to a condition)")
                                   .format(part=repr(bad)))
    condition = " ".join(out).replace("( ", "(").replace(" )", ")").replace(" ,", ",")
    try:
        parse(condition)
    except UserError as exc:
        raise XPathUnsupported(_("cannot translate: {error}").format(error=exc)) from None
    return condition
