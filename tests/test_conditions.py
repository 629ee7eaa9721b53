"""The condition language: parsing, canonical text, evaluation, errors and limits."""

import pickle

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assessor_app.errors import UserError
from assessor_app.templates.conditions import (
    FUNCTIONS, KEYWORDS, MAX_DEPTH, MAX_LENGTH, And, Bool, Call, Compare, ConditionError, Expr,
    Name, Not, Null, Number, Or, String, parse)

a, b, c = Name("a"), Name("b"), Name("c")
OPS = ("==", "!=", "<", "<=", ">", ">=")


def ev(text, **answers):
    result = parse(text).evaluate(answers.get)
    assert type(result) is bool
    return result


# --- structure -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, tree", [
    ("a or b and c", Or((a, And((b, c))))),
    ("a and b or c", Or((And((a, b)), c))),
    ("a or b or c", Or((a, b, c))),
    ("a and b and c", And((a, b, c))),
    ("(a or b) or c", Or((Or((a, b)), c))),
    ("a and (b and c)", And((a, And((b, c))))),
    ("(a or b) and c", And((Or((a, b)), c))),
    ("not a and b", And((Not(a), b))),
    ("not a or b", Or((Not(a), b))),
    ("not (a or b)", Not(Or((a, b)))),
    ("not not a", Not(Not(a))),
    ("not (a == b)", Not(Compare("==", a, b))),
    ("(not a) == b", Compare("==", Not(a), b)),
    ("a == 1 and b != 'x' or c", Or((And((Compare("==", a, Number(1)), Compare("!=", b, String("x")))), c))),
    ("a < b and b < c", And((Compare("<", a, b), Compare("<", b, c)))),
    ("(a < b) == true", Compare("==", Compare("<", a, b), Bool(True))),
    ("count(a) >= 2", Compare(">=", Call("count", "a"), Number(2))),
    ("((a))", a),
])
def test_precedence_and_grouping(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text, tree", [
    ("3", Number(3)), ("-2", Number(-2)), ("0.5", Number(0.5)), ("-0.25", Number(-0.25)),
    ("007", Number(7)), ("'yes'", String("yes")), ('"yes"', String("yes")),
    (r"'it\'s'", String("it's")), (r'"say \"hi\""', String('say "hi"')), (r"'a\\b'", String("a\\b")),
    ("'it''s'", None), ('"it\'s"', String("it's")), ("''", String("")), ("'a\nb'", String("a\nb")),
    ("true", Bool(True)), ("false", Bool(False)), ("null", Null()),
    ("_x9", Name("_x9")), ("True", Name("True")), ("count", Name("count")), ("andy", Name("andy")),
])
def test_literals_and_names(text, tree):
    if tree is None:  # two strings side by side are not one string with a doubled quote
        with pytest.raises(ConditionError):
            parse(text)
    else:
        assert parse(text) == tree


def test_true_and_one_are_different_trees():
    assert parse("a == true") != parse("a == 1")
    assert parse("a == '1'") != parse("a == 1")


@pytest.mark.parametrize("text, canonical", [
    ("a==1", "a == 1"),
    ("  q1   ==\n'yes'  ", "q1 == 'yes'"),
    ('selected(q2,"it\'s")', r"selected(q2, 'it\'s')"),
    ("not(a)", "not a"),
    ("not (a and b)", "not (a and b)"),
    ("((a and b)) and c", "(a and b) and c"),
    ("a or (b and c)", "a or b and c"),
    ("(not a) != 0.50", "(not a) != 0.5"),
    ("x == -0010", "x == -10"),
    ("answered( q )", "answered(q)"),
])
def test_canonical_text(text, canonical):
    assert str(parse(text)) == canonical
    assert parse(canonical) == parse(text)


def test_float_text_never_uses_exponents():
    for value in (1e-7, 1e22, 5e-324, 1.7976931348623157e308, 3.0, -0.0):
        text = str(Number(value))
        assert "e" not in text.lower() and "." in text
        assert parse(text) == Number(value)


@pytest.mark.parametrize("text, refs", [
    ("q1 == 'yes'", {"q1"}),
    ("a and not b or c == a", {"a", "b", "c"}),
    ("selected(q2, 'x') or answered(q3) or count(q4) > 1", {"q2", "q3", "q4"}),
    ("true or 3 == 3 or null == 'x'", set()),
    ("(not (x < y)) == self", {"x", "y", "self"}),
])
def test_references(text, refs):
    assert parse(text).references() == frozenset(refs)


