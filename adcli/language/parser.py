"""Text to AST: Lark's LALR parser with an inline transformer, so neither parsing nor tree
building recurses (10,000 nested parentheses parse like one). Lark's errors become
`InputError`s that say, in words, what was expected and where.
"""

from __future__ import annotations

import functools
import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer
from lark.indenter import DedentError, Indenter
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from adcli.errors import InputError
from adcli.language import ast
from adcli.language.calls import check
from adcli.language.constants import CONSTANTS
from adcli.ops.registry import lookup

MAX_FORMULA_LENGTH = 2_000_000  # characters; everything below is parsed and evaluated iteratively


@dataclass(eq=False)
class Formula:
    """A parsed formula, or a program (`tree` is then an ast.Program)."""

    source: str
    tree: Any
    variables: tuple[str, ...]  # the inputs, in order of first appearance
    functions: dict[str, Any] = field(default_factory=dict)  # a program's `def`s by name
    name: str | None = None  # the file a program came from ("-" for standard input)

    @property
    def is_program(self) -> bool:
        return isinstance(self.tree, ast.Program)

    def text(self, node: ast.Expr) -> str:
        return node.span.text(self.source)


def grammar_file(name: str) -> Path:
    """The grammar ships inside the wheel as adcli/grammar/; a source checkout has it at top level."""
    here = Path(__file__).resolve().parent.parent
    for folder in (here / "grammar", here.parent / "grammar"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"adcli's grammar {name} is missing from {here}")


@dataclass
class _Seq:
    """Comma-separated children (arguments, vector items, subscripts) with their span."""

    items: tuple[Any, ...]
    span: ast.Span


def _span(children: list[Any]) -> ast.Span:
    first, last = children[0], children[-1]
    if first is None or last is None:  # an optional part left out ([expr] in a slice)
        present = [c for c in children if c is not None]
        first, last = present[0], present[-1]
    return ast.Span(first.start_pos if isinstance(first, Token) else first.span.start,
                    last.end_pos if isinstance(last, Token) else last.span.end)


def _nodes(children: list[Any]) -> list[Any]:
    return [c for c in children if not isinstance(c, Token)]


def _binary(op: str) -> Any:
    def build(self: Any, children: list[Any]) -> ast.Binary:
        left, right = _nodes(children)
        return ast.Binary(_span(children), op, left, right)

    return build


# Mathematical notation, read as the language's own
_COMPARISONS = {"≤": "<=", "≥": ">=", "≠": "!="}
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
# 30deg is not 30 times a variable named deg
UNITS = ("deg", "degree", "degrees")


def _units(number: ast.Number, unit: ast.Name) -> InputError:
    return InputError(f"units are not supported: `{unit.id}`", kind="units",
                      start=unit.span.start, end=unit.span.end,
                      hint="angles are in radians: write 30*pi/180 for 30 degrees")


