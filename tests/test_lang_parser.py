"""Parser and printer of the condition language."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qa_engine.errors import ConditionError, RulesetError
from qa_engine.lang.ast import (
    AGGREGATES,
    ARITHMETIC,
    BOOLEAN,
    COMPARISONS,
    MEMBERSHIP,
    Binary,
    Call,
    ListLit,
    Literal,
    Path,
    Quant,
    Unary,
)
from qa_engine.lang.parser import (
    FUNCTIONS,
    KEYWORDS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    QUANT_FUNCTIONS,
    check_limits,
    parse,
)
from qa_engine.lang.printer import format_value, to_source


def P(*parts: str, var: str | None = None) -> Path:
    return Path(var, tuple(parts))


def L(v):  # noqa: N802 - short constructor for readability
    return Literal(v)


# --------------------------------------------------------------------------- literals


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("42", 42),
        ("007", 7),
        ("0.8", 0.8),
        ("12.50", 12.5),
        ('"online"', "online"),
        ("'online'", "online"),
        ('"say \\"hi\\""', 'say "hi"'),
        ("'it\\'s'", "it's"),
        ('"a\\\\b"', "a\\b"),
        ('"line\\nbreak"', "line\nbreak"),
        ('"tab\\there"', "tab\there"),
        ('"\\d+"', "\\d+"),
        ('""', ""),
        ('"é ✓"', "é ✓"),
        ("true", True),
        ("false", False),
        ("null", None),
    ],
)
def test_literals(text, value):
    node = parse(text)
    assert isinstance(node, Literal)
    assert node.value == value
    assert type(node.value) is type(value)


def test_integer_stays_int_and_decimal_is_float():
    assert type(parse("5").value) is int
    assert type(parse("5.0").value) is float


def test_negative_number_is_unary_minus():
    assert parse("-3") == Unary("-", L(3))


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("[1, 2]", (L(1), L(2))),
        ('["a", "b",]', (L("a"), L("b"))),
        ("[]", ()),
        ("[-1]", (Unary("-", L(1)),)),
    ],
)
def test_list_literals(text, items):
    assert parse(text) == ListLit(items)


# --------------------------------------------------------------------------- structure


def test_paths():
    assert parse("credential.workload.ects") == P("credential", "workload", "ects")
    assert parse("count") == P("count")  # function names are not reserved


def test_precedence_or_and_not():
    a, b, c = P("a"), P("b"), P("c")
    assert parse("a or b and c") == Binary("or", a, Binary("and", b, c))
    assert parse("not a and b") == Binary("and", Unary("not", a), b)
    assert parse("not a == b") == Unary("not", Binary("==", a, b))
    assert parse("not not a") == Unary("not", Unary("not", a))


def test_precedence_arithmetic():
    a, b, c = P("a"), P("b"), P("c")
    assert parse("a + b * c") == Binary("+", a, Binary("*", b, c))
    assert parse("a - b - c") == Binary("-", Binary("-", a, b), c)
    assert parse("a / b / c") == Binary("/", Binary("/", a, b), c)
    assert parse("-a * b") == Binary("*", Unary("-", a), b)
    assert parse("a - -b") == Binary("-", a, Unary("-", b))
    assert parse("(a + b) * c") == Binary("*", Binary("+", a, b), c)
    assert parse("a + b >= c * 2") == Binary(">=", Binary("+", a, b), Binary("*", c, L(2)))


def test_left_associative_boolean_chain():
    a, b, c = P("a"), P("b"), P("c")
    assert parse("a and b and c") == Binary("and", Binary("and", a, b), c)
    assert parse("a and (b and c)") == Binary("and", a, Binary("and", b, c))


@pytest.mark.parametrize("op", COMPARISONS)
def test_each_comparison(op):
    assert parse(f"a {op} 1") == Binary(op, P("a"), L(1))


def test_membership():
    assert parse('x in ["a", "b"]') == Binary("in", P("x"), ListLit((L("a"), L("b"))))
    assert parse('"a" not in x.ys') == Binary("not in", L("a"), P("x", "ys"))
    assert parse("not x in y") == Unary("not", Binary("in", P("x"), P("y")))


def test_parenthesised_comparison_may_be_compared():
    assert parse("(a == b) == c") == Binary("==", Binary("==", P("a"), P("b")), P("c"))


@pytest.mark.parametrize("func", FUNCTIONS)
def test_every_function_parses_as_call(func):
    node = parse(f"{func}(a, 1)")
    assert node == Call(func, (P("a"), L(1)))
    assert parse(f"{func}()") == Call(func, ())


def test_quantifiers_bind_their_variable():
    node = parse("any(o in outcomes: o.level >= 3 and level > 1)")
    body = Binary("and", Binary(">=", P("level", var="o"), L(3)), Binary(">", P("level"), L(1)))
    assert node == Quant("any", "o", P("outcomes"), body)


def test_nested_quantifier_source_from_outer_variable():
    node = parse("any(m in modules: all(a in m.activities: a.interactive))")
    inner = Quant("all", "a", P("activities", var="m"), P("interactive", var="a"))
    assert node == Quant("any", "m", P("modules"), inner)


def test_bound_variable_alone_and_out_of_scope():
    node = parse('any(s in services: s == "x") and s')
    assert node.left.body.left == P(var="s")
    assert node.right == P("s")  # outside the quantifier 's' is a dossier field


@pytest.mark.parametrize("func", [f for f in AGGREGATES if f != "share"])
def test_aggregates_with_and_without_body(func):
    assert parse(f"{func}(items)") == Quant(func, None, P("items"), None)
    assert parse(f"{func}(i in items: i.x)") == Quant(func, "i", P("items"), P("x", var="i"))


def test_node_positions_are_one_based_and_span_lines():
    node = parse("a >= 1\n  and\n  b.c == 'x'")
    assert (node.line, node.col) == (2, 3)  # the 'and'
    right = node.right
    assert (right.line, right.col) == (3, 7)
    assert (right.left.line, right.left.col) == (3, 3)
    assert (right.right.line, right.right.col) == (3, 10)


def test_positions_do_not_affect_equality():
    assert parse("a==1") == parse("  a  ==\n 1")


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "message", "line", "col"),
    [
        ("(a and b", "expected ')' but found the end of the expression", 1, 9),
        ("(a b)", "expected ')' but found 'b'", 1, 4),
        ("f(a and)", "unknown function 'f'", 1, 1),
        ("len(a and)", "expected an expression but found ')'", 1, 10),
        ("len(a b)", "expected ',' or ')' but found 'b'", 1, 7),
        ("a ==", "expected an expression but found the end of the expression", 1, 5),
        ("a < b < c", "comparisons cannot be chained", 1, 7),
        ("a == b != c", "comparisons cannot be chained", 1, 8),
        ("a in b in c", "comparisons cannot be chained", 1, 8),
        ("a == not b", "'not' must be put in parentheses", 1, 6),
        ("a + not b", "'not' must be put in parentheses", 1, 5),
        ("a = 1", "unexpected '='", 1, 3),
        ("!a", "unexpected '!'", 1, 1),
        ("a && b", "unexpected '&'", 1, 3),
        ("a || b", "unexpected '|'", 1, 3),
        ("a ≥ 1", "unexpected character '≥'", 1, 3),
        ("a == 1e5", "exponent notation", 1, 6),
        ("a == 2E-3", "exponent notation", 1, 6),
        ("a == 5.", "decimal point must be followed by digits", 1, 7),
        ("a == .5", "expected an expression but found '.'", 1, 6),
        ("a == 12abc", "invalid number '12abc'", 1, 6),
        ('a == "abc', "unterminated string", 1, 6),
        ("a == 'x\ny'", "unterminated string", 1, 6),
        ("_secret", "names may not start with '_'", 1, 1),
        ("a.__class__", "names may not start with '_'", 1, 3),
        ("__import__('os')", "names may not start with '_'", 1, 1),
        ("a .b", "no spaces are allowed before '.'", 1, 3),
        ("a. b", "no spaces are allowed after '.'", 1, 4),
        ("a.", "expected a field name after '.'", 1, 3),
        ("a.in", "expected a field name after '.' but found 'in'", 1, 3),
        ("a[0]", "expected the end of the expression but found '['", 1, 2),
        ("a b", "expected the end of the expression but found 'b'", 1, 3),
        ("eval('1')", "unknown function 'eval'", 1, 1),
        ("a.upper()", "'a.upper' cannot be called", 1, 3),
        ("any(outcomes)", "any() needs an item variable and a condition", 1, 5),
        ("share(outcomes)", "share() needs an item variable and a condition", 1, 7),
        ("any(o in outcomes)", "expected ':' but found ')'", 1, 18),
        ("count(o in outcomes o)", "expected ':' but found 'o'", 1, 21),
        ("any(o in outcomes: )", "expected an expression but found ')'", 1, 20),
        ("any(o in [1]: o)", "expected the path of a list but found '['", 1, 10),
        ("any(o in f(x): o)", "must be a path, not a function call", 1, 10),
        ("count(len(x))", "must be a path, not a function call", 1, 7),
        ("any(o in xs: any(o in o.ys: o))", "'o' is already bound", 1, 18),
        ("[1, 2", "expected ',' or ']' but found the end of the expression", 1, 6),
        ("", "the condition is empty", 1, 1),
        ("   \n  ", "the condition is empty", 2, 3),
        ("a and", "expected an expression but found the end of the expression", 1, 6),
        ("and a", "expected an expression but found 'and'", 1, 1),
        ("a #comment", "unexpected '#'", 1, 3),
        ("a == “x”", "unexpected character '“'", 1, 6),
        ("x\n  and\n  (y or", "expected an expression but found the end of the expression", 3, 8),
    ],
)
def test_syntax_errors(text, message, line, col):
    with pytest.raises(ConditionError) as info:
        parse(text)
    err = info.value
    assert message in err.message
    assert (err.line, err.column) == (line, col)
    assert str(err).endswith(".")
    assert "\n" not in str(err)


def test_error_carries_hint_and_is_a_ruleset_error():
    with pytest.raises(RulesetError) as info:
        parse("a == 1e5")
    err = info.value
    assert isinstance(err, ConditionError)
    assert err.hint and "100000" in err.hint
    assert err.hint in str(err)


def test_unknown_function_suggests_closest():
    with pytest.raises(ConditionError) as info:
        parse("lenght(a) > 1")
    assert "did you mean len()?" in info.value.hint


def test_non_string_input():
    with pytest.raises(ConditionError):
        parse(5)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- limits


def test_length_limit():
    text = "a == 1 or " * (MAX_LENGTH // 10) + "b"
    assert len(text) > MAX_LENGTH
    with pytest.raises(ConditionError, match="too long"):
        parse(text)
    parse("a" * MAX_LENGTH)  # exactly at the limit is fine


def test_node_limit():
    n = MAX_NODES // 2 + 1  # each "or x" adds two nodes
    text = " or ".join(f"x{i}" for i in range(n))
    assert len(text) <= MAX_LENGTH
    with pytest.raises(ConditionError, match="too large"):
        parse(text)
    ok = " or ".join(f"x{i}" for i in range(MAX_NODES // 2))
    assert parse(ok)  # 499 nodes


def test_long_chains_are_one_nesting_level():
    node = parse(" and ".join(f"a{i}" for i in range(200)))
    assert node.op == "and"


@pytest.mark.parametrize(
    "text",
    [
        "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1),
        "not " * (MAX_DEPTH + 1) + "a",
        "-" * (MAX_DEPTH + 1) + "a",
        "len(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1),
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "any(x0 in a: " + "".join(f"any(x{i} in a: " for i in range(1, MAX_DEPTH + 1)) + "x0" + ")" * (MAX_DEPTH + 1),
    ],
)
def test_depth_limit(text):
    assert len(text) <= MAX_LENGTH
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse(text)


def test_depth_just_below_limit_is_fine():
    depth = MAX_DEPTH - 1
    assert parse("(" * depth + "a" + ")" * depth) == P("a")


@pytest.mark.parametrize("opener", ["(", "not ", "-", "[", "len("])
def test_pathologically_deep_text_is_rejected_quickly(opener):
    start = time.perf_counter()
    with pytest.raises(ConditionError):
        parse(opener * 100_000)
    with pytest.raises(ConditionError):
        parse(opener * (MAX_LENGTH // len(opener)))
    assert time.perf_counter() - start < 1.0


def test_check_limits_on_hand_built_tree_does_not_recurse():
    node = P("a")
    for _ in range(100_000):
        node = Unary("not", node)
    with pytest.raises(ConditionError, match="too large|nested too deeply"):
        check_limits(node)
    deep = P("a")
    for _ in range(MAX_DEPTH + 5):
        deep = Call("len", (deep,))
    with pytest.raises(ConditionError, match="nested too deeply"):
        check_limits(deep)


# --------------------------------------------------------------------------- printer


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("a>=1   and  b", "a >= 1 and b"),
        ("(a and b) or c", "a and b or c"),
        ("a and (b or c)", "a and (b or c)"),
        ("not (a and b)", "not (a and b)"),
        ("not (a == b)", "not a == b"),
        ("((a))", "a"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("a * (b + c)", "a * (b + c)"),
        ("-(a + b)", "-(a + b)"),
        ("- -a", "-(-a)"),
        ("(-a) * b", "-a * b"),
        ("(not a) == b", "(not a) == b"),
        ("(a == b) == c", "(a == b) == c"),
        ("a == (b == c)", "a == (b == c)"),
        ("x in [1,2 , 3,]", "x in [1, 2, 3]"),
        ("x not in ['a']", 'x not in ["a"]'),
        ("'say \"hi\"'", '"say \\"hi\\""'),
        ('"a\\\\b\\n"', '"a\\\\b\\n"'),
        ("any( o in xs :o.y>1 )", "any(o in xs: o.y > 1)"),
        ("count( xs )", "count(xs)"),
        ("matches( t ,'^a' )", 'matches(t, "^a")'),
        ("as_of( )", "as_of()"),
        ("0.50", "0.5"),
        ("0.00001", "0.00001"),
        ("10000000000000000.0", "10000000000000000.0"),
        ("true and false or null", "true and false or null"),
    ],
)
def test_canonical_source(text, canonical):
    node = parse(text)
    assert to_source(node) == canonical
    assert parse(canonical) == node


def test_printer_bindings_substitute_concrete_paths():
    node = parse("all(a in assessments: a.weight >= 0.1)").body
    assert to_source(node, bindings={"a": "assessments[2]"}) == "assessments[2].weight >= 0.1"


def test_format_value():
    import datetime

    assert format_value(None) == "null"
    assert format_value(True) == "true"
    assert format_value(0.05) == "0.05"
    assert format_value(2 / 3) == "0.666667"
    assert format_value(1e-9) == "0.000000001"
    assert format_value("x") == '"x"'
    assert format_value(datetime.date(2024, 1, 31)) == "2024-01-31"
    assert format_value(list(range(12))).endswith("... 2 more]")
    assert format_value({"a": 1}) == "{...}"


# --------------------------------------------------------------------------- properties

_RESERVED_WORDS = set(KEYWORDS) | set(FUNCTIONS) | set(QUANT_FUNCTIONS)
identifiers = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: s not in KEYWORDS
)
literal_values = st.one_of(
    st.integers(min_value=0, max_value=10**15),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False).map(abs),
    st.text(max_size=6),
    st.booleans(),
    st.none(),
)


@st.composite
def paths(draw, bound: tuple[str, ...]):
    if bound and draw(st.booleans()):
        var = draw(st.sampled_from(bound))
        return Path(var, tuple(draw(st.lists(identifiers, max_size=2))))
    first = draw(identifiers.filter(lambda s: s not in bound))
    rest = draw(st.lists(identifiers, max_size=2))
    return Path(None, (first, *rest))


@st.composite
def exprs(draw, depth: int = 4, bound: tuple[str, ...] = ()):
    kinds = ["literal", "path"]
    if depth > 0:
        kinds += ["list", "unary", "binary", "binary", "call", "quant"]
    kind = draw(st.sampled_from(kinds))
    if kind == "literal":
        return Literal(draw(literal_values))
    if kind == "path":
        return draw(paths(bound))
    sub = exprs(depth - 1, bound)
    if kind == "list":
        return ListLit(tuple(draw(st.lists(sub, max_size=3))))
    if kind == "unary":
        return Unary(draw(st.sampled_from(["not", "-"])), draw(sub))
    if kind == "binary":
        op = draw(st.sampled_from(COMPARISONS + MEMBERSHIP + ARITHMETIC + BOOLEAN))
        return Binary(op, draw(sub), draw(sub))
    if kind == "call":
        return Call(draw(st.sampled_from(FUNCTIONS)), tuple(draw(st.lists(sub, max_size=3))))
    func = draw(st.sampled_from(QUANT_FUNCTIONS))
    source = draw(paths(bound))
    if func in AGGREGATES and func != "share" and draw(st.booleans()):
        return Quant(func, None, source, None)
    var = draw(identifiers.filter(lambda s: s not in bound))
    body = draw(exprs(depth - 1, (*bound, var)))
    return Quant(func, var, source, body)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exprs())
def test_printer_round_trip(expr):
    text = to_source(expr)
    assume(len(text) <= MAX_LENGTH)
    assert parse(text) == expr
    assert to_source(parse(text)) == text  # canonical text is a fixed point


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_garbage_text_only_raises_condition_error(text):
    try:
        parse(text)
    except ConditionError as err:
        assert err.message
        assert err.line is None or err.line >= 1
        assert err.column is None or err.column >= 1


_TOKENS = [
    "a", "b.c", "1", "0.5", '"s"', "'t'", "true", "null", "(", ")", "[", "]", ",", ":",
    ".", "and", "or", "not", "in", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*",
    "/", "any", "count", "len", "x", "o", "\n", " ", "1e5", "_", "=", '"', "\\",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=40))
def test_token_soup_only_raises_condition_error(tokens):
    text = " ".join(tokens)
    try:
        expr = parse(text)
    except ConditionError:
        return
    assert parse(to_source(expr)) == expr