# --- meaning ---------------------------------------------------------------------------------

@pytest.mark.parametrize("op, left, right, expected", [
    ("==", 3, 3, True), ("==", 3, 3.0, True), ("==", 3, 4, False), ("==", "yes", "yes", True),
    ("!=", 3, 4, True), ("!=", 3, 3.0, False), ("!=", "a", "b", True), ("!=", "a", "a", False),
    ("<", 2, 3, True), ("<", 3, 3, False), ("<", 2.5, 3, True), ("<", "a", "b", True),
    ("<=", 3, 3, True), ("<=", 4, 3, False), ("<=", "b", "b", True),
    (">", 4, 3.5, True), (">", 3, 3, False), (">", "b", "a", True),
    (">=", 3, 3, True), (">=", 2, 3, False), (">=", "2024-05-01", "2024-01-31", True),
    ("==", True, True, True), ("!=", True, False, True), ("==", ["a"], ["a"], True),
    ("==", {"lat": 1, "lon": 2}, {"lat": 1, "lon": 2}, True),
])
def test_every_operator(op, left, right, expected):
    assert ev(f"x {op} y", x=left, y=right) is expected


@pytest.mark.parametrize("left, right", [
    ("5", 5), (True, 1), (False, 0), (1.0, True), (["a"], "a"), ({"lat": 1}, 1), ("yes", None),
    (None, None), (None, 0), ("", None),
])
def test_different_kinds_are_neither_equal_nor_unequal(left, right):
    for op in OPS:
        assert ev(f"x {op} y", x=left, y=right) is False
        assert ev(f"y {op} x", x=left, y=right) is False


@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
@pytest.mark.parametrize("value", [True, ["a"], {"lat": 1, "lon": 2}])
def test_only_numbers_and_text_are_ordered(op, value):
    assert ev(f"x {op} y", x=value, y=value) is False


def test_unanswered_items_compare_false_but_null_tests_answered():
    assert ev("q1 != 'no'") is False and ev("q1 == 'no'") is False
    assert ev("q1 == null") is True and ev("null == q1") is True and ev("q1 != null") is False
    assert ev("q1 != null", q1="no") is True and ev("q1 == null", q1="") is False
    assert ev("q1 < null") is False and ev("null == null") is True and ev("null != null") is False
    assert ev("count(q1) == null") is False and ev("(q1 == 'x') != null") is True


@pytest.mark.parametrize("value, truthy", [
    (None, False), ("no", False), ("na", False), ("", False), (0, False), (0.0, False),
    (False, False), ([], False), ("yes", True), ("No", True), ("some text", True), (1, True),
    (-0.5, True), (True, True), (["no"], True), ({"lat": -6.2, "lon": 106.8}, True),
])
def test_bare_values_as_conditions(value, truthy):
    assert ev("q", q=value) is truthy
    assert ev("not q", q=value) is (not truthy)


@pytest.mark.parametrize("value, selected_a, answered, count", [
    (None, False, False, 0), ("a", True, True, 1), ("b", False, True, 1), (["a", "b"], True, True, 2),
    (["b"], False, True, 1), ([], False, False, 0), ("", False, False, 0), (0, False, True, 1),
    (False, False, True, 1), ({"lat": 1, "lon": 2}, False, True, 1), (["A"], False, True, 1),
])
def test_functions(value, selected_a, answered, count):
    assert ev("selected(q, 'a')", q=value) is selected_a
    assert ev("answered(q)", q=value) is answered
    assert ev(f"count(q) == {count}", q=value) is True
    assert ev("count(q)", q=value) is (count > 0)


def test_and_or_not_short_circuit_on_truthiness():
    seen = []

    def lookup(name):
        seen.append(name)
        return {"a": "no", "b": "yes"}.get(name)

    assert parse("a and c").evaluate(lookup) is False and seen == ["a"]
    seen.clear()
    assert parse("b or c").evaluate(lookup) is True and seen == ["b"]
    assert parse("not a and (b or c)").evaluate(lookup) is True