class _Build(Transformer):
    """Called by the parser at each reduction: children in, one AST node out."""

    def __getattr__(self, name: str) -> Any:
        # program.lark imports formula.lark, which prefixes the imported rules' names.
        if name.startswith("formula__"):
            return getattr(self, name[len("formula__"):])
        raise AttributeError(name)

    add, sub = _binary("+"), _binary("-")
    and_, or_ = _binary("and"), _binary("or")
    mul, div, dot, matmul = _binary("*"), _binary("/"), _binary("·"), _binary("@")
    pow = _binary("^")

    def compare(self, children: list[Any]) -> ast.Binary:
        left, op, right = children
        return ast.Binary(_span(children), _COMPARISONS.get(str(op), str(op)), left, right)

    def number(self, children: list[Any]) -> ast.Number:
        (token,) = children
        return ast.Number(_span(children), float(token))

    def name(self, children: list[Any]) -> ast.Name:
        (token,) = children
        node = ast.Name(_span(children), str(token))
        if node.id not in CONSTANTS and lookup(node.id) is not None:
            raise InputError(
                f"`{node.id}` is a function: call it as {node.id}(…)", kind="syntax",
                start=node.span.start, end=node.span.end,
            )
        return node

    def paren(self, children: list[Any]) -> Any:
        inner = children[1]
        inner.span = _span(children)  # the node's text includes its parentheses
        return inner

    def implicit_mul(self, children: list[Any]) -> ast.Binary:
        """A product written without an operator: each factor times the next."""
        product = children[0]
        for previous, factor in zip(children, children[1:]):
            if isinstance(factor, ast.Number):
                raise InputError(
                    "a number after another factor is ambiguous", kind="syntax",
                    start=factor.span.start, end=factor.span.end,
                    hint="write the operator between them (x*2), or commas in a list: [1, 2]",
                )
            if (isinstance(previous, ast.Number) and isinstance(factor, ast.Name)
                    and factor.id in UNITS):
                raise _units(previous, factor)
            product = ast.Binary(_span([product, factor]), "*", product, factor, implicit=True)
        return product

    def superscript(self, children: list[Any]) -> ast.Binary:
        """x² is x^2: the superscript digits are the exponent."""
        base, token = children
        exponent = ast.Number(_span([token]), float(str(token).translate(_SUPERSCRIPT)))
        return ast.Binary(_span(children), "^", base, exponent)

    def root(self, children: list[Any]) -> ast.Call:
        """√x is sqrt(x)."""
        token, operand = children
        return ast.Call(_span(children), "sqrt", _span([token]), (operand,))

    def degree(self, children: list[Any]) -> ast.Binary:
        (token,) = children
        raise InputError("units are not supported: ° (degrees)", kind="units",
                         start=token.start_pos, end=token.end_pos,
                         hint="angles are in radians: write 30*pi/180 for 30°")

    def not_(self, children: list[Any]) -> ast.Unary:
        return ast.Unary(_span(children), "not", children[1])

    def neg(self, children: list[Any]) -> ast.Unary:
        return ast.Unary(_span(children), "-", children[1])

    def pos(self, children: list[Any]) -> ast.Unary:
        return ast.Unary(_span(children), "+", children[1])

    def range(self, children: list[Any]) -> ast.Range:
        start, stop = _nodes(children)
        return ast.Range(_span(children), start, stop, inclusive=False)

    def range_inclusive(self, children: list[Any]) -> ast.Range:
        start, stop = _nodes(children)
        return ast.Range(_span(children), start, stop, inclusive=True)

    def range_sampled(self, children: list[Any]) -> ast.Range:
        start, stop, count = _nodes(children)
        return ast.Range(_span(children), start, stop, inclusive=False, count=count)

    def range_inclusive_sampled(self, children: list[Any]) -> ast.Range:
        start, stop, count = _nodes(children)
        return ast.Range(_span(children), start, stop, inclusive=True, count=count)

    def arguments(self, children: list[Any]) -> _Seq:
        return _Seq(tuple(_nodes(children)), _span(children))

    items = subscripts = arguments

    def keyword(self, children: list[Any]) -> ast.Keyword:
        name, _, value = children
        return ast.Keyword(_span(children), str(name), _span([name]), value)

    def string(self, children: list[Any]) -> ast.String:
        (token,) = children
        return ast.String(_span(children), str(token)[1:-1])

    def call(self, children: list[Any]) -> ast.Call:
        name, *_, = children
        given = children[2].items if isinstance(children[2], _Seq) else ()
        args = tuple(a for a in given if not isinstance(a, ast.Keyword))
        keywords = tuple(a for a in given if isinstance(a, ast.Keyword))
        written = [a for a in given]
        if keywords and written.index(keywords[0]) < len(args):
            late = written[written.index(keywords[0]) + 1:]
            positional = next(a for a in late if not isinstance(a, ast.Keyword))
            raise InputError("a positional argument cannot follow a keyword argument",
                             kind="syntax", start=positional.span.start, end=positional.span.end,
                             hint="write the keyword arguments (like axis=0) last")
        return ast.Call(_span(children), str(name), _span([name]), args, keywords)

    def vector(self, children: list[Any]) -> ast.Vector:
        return ast.Vector(_span(children), children[1].items)

    def index(self, children: list[Any]) -> ast.Index:
        target, _, subscripts, _ = children
        return ast.Index(_span(children), target, subscripts.items)

    def slice(self, children: list[Any]) -> ast.Slice:
        parts = [c for c in children if not isinstance(c, Token)]
        parts += [None] * (3 - len(parts))
        return ast.Slice(_span(children), *parts)

    # -- statements (program.lark) --------------------------------------------------------------

    def assign(self, children: list[Any]) -> ast.Assign:
        name, _, value = children
        return ast.Assign(_span(children), str(name), value)

    def return_(self, children: list[Any]) -> ast.Return:
        return ast.Return(_span(children), children[1] if len(children) > 1 else None)

    def pass_(self, children: list[Any]) -> ast.Pass:
        return ast.Pass(_span(children))

    def expression(self, children: list[Any]) -> ast.ExpressionStatement:
        return ast.ExpressionStatement(children[0].span, children[0])

    def simple_statements(self, children: list[Any]) -> _Seq:
        statements = tuple(_nodes(children))
        return _Seq(statements, _span(list(statements)))

    def block(self, children: list[Any]) -> _Seq:
        statements = _statements(children)
        return _Seq(statements, _span(list(statements)))

    def parameters(self, children: list[Any]) -> _Seq:
        names = [c for c in children if isinstance(c, Token) and c.type == "NAME"]
        return _Seq(tuple(str(n) for n in names), _span(names))

    def elif_(self, children: list[Any]) -> ast.If:
        _, condition, _, body = children
        return ast.If(_span(children), ((condition, body.items),), None)

    def else_(self, children: list[Any]) -> _Seq:
        return _Seq(children[-1].items, _span(children))

    def if_(self, children: list[Any]) -> ast.If:
        _, condition, _, body, *rest = children
        branches = [(condition, body.items)]
        otherwise = otherwise_span = None
        for part in rest:
            if isinstance(part, ast.If):
                branches.extend(part.branches)
            elif isinstance(part, _Seq):
                otherwise, otherwise_span = part.items, part.span
        return ast.If(_span(children), tuple(branches), otherwise, otherwise_span)

    def while_(self, children: list[Any]) -> ast.While:
        _, condition, _, body = children
        return ast.While(_span(children), condition, body.items)

    def for_(self, children: list[Any]) -> ast.For:
        _, name, _, iterable, _, body = children
        return ast.For(_span(children), str(name), iterable, body.items)

    def def_(self, children: list[Any]) -> ast.Def:
        name, parameters, body = children[1], children[3], children[-1]
        return ast.Def(_span(children), str(name),
                       parameters.items if parameters is not None else (), body.items)

    def start(self, children: list[Any]) -> ast.Program:
        statements = _statements(children)
        span = _span(list(statements)) if statements else ast.Span(0, 0)
        return ast.Program(span, statements)


