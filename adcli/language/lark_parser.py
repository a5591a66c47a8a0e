"""Lark's own parser of adcli's grammar, and what only lark knows: the errors.

lark is imported here and nowhere else, and only where it is needed, since its import is about
a tenth of a command's start-up:

- a text adcli's parser (lalr.py) refuses is parsed again by lark, and lark's exception becomes
  an InputError that says what was expected where (`parse_with_lark`);
- scripts/gen_parser.py builds the parser from the grammar files and writes down its tables,
  lark's own (`Lark._load_from_dict` reads them back here, for the errors) and, as plain data,
  what lalr.py runs (`plain_tables`);
- should the grammar files have changed since the tables were written (a test says so), the
  parser is built from them, about 130 ms, and lalr.py runs its tables all the same.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from lark import Lark
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)
from lark.indenter import DedentError, Indenter
from lark.lexer import PatternStr, UnlessCallback
from lark.parse_tree_builder import (
    ChildFilterLALR,
    ChildFilterLALR_NoPlaceholders,
    ExpandSingleChild,
)
from lark.parsers.lalr_analysis import Shift

from adcli.errors import InputError
from adcli.language.lalr import alternation
from adcli.language.parser import Build, _tables_current, grammar_file


class _Layout(Indenter):
    """Python's indentation rules for programs: INDENT/DEDENT tokens, none inside brackets."""

    NL_type = "_NL"
    OPEN_PAREN_types = ["LPAR", "LSQB"]
    CLOSE_PAREN_types = ["RPAR", "RSQB"]
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 8


def build_parser(program: bool = False) -> Lark:
    """Lark's LALR parser built from the grammar files (about 130 ms; see lark_parser)."""
    grammar = grammar_file("program.lark" if program else "formula.lark")
    return Lark(
        grammar.read_text(encoding="utf-8"),
        parser="lalr",
        transformer=Build(),
        keep_all_tokens=True,
        maybe_placeholders=True,
        postlex=_Layout() if program else None,
        import_paths=[grammar.parent],
    )


@functools.lru_cache(maxsize=None)
def lark_parser(program: bool = False) -> Lark:
    """Lark's parser, from the tables scripts/gen_parser.py generated into the package: never
    from a cache file, which Lark would keep in the shared temp directory (a planted pickle
    there would run as code). Should the grammar have changed since, or lark be another version
    than the one that wrote them, it is built from the grammar files instead."""
    import lark

    from adcli.language import grammar_tables

    if not _tables_current() or grammar_tables.LARK != lark.__version__:
        return build_parser(program)
    tables = grammar_tables.lark_tables(program)
    return Lark._load_from_dict(tables["data"], tables["memo"], transformer=Build(),
                                postlex=_Layout() if program else None)


def parse_with_lark(source: str, text: str, program: bool = False) -> Any:
    """Lark's parse of a text adcli's parser refused (`text` is the `source` as parsed): lark
    raises its error, and this the InputError that says it in words."""
    try:
        return lark_parser(program).parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(source, exc, program) from None
    except DedentError as exc:
        raise InputError(f"the indentation does not match any outer block ({exc})",
                         kind="syntax", source=source) from None


# -- the tables, as lalr.py runs them ---------------------------------------------------------

def plain_tables(parser: Lark) -> dict[str, Any]:
    """What lalr.py needs to parse as this Lark parser does, in lists, dicts, strings and numbers
    (scripts/gen_parser.py writes them as JSON). Raises TypeError where the parser is not built
    the way lalr.py runs it (another lark, another option)."""
    frontend = parser.parser
    lalr = frontend.parser.parser  # lark's _Parser: the table and the callbacks
    table = lalr.parse_table
    (start,) = table.start_states
    if sorted(table.states) != list(range(len(table.states))):
        raise TypeError("lark's states are not numbered 0, 1, 2, …")
    if any(isinstance(rule, str) for rule in lalr.callbacks):
        raise TypeError("lark has token callbacks, which lalr.py does not run")
    rules = list(lalr.callbacks)
    number = {rule: i for i, rule in enumerate(rules)}
    # names as plain strs (lark's are its Tokens): the same data whether or not it went to JSON
    actions = [{str(symbol): (arg if action is Shift else ~number[arg])
                for symbol, (action, arg) in table.states[state].items()}
               for state in range(len(table.states))]
    build = parser.options.transformer
    postlex = parser.options.postlex
    lexer = frontend.lexer
    lexer = getattr(lexer, "lexer", lexer)  # under the post-lexer (programs' indentation)
    conf = parser.lexer_conf
    if conf.callbacks or conf.re_module is not re or conf.use_bytes:
        raise TypeError("lark's lexer has callbacks, the regex module or bytes")
    return {
        "start": table.start_states[start],
        "end": table.end_states[start],
        "actions": actions,
        "rules": [_rule(rule, lalr.callbacks[rule], build) for rule in rules],
        **_lexers(lexer.lexers, len(actions)),
        "flags": conf.g_regex_flags,
        "ignore": sorted(map(str, conf.ignore)),
        "layout": None if postlex is None else _layout(postlex),
    }