def test_realistic_relevance():
    rule = parse("q1 == 'yes' and (count(q4) >= 2 or not answered(q5))")
    assert rule.evaluate({"q1": "yes", "q4": ["x", "y"], "q5": "z"}.get) is True
    assert rule.evaluate({"q1": "yes", "q4": ["x"], "q5": "z"}.get) is False
    assert rule.evaluate({"q1": "yes", "q4": ["x"]}.get) is True
    assert rule.evaluate({"q1": "no"}.get) is False


# --- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message, position", [
    ("q1 == 'yes')", "unexpected ')' at column 12; expected 'and', 'or' or the end", 11),
    ("(q1 == 'yes'", "unexpected end of condition at column 13; expected ')'", 12),
    ("q1 ==", "unexpected end of condition at column 6; expected an item id, a value or '('", 5),
    ("q1 = 'yes'", "unexpected character '=' at column 4; use '==' to compare", 3),
    ("a && b", "unexpected character '&' at column 3; use 'and'", 2),
    ("a < b < c", "comparisons cannot be chained at column 7; join them with 'and'", 6),
    ("a == b != c", "comparisons cannot be chained at column 8; join them with 'and'", 7),
    ("not a == b", "'not' and '==' need parentheses at column 7; write not (a == b) or (not a) == b", 6),
    ("a == not b", "'not' after '==' needs parentheses at column 6; write a == (not b)", 5),
    ("foo(q1)", "unknown function 'foo' at column 1; the functions are answered, count, selected", 0),
    ("selected(q1)", "unexpected ')' at column 12; expected ',' and a quoted option value", 11),
    ("selected(q1, 3)", "unexpected number '3' at column 14; expected a quoted option value", 13),
    ("answered('q1')", "unexpected text 'q1' at column 10; expected an item id", 9),
    ("count(true)", "unexpected 'true' at column 7; expected an item id", 6),
    ("q1 == 'yes", "text starting at column 7 has no closing quote", 6),
    (r"q1 == 'a\nb'", r"unknown escape '\n' at column 9; only \' \" and \\ are allowed", 8),
    ("x > 1.", "malformed number '1.' at column 5", 4),
    ("x > 1e5", "malformed number '1e5' at column 5", 4),
    ("x > 1.2.3", "malformed number '1.2.3' at column 5", 4),
    ("x > .5", "unexpected character '.' at column 5", 4),
    ("a b", "unexpected 'b' at column 3; expected 'and', 'or' or the end", 2),
    ("a and", "unexpected end of condition at column 6; expected an item id, a value or '('", 5),
    ("()", "unexpected ')' at column 2; expected an item id, a value or '('", 1),
    ("", "condition is empty at column 1", 0),
    (" \n\t", "condition is empty at column 1", 0),
    ("q1\x00", r"unexpected character '\x00' at column 3", 2),
    ("é == 1", "unexpected character 'é' at column 1", 0),
    ("x == 1" + "0" * 400 + ".0", "number '10000000000000000000000…' is too large at column 6", 5),
    ("__import__('os')", "unknown function '__import__' at column 1; the functions are answered, "
                         "count, selected", 0),
])
def test_error_messages_name_the_column(text, message, position):
    with pytest.raises(ConditionError) as info:
        parse(text)
    assert str(info.value) == message == info.value.message
    assert info.value.position == position


def test_condition_error_is_a_value_error_and_a_user_error_and_pickles():
    with pytest.raises(ConditionError) as info:
        parse("a )")
    error = info.value
    assert isinstance(error, ValueError) and isinstance(error, UserError)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.position) == (str(error), error.position)


@pytest.mark.parametrize("value", [None, 3, b"a == 1", ["a"]])
def test_non_text_is_a_condition_error(value):
    with pytest.raises(ConditionError):
        parse(value)