def _statements(children: list[Any]) -> tuple[Any, ...]:
    """Statements from a block's children: simple ones come grouped by line, as _Seq."""
    out: list[Any] = []
    for child in children:
        if isinstance(child, _Seq):
            out.extend(child.items)
        elif not isinstance(child, Token) and child is not None:
            out.append(child)
    return tuple(out)


_WORDS = {"NUMBER": "a number", "NAME": "a name", "STRING": "a quoted text",
          "COMPARE": "a comparison", "POW": "'^'",
          "MINUS": "'-'", "TIMES": "'*'", "DIVIDE": "'/'", "SUPERSCRIPT": "a superscript",
          "ROOT": "'√'", "SYMBOL": "π or ∞", "DEGREE": "'°'",
          "$END": "the end of the formula", "_NL": "a new line", "_INDENT": "an indented block",
          "_DEDENT": "the end of the block"}


class _Layout(Indenter):
    """Python's indentation rules for programs: INDENT/DEDENT tokens, none inside brackets."""

    NL_type = "_NL"
    OPEN_PAREN_types = ["LPAR", "LSQB"]
    CLOSE_PAREN_types = ["RPAR", "RSQB"]
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 8


def build_parser(program: bool = False) -> Lark:
    """Lark's LALR parser built from the grammar files (about 130 ms; see _parser)."""
    grammar = grammar_file("program.lark" if program else "formula.lark")
    return Lark(
        grammar.read_text(encoding="utf-8"),
        parser="lalr",
        transformer=_Build(),
        keep_all_tokens=True,
        maybe_placeholders=True,
        postlex=_Layout() if program else None,
        import_paths=[grammar.parent],
    )


def _tables_current() -> bool:
    """Whether grammar_tables.py was generated from the grammar files as they are now."""
    import hashlib

    import lark

    from adcli.language import grammar_tables

    text = "".join(grammar_file(name).read_text(encoding="utf-8")
                   for name in ("formula.lark", "program.lark"))
    source = hashlib.sha256(f"{lark.__version__}\n{text}".encode()).hexdigest()
    return source == grammar_tables.SOURCE


@functools.lru_cache(maxsize=None)
def _parser(program: bool = False) -> Lark:
    """The parser, from the tables scripts/gen_parser.py generated into the package: never from
    a cache file, which Lark would keep in the shared temp directory (a planted pickle there
    would run as code). Should the grammar have changed since (a test says so), it is built
    from the grammar files instead, correct but slower."""
    if not _tables_current():
        return build_parser(program)
    from adcli.language import grammar_tables

    tables = grammar_tables.load(program)
    return Lark._load_from_dict(tables["data"], tables["memo"], transformer=_Build(),
                                postlex=_Layout() if program else None)