def _rule(rule: Any, callback: Any, build: Any) -> dict[str, Any]:
    """A rule's size and name, and what its reduction does, read off the chain of wrappers
    lark's ParseTreeBuilder made of it: a child filter (outermost, which children are kept,
    which inlined rules are spliced in and where a None stands for an [optional] part left out),
    ExpandSingleChild (a `?rule` whose one child passes up), then the builder's method."""
    include, nones = None, 0
    if isinstance(callback, ChildFilterLALR_NoPlaceholders):
        include = [[index, inlined, 0] for index, inlined in callback.to_include]
        callback = callback.node_builder
    elif type(callback) is ChildFilterLALR:
        include = [list(part) for part in callback.to_include]
        nones = callback.append_none
        callback = callback.node_builder
    single = isinstance(callback, ExpandSingleChild)
    if single:
        callback = callback.node_builder
    name = rule.alias or rule.options.template_source or rule.origin.name
    passes = single and include is None and len(rule.expansion) == 1
    if isinstance(callback, functools.partial):
        # lark's default, a Tree: never made for a `?rule` whose one child passes up, and for a
        # rule lark inlines (`x*`, `x+`) its parent takes its children, which a list holds
        if not (passes or rule.origin.name.startswith("_")):
            raise TypeError(f"{rule}: the tree builder has no method {name}")
        name = None
    elif getattr(callback, "__self__", None) is not build or callback != getattr(build, name):
        raise TypeError(f"{rule}: lark calls {callback!r}, not the tree builder's {name}")
    return {"origin": str(rule.origin.name), "size": len(rule.expansion),
            "callback": name and str(name), "single": single, "include": include,
            "nones": nones}


def _lexers(lexers: dict[int, Any], states: int) -> dict[str, Any]:
    """The contextual lexer's lexers (one per set of terminals a state can take, shared by the
    states with the same set) and which one each state uses."""
    found: dict[int, int] = {}
    terminals, keywords, lexer_of, multiline = [], [], [], set()
    for state in range(states):
        basic = lexers[state]
        if id(basic) not in found:
            found[id(basic)] = len(terminals)
            scanner = basic.scanner  # built now, with the keywords (`basic.callback`)
            pairs = [[str(t.name), t.pattern.to_regexp()] for t in scanner.terminals]
            if [m.pattern for m in scanner._mres] != [alternation(pairs)]:
                raise TypeError("lark's lexer is not one alternation of its terminals")
            terminals.append(pairs)
            keywords.append({str(kind): _keywords(callback)
                             for kind, callback in basic.callback.items()})
            if set(basic.callback) & basic.ignore_types:
                raise TypeError("lark's lexer has callbacks on ignored terminals")
            multiline |= basic.newline_types
        lexer_of.append(found[id(basic)])
    return {"terminals": terminals, "keywords": keywords, "lexer_of": lexer_of,
            "newline": sorted(map(str, multiline))}


def _keywords(callback: Any) -> dict[str, str]:
    """Lark's UnlessCallback as a dict: a name that is one of these words is that keyword."""
    if not isinstance(callback, UnlessCallback):
        raise TypeError(f"lark's lexer has the callback {callback!r}")
    words = callback.scanner.terminals
    if any(not isinstance(t.pattern, PatternStr) or t.pattern.flags for t in words):
        raise TypeError("a keyword that is not a plain string")
    return {str(t.pattern.value): str(t.name) for t in words}


def _layout(postlex: Any) -> dict[str, Any]:
    if not isinstance(postlex, Indenter) or type(postlex).process is not Indenter.process:
        raise TypeError(f"lalr.py lays out programs as lark's Indenter, not as {postlex!r}")
    return {"newline": postlex.NL_type, "indent": postlex.INDENT_type,
            "dedent": postlex.DEDENT_type, "open": list(postlex.OPEN_PAREN_types),
            "close": list(postlex.CLOSE_PAREN_types), "tab_len": postlex.tab_len}


# -- lark's errors, in words --------------------------------------------------------------------

_WORDS = {"NUMBER": "a number", "NAME": "a name", "STRING": "a quoted text",
          "COMPARE": "a comparison", "POW": "'^'",
          "MINUS": "'-'", "TIMES": "'*'", "DIVIDE": "'/'", "SUPERSCRIPT": "a superscript",
          "ROOT": "'√'", "SYMBOL": "π or ∞", "DEGREE": "'°'",
          "$END": "the end of the formula", "_NL": "a new line", "_INDENT": "an indented block",
          "_DEDENT": "the end of the block"}


def _expected(names: set[str], program: bool = False) -> str:
    terminals = {t.name: t for t in lark_parser(program).terminals}
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