def test_length_limit():
    text = "a or " * ((MAX_LENGTH - 1) // 5) + "a"
    text += " " * (MAX_LENGTH - len(text))
    assert len(text) == MAX_LENGTH and isinstance(parse(text), Or)
    with pytest.raises(ConditionError, match="longer than 2000 characters at column 2001"):
        parse(text + " ")


def test_nesting_limit_never_recurses_too_deep():
    deepest = "(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH
    assert parse(deepest) == a
    with pytest.raises(ConditionError, match="nested more than 64 levels deep at column 65"):
        parse("(" + deepest + ")")
    nots = parse("not " * MAX_DEPTH + "a")
    assert nots.evaluate({"a": "yes"}.get) is True  # an even number of nots
    with pytest.raises(ConditionError, match="nested more than 64 levels deep at column 257"):
        parse("not " * (MAX_DEPTH + 1) + "a")
    with pytest.raises(ConditionError, match="nested"):
        parse("(not " * 40 + "a" + ")" * 40)
    for text in ("(" * 1999, "not " * 499 + "a", "(" * 999 + ")" * 999, "a ==" * 499):
        with pytest.raises(ConditionError):
            parse(text)


def test_long_flat_chains_evaluate_without_recursion():
    tree = parse(" or ".join(["x"] * 300) + " or y")
    assert tree.evaluate({"y": "yes"}.get) is True
    assert parse(str(tree)) == tree and hash(tree) == hash(parse(str(tree)))


# --- properties ------------------------------------------------------------------------------

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True).filter(lambda s: s not in KEYWORDS)
texts = st.text(max_size=10)
leaves = st.one_of(
    names.map(Name),
    st.integers().map(Number),
    st.floats(allow_nan=False, allow_infinity=False).map(Number),
    texts.map(String),
    st.booleans().map(Bool),
    st.just(Null()),
    st.builds(Call, st.sampled_from(["answered", "count"]), names),
    st.builds(Call, st.just("selected"), names, texts),
)
trees = st.recursive(leaves, lambda kids: st.one_of(
    kids.map(Not),
    st.builds(Compare, st.sampled_from(OPS), kids, kids),
    st.lists(kids, min_size=2, max_size=4).map(lambda xs: And(tuple(xs))),
    st.lists(kids, min_size=2, max_size=4).map(lambda xs: Or(tuple(xs))),
), max_leaves=16)

answers = st.one_of(
    st.none(), st.sampled_from(["yes", "no", "na", "", "a", "b"]), st.text(max_size=8),
    st.integers(), st.floats(), st.booleans(),
    st.lists(st.sampled_from(["a", "b", "c", "no"]), max_size=4), st.lists(st.text(max_size=3)),
    st.dictionaries(st.sampled_from(["lat", "lon", "accuracy"]), st.floats()),
)

WORDS = ["a", "q1", "and", "or", "not", "true", "null", "selected", "answered", "count", "(", ")",
         ",", "==", "!=", "<", "<=", ">", ">=", "3", "-2", "0.5", "'yes'", '"n\\"o"']
tokens = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)  # mostly reaches the parser
soup = st.lists(st.sampled_from(WORDS + ["=", "!", "-", ".", "'", '"', "\\", " ", "\n", "é", "\x00"]),
                max_size=30).map("".join)


def depth(node):
    kids = {Not: lambda n: (n.operand,), Compare: lambda n: (n.left, n.right),
            And: lambda n: n.operands, Or: lambda n: n.operands}.get(type(node), lambda n: ())(node)
    return 1 + max((depth(k) for k in kids), default=0)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), tokens, soup, st.text(alphabet="()not ab=<'\\\"", max_size=2100)))
def test_any_text_parses_or_raises_condition_error(text):
    try:
        tree = parse(text)
    except ConditionError as error:
        assert "\n" not in str(error) and 0 <= error.position <= len(text)
        assert f"at column {error.position + 1}" in str(error)
    else:
        assert isinstance(tree, Expr)
        assert parse(str(tree)) == tree


@settings(max_examples=300, deadline=None)
@given(trees)
def test_canonical_text_round_trips(tree):
    assume(depth(tree) <= MAX_DEPTH // 2)
    text = str(tree)
    assume(len(text) <= MAX_LENGTH)
    assert parse(text) == tree
    assert str(parse(text)) == text


@settings(max_examples=300, deadline=None)
@given(trees, st.data())
def test_evaluate_never_raises_and_returns_bool(tree, data):
    values = {name: data.draw(answers, label=name) for name in sorted(tree.references())}
    result = tree.evaluate(values.get)
    assert type(result) is bool
    assert Not(tree).evaluate(values.get) is (not result)


@given(answers, answers, st.sampled_from(OPS))
def test_a_comparison_and_its_opposite_are_never_both_true(x, y, op):
    opposite = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}[op]
    lookup = {"x": x, "y": y}.get
    assert not (parse(f"x {op} y").evaluate(lookup) and parse(f"x {opposite} y").evaluate(lookup))


def test_function_names_are_known():
    assert set(FUNCTIONS) == {"answered", "count", "selected"}