@functools.lru_cache(maxsize=None)
def _driver(program: bool = False) -> Any:
    """What parses: adcli's loop over lark's tables (language/lalr.py), or lark's own parse."""
    from adcli.language.lalr import driver

    lark = _parser(program)
    fast = driver(lark)
    return fast.parse if fast is not None else lark.parse


def _expected(names: set[str], program: bool = False) -> str:
    terminals = {t.name: t for t in _parser(program).terminals}
    words = set()
    for name in names:
        t = terminals.get(name)
        plain = name.removeprefix("formula__")
        if plain in _WORDS:
            words.add(_WORDS[plain])
        elif t is not None and isinstance(t.pattern, PatternStr):
            words.add(f"'{t.pattern.value}'")
    if len(words) > 1:  # `and`/`or` can follow almost anything: name them only when alone;
        words -= {"'and'", "'or'", "'='"}  # `=` only ever makes a name a keyword argument
    ordered = sorted(words, key=lambda w: (not w.startswith("a"), w))
    if not ordered:
        return ""
    return ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " or " + ordered[-1]


_TOKEN_WORDS = {"_INDENT": "indentation", "_DEDENT": "end of the block", "_NL": "end of the line"}


def _syntax_error(source: str, exc: UnexpectedInput, program: bool = False) -> InputError:
    if isinstance(exc, UnexpectedCharacters):
        position = exc.pos_in_stream
        message = f"unexpected character {source[position]!r}"
        allowed = set(exc.allowed or ())
        expected = (_expected(allowed, program) if len(allowed) <= 6
                    else "an operator, a number or a name")
    elif isinstance(exc, (UnexpectedToken, UnexpectedEOF)):
        token = getattr(exc, "token", None)
        at_end = token is None or token.type == "$END"
        position = len(source) if at_end else token.start_pos
        if not at_end and token.type in ("_INDENT", "_DEDENT"):
            # these borrow the position of the newline before them: point at the line itself
            position = min(token.end_pos - len(str(token)), len(source))
        shown = _TOKEN_WORDS.get(token.type, repr(str(token))) if not at_end else ""
        what = "program" if program else "formula"
        message = f"the {what} ends too early" if at_end else f"unexpected {shown}"
        expected = _expected(set(exc.expected or ()), program)
        if program:
            expected = expected.replace("the end of the formula", "the end of the program")
        if not at_end and token.type.endswith("STRING"):
            return InputError("a quoted text can only be a function's argument",
                              kind="syntax", start=position, end=token.end_pos,
                              hint="einsum's subscripts are one: einsum('ij,jk->ik', A, B)")
        if not at_end and token.type == "COMPARE" and "$END" in (exc.expected or ()):
            return InputError("comparisons cannot be chained", kind="syntax",
                              start=position, end=token.end_pos,
                              hint="compare two values at a time")
    else:  # pragma: no cover - lark raises only the three above
        position, message, expected = 0, str(exc), ""
    end = position + 1 if position < len(source) else position
    hint = f"expected {expected}" if expected else None
    if source[max(0, position - 2):position + 1] == "...":
        hint = "a range has two dots: 0..5 (0..=5 includes 5)"
    return InputError(message, kind="syntax", start=position, end=end, hint=hint)


def parse(source: str, program: bool = False) -> Formula:
    """Parse a formula, or with `program` a program. Raises InputError, with the position, if
    the text is not one; calls are checked against the built-ins and the program's own `def`s."""
    what = "program" if program else "formula"
    if not source.strip():
        raise InputError(f"the {what} is empty", kind="syntax", source=source, start=0, end=0)
    if len(source) > MAX_FORMULA_LENGTH:
        raise InputError(
            f"the {what} is {len(source):,} characters long; the limit is {MAX_FORMULA_LENGTH:,}",
            kind="size-limit", source=source[:80],
        )
    text = source if not program or source.endswith("\n") else source + "\n"
    # Parsing allocates a few objects per token (tokens, nodes, spans), none in a reference
    # cycle: the cyclic collector would find nothing, yet on a 1 MB formula its passes over
    # everything made so far took nearly half of the parse.
    collecting = gc.isenabled()
    gc.disable()
    try:
        tree = _driver(program)(text)
        functions, variables = check(tree, program, text)
    except UnexpectedInput as exc:
        error = _syntax_error(source, exc, program)
        error.source = source
        raise error from None
    except DedentError as exc:
        raise InputError(f"the indentation does not match any outer block ({exc})",
                         kind="syntax", source=source) from None
    except InputError as error:  # raised by a reduction in _Build, or by the checks
        error.source = source
        raise
    finally:
        if collecting:
            gc.enable()
    return Formula(source, tree, variables, functions)
