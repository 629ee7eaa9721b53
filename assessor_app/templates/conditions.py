r"""Relevance conditions and evidence rules: a small, safe expression language.

An item is shown only while its ``relevant`` condition holds, and an evidence rule applies only
while its ``when`` condition holds. A condition is a short expression over other items' answers::

    q1 == 'yes' and (count(q4) >= 2 or not answered(q5))

The text is read by a hand-written tokenizer and parser and is never given to Python's ``eval``,
so a template cannot run code. ``parse()`` returns a tree of frozen dataclasses (``str(tree)`` is
canonical text that parses back to an equal tree) or raises :class:`ConditionError`, whose message
is one line naming the column (counted from 1), e.g. ``unexpected ')' at column 14``.

Grammar, loosest binding first::

    condition  := and_expr ('or' and_expr)*
    and_expr   := term ('and' term)*
    term       := 'not' 'not'* operand  |  operand [compare operand]
    operand    := number | string | 'true' | 'false' | 'null' | call | item | '(' condition ')'
    call       := 'selected' '(' item ',' string ')'  |  'answered' '(' item ')'
                | 'count' '(' item ')'
    compare    := '==' | '!=' | '<' | '<=' | '>' | '>='
    number     := ['-'] digits ['.' digits]                      3   -2   0.5
    string     := '...' or "..."; inside, \' \" and \\ stand for ' " and \
    item       := a letter or _, then letters, digits or _; not a keyword
    keywords   := and or not true false null                     (lower case)

Precedence is ``not``, then comparisons, then ``and``, then ``or``. ``not`` applies to the one
operand after it, so ``not q1 == 'yes'`` would compare ``not q1`` with 'yes', which is never what
is meant: it is refused, write ``not (q1 == 'yes')``. Comparisons do not chain: ``a < b < c`` is
refused, write ``a < b and b < c``.

Meaning:

* An item id stands for its answer: text ('yes', 'no', 'na', an option value, free text, a date
  'YYYY-MM-DD'), a number, true/false, a list of option values (multiple choice), a location, or
  null while unanswered (or hidden).
* Used as a condition (alone, or under and/or/not) a value counts as true when it is answered and
  is none of 'no', 'na', 0, false, '' or an empty list: ``q1`` alone means "q1 is answered and is
  not no or na", ``count(q4)`` alone means "at least one option chosen".
* ``==`` and ``!=`` compare values of the same kind: numbers (``3 == 3.0``), text, true/false,
  lists, locations. Values of different kinds are neither equal nor unequal, and neither is an
  unanswered item: ``q1 != 'no'`` is false while q1 is unanswered, ``q2 == '3'`` is false when q2
  is the number 3. true and false are not numbers.
* ``x == null`` is true while x is unanswered, ``x != null`` once it has any answer.
* ``<`` ``<=`` ``>`` ``>=`` order two numbers, or two texts by character; anything else is false.
* ``selected(q, 'v')``: q's answer is 'v' or a list containing 'v'. ``answered(q)``: q's answer
  is not null, '' or an empty list. ``count(q)``: the number of options chosen when q's answer is
  a list, 0 while q is unanswered, 1 for any other answer.
* Limits: 2000 characters, and 64 levels of nesting (parentheses and ``not``).

Evaluating never raises for answers of the kinds above and always returns a real ``bool``.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from ..errors import UserError
from ..i18n import _

MAX_LENGTH = 2000
MAX_DEPTH = 64
KEYWORDS = frozenset({"and", "or", "not", "true", "false", "null"})
FUNCTIONS = ("answered", "count", "selected")
Lookup = Callable[[str], Any]

# [0-9] and [A-Za-z], not \d and \w: those accept other scripts' digits, which int() may refuse.
_TOKEN = re.compile(r"""\s*(?:
      (?P<num>-?[0-9]+(?:\.[0-9]+)?)(?P<tail>[A-Za-z0-9_.]*)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>[=!<>]=|[<>])
    | (?P<punct>[(),])
    | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<bad>\S))""", re.VERBOSE | re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_HINTS = {"=": "; use '==' to compare", "&": "; use 'and'", "|": "; use 'or'", "!": "; use 'not'"}
_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


class ConditionError(UserError, ValueError):
    """A condition could not be read. ``message`` is the one-line text (also ``str()``), naming
    the column counted from 1; ``position`` is the 0-based character offset it points at."""

    def __init__(self, message: str, position: int):
        super().__init__(message)
        self.message, self.position = message, position

    def __reduce__(self):
        return type(self), (self.message, self.position)


def _fail(position: int, template: str, **fields) -> ConditionError:
    """The error for an English ``template``, translated here (extract with ``-k _fail:2``)."""
    try:
        text = _(template).format(column=position + 1, **fields)
    except (KeyError, IndexError, ValueError):  # a broken translation must not hide the error
        text = template.format(column=position + 1, **fields)
    return ConditionError(text, position)


def _show(text: str) -> str:
    """Quote source text for a message: one line, not too long."""
    short = text if len(text) <= 24 else text[:23] + "\u2026"
    return f"'{short}'" if short.isprintable() else repr(short)


# --- the tree --------------------------------------------------------------------------------

class Expr:
    """Base of the condition tree; nodes are frozen dataclasses, equal when their text means the
    same tree. ``str(node)`` is canonical text: ``parse(str(node)) == node``."""

    __slots__ = ()

    def references(self) -> frozenset[str]:
        """Every item id the condition reads, e.g. ``frozenset({'q1', 'q4'})``."""
        return frozenset()

    def evaluate(self, lookup: Lookup) -> bool:
        """Whether the condition holds; ``lookup(item_id)`` returns the answer, None if unanswered.
        Never raises for answers of the documented kinds (unless ``lookup`` itself does)."""
        return _truthy(self._value(lookup))

    def _value(self, lookup: Lookup) -> Any:
        raise TypeError(f"{type(self).__name__} does not define _value")  # abstract base


@dataclass(frozen=True, slots=True)
class Name(Expr):
    id: str
    def references(self): return frozenset((self.id,))
    def _value(self, lookup): return lookup(self.id)
    def __str__(self): return self.id


@dataclass(frozen=True, slots=True)
class Number(Expr):
    value: int | float
    def _value(self, lookup): return self.value

    def __str__(self):
        if isinstance(self.value, int):
            return str(self.value)
        text = format(Decimal(repr(self.value)), "f")  # the grammar has no exponent notation
        return text if "." in text else text + ".0"


@dataclass(frozen=True, slots=True)
class String(Expr):
    value: str
    def _value(self, lookup): return self.value
    def __str__(self): return "'" + self.value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True, slots=True)
class Bool(Expr):
    value: bool
    def _value(self, lookup): return self.value
    def __str__(self): return "true" if self.value else "false"


@dataclass(frozen=True, slots=True)
class Null(Expr):
    def _value(self, lookup): return None
    def __str__(self): return "null"


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """``answered(ref)``, ``count(ref)`` or ``selected(ref, option)``."""
    name: str
    ref: str
    option: str | None = None

    def references(self): return frozenset((self.ref,))

    def _value(self, lookup):
        answer = lookup(self.ref)
        if self.name == "answered":
            return _answered(answer)
        if self.name == "count":
            if not _answered(answer):
                return 0
            return len(answer) if isinstance(answer, (list, tuple)) else 1
        if isinstance(answer, (list, tuple)):
            return any(isinstance(v, str) and v == self.option for v in answer)
        return isinstance(answer, str) and answer == self.option

    def __str__(self):
        option = "" if self.option is None else ", " + str(String(self.option))
        return f"{self.name}({self.ref}{option})"


@dataclass(frozen=True, slots=True)
class Not(Expr):
    operand: Expr
    def references(self): return self.operand.references()
    def _value(self, lookup): return not self.operand.evaluate(lookup)
    def __str__(self): return "not " + _wrap(self.operand, (And, Or, Compare))


@dataclass(frozen=True, slots=True)
class And(Expr):
    """Two or more operands: ``a and b and c`` is one flat node, ``a and (b and c)`` two."""
    operands: tuple[Expr, ...]
    def references(self): return frozenset().union(*(o.references() for o in self.operands))
    def _value(self, lookup): return all(o.evaluate(lookup) for o in self.operands)
    def __str__(self): return " and ".join(_wrap(o, (And, Or)) for o in self.operands)


@dataclass(frozen=True, slots=True)
class Or(Expr):
    """Two or more operands, like :class:`And`."""
    operands: tuple[Expr, ...]
    def references(self): return frozenset().union(*(o.references() for o in self.operands))
    def _value(self, lookup): return any(o.evaluate(lookup) for o in self.operands)
    def __str__(self): return " or ".join(_wrap(o, (Or,)) for o in self.operands)


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    """``left op right`` with op one of == != < <= > >=."""
    op: str
    left: Expr
    right: Expr

    def references(self): return self.left.references() | self.right.references()

    def _value(self, lookup):
        if isinstance(self.left, Null) or isinstance(self.right, Null):  # "is (not) answered"
            other = (self.right if isinstance(self.left, Null) else self.left)._value(lookup)
            return {"==": other is None, "!=": other is not None}.get(self.op, False)
        left, right = self.left._value(lookup), self.right._value(lookup)
        kind = _kind(left)
        if kind is None or kind != _kind(right):
            return False
        if self.op in ("==", "!="):
            return (left == right) is (self.op == "==")
        return kind in ("number", "text") and bool(_ORDER[self.op](left, right))

    def __str__(self):
        kinds = (And, Or, Compare, Not)
        return f"{_wrap(self.left, kinds)} {self.op} {_wrap(self.right, kinds)}"


def _wrap(node: Expr, kinds: tuple[type, ...]) -> str:
    return f"({node})" if isinstance(node, kinds) else str(node)


def _kind(value: Any) -> str | None:
    """Which values compare with which: None for unanswered (and anything no answer can be)."""
    for kind, types in (("bool", bool), ("number", (int, float)), ("text", str),
                        ("list", (list, tuple)), ("location", dict)):
        if isinstance(value, types):
            return kind
    return None


def _answered(value: Any) -> bool:
    return value is not None and not (isinstance(value, (str, list, tuple)) and len(value) == 0)


def _truthy(value: Any) -> bool:
    if isinstance(value, (bool, int, float)):
        return bool(value)
    if isinstance(value, str):
        return value not in ("", "no", "na")
    return _answered(value)


# --- reading ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "num", "str", "name", "op", "end", or the keyword or punctuation itself
    value: Any
    pos: int
    text: str


def _tokenize(text: str) -> list[_Token]:
    tokens, i = [], 0
    while (m := _TOKEN.match(text, i)) is not None:
        kind = "num" if m["num"] is not None else m.lastgroup
        pos, raw, i = m.start(kind), m[kind], m.end()
        if m["tail"]:
            raise _fail(pos, "malformed number {number} at column {column}",
                        number=_show(raw + m["tail"]))
        if kind == "num":
            value = float(raw) if "." in raw else int(raw)
            if not math.isfinite(value):
                raise _fail(pos, "number {number} is too large at column {column}",
                            number=_show(raw))
            tokens.append(_Token("num", value, pos, raw))
        elif kind == "str":
            for esc in _ESCAPE.finditer(raw, 1, len(raw) - 1):
                if esc[1] not in "'\"\\":
                    raise _fail(pos + esc.start(), "unknown escape {escape} at column {column}; "
                                "only \\' \\\" and \\\\ are allowed", escape=_show(esc[0]))
            tokens.append(_Token("str", _ESCAPE.sub(r"\1", raw[1:-1]), pos, raw))
        elif kind == "bad" and raw in "'\"":
            raise _fail(pos, "text starting at column {column} has no closing quote")
        elif kind == "bad":
            raise _fail(pos, "unexpected character {char} at column {column}{hint}",
                        char=_show(raw), hint=_(_HINTS[raw]) if raw in _HINTS else "")
        else:
            keyword = kind == "punct" or (kind == "name" and raw in KEYWORDS)
            tokens.append(_Token(raw if keyword else kind, raw, pos, raw))
    tokens.append(_Token("end", None, len(text), ""))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens, self.i, self.depth = _tokenize(text), 0, 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return tok

    def unexpected(self, tok: _Token, expected: str) -> ConditionError:
        if tok.kind == "end":
            what = _("end of condition")
        else:
            what = _show(tok.value if tok.kind == "str" else tok.text)
        if tok.kind in ("str", "num"):
            what = (_("text") if tok.kind == "str" else _("number")) + " " + what
        return _fail(tok.pos, "unexpected {what} at column {column}; expected {expected}",
                     what=what, expected=expected)

    def expect(self, kind: str, expected: str) -> _Token:
        if self.peek().kind != kind:
            raise self.unexpected(self.peek(), expected)
        return self.take()

    def nest(self, levels: int, tok: _Token) -> None:
        self.depth += levels
        if self.depth > MAX_DEPTH:
            raise _fail(tok.pos, "condition is nested more than {limit} levels deep at column "
                                 "{column}", limit=MAX_DEPTH)

    def condition(self, keyword: str = "or") -> Expr:
        """``or`` of ``and`` of terms; a chain is read in a loop, so its length costs no depth."""
        part = self.term if keyword == "and" else lambda: self.condition("and")
        parts = [part()]
        while self.peek().kind == keyword:
            self.take()
            parts.append(part())
        return parts[0] if len(parts) == 1 else (And if keyword == "and" else Or)(tuple(parts))

    def term(self) -> Expr:
        nots = []
        while self.peek().kind == "not":
            nots.append(self.take())
        if nots:  # point at the first 'not' past the limit
            self.nest(len(nots), nots[max(0, min(len(nots) - 1, MAX_DEPTH - self.depth))])
        node = self.operand()
        self.depth -= len(nots)
        op = self.peek()
        if nots and op.kind == "op":
            raise _fail(op.pos, "'not' and {op} need parentheses at column {column}; write "
                                "not (a {bare} b) or (not a) {bare} b",
                        op=_show(op.text), bare=op.text)
        for _level in nots:
            node = Not(node)
        if op.kind != "op":
            return node
        self.take()
        if self.peek().kind == "not":
            raise _fail(self.peek().pos, "'not' after {op} needs parentheses at column {column}; "
                                         "write a {bare} (not b)", op=_show(op.text), bare=op.text)
        right = self.operand()
        if self.peek().kind == "op":
            raise _fail(self.peek().pos, "comparisons cannot be chained at column {column}; "
                                         "join them with 'and'")
        return Compare(op.text, node, right)

    def operand(self) -> Expr:
        tok = self.take()
        if tok.kind in ("num", "str"):
            return (Number if tok.kind == "num" else String)(tok.value)
        if tok.kind in ("true", "false"):
            return Bool(tok.kind == "true")
        if tok.kind == "null":
            return Null()
        if tok.kind == "name":
            return self.call(tok) if self.peek().kind == "(" else Name(tok.value)
        if tok.kind == "(":
            self.nest(1, tok)
            inner = self.condition()
            self.expect(")", "')'")
            self.depth -= 1
            return inner
        raise self.unexpected(tok, _("an item id, a value or '('"))

    def call(self, name: _Token) -> Call:
        if name.value not in FUNCTIONS:
            raise _fail(name.pos, "unknown function {name} at column {column}; the functions are "
                                  "{known}", name=_show(name.value), known=", ".join(FUNCTIONS))
        self.take()
        ref = self.expect("name", _("an item id")).value
        option = None
        if name.value == "selected":
            self.expect(",", _("',' and a quoted option value"))
            option = self.expect("str", _("a quoted option value")).value
        self.expect(")", "')'")
        return Call(name.value, ref, option)


def parse(text: str) -> Expr:
    """Read a condition, e.g. ``parse("q1 == 'yes'")``; raises :class:`ConditionError`."""
    if not isinstance(text, str):
        raise _fail(0, "a condition must be text at column {column}")
    if len(text) > MAX_LENGTH:
        raise _fail(MAX_LENGTH, "condition is longer than {limit} characters at column {column}",
                    limit=MAX_LENGTH)
    if not text.strip():
        raise _fail(0, "condition is empty at column {column}")
    parser = _Parser(text)
    tree = parser.condition()
    if parser.peek().kind != "end":
        raise parser.unexpected(parser.peek(), _("'and', 'or' or the end"))
    return tree
