"""The one registry of primitives: the source of values, derivative rules, help and suggestions.

`defprim` declares a primitive once and returns the function that applies it. The language
layer, `adcli functions`, error suggestions and (later) completion all read `FUNCTIONS`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

from adcli.engine import Primitive, apply

PRIMITIVES: dict[str, Primitive] = {}


@dataclass(frozen=True)
class Function:
    """A name the formula language can call."""

    name: str
    apply: Callable[..., Any]
    signature: str
    doc: str
    rule: str
    arity: int  # tensor arguments; -1 for any number
    params: tuple[str, ...] = ()  # constant arguments after the tensors (an axis, a bound)
    required_params: int = 0
    constructor: bool = False  # builds a constant from numbers (arange, zeros)
    random: bool = False  # a constructor that draws from a generator (randn, rand)
    inputs: tuple[str, ...] = ()  # the tensor arguments' names (see Primitive.inputs)
    note: str = ""  # the derivative's edge conventions, in words
    # How calls are written (checked by adcli/language/calls.py, bound by evaluate.py):
    keywords: tuple[str, ...] = ()  # params given only by keyword: `axis=0`, `correction=0`
    leading: int = 0  # params written before the tensors: einsum's subscripts
    kinds: tuple[tuple[str, str], ...] = ()  # (param, kind) where not a whole number; see KINDS
    pairwise: str | None = None  # max/min: with two tensors, this element-wise function instead

    def kind(self, param: str) -> str:
        return dict(self.kinds).get(param, "int")

    @property
    def positional_params(self) -> tuple[str, ...]:
        return tuple(p for p in self.params[self.leading:] if p not in self.keywords)

    def param_named(self, keyword: str) -> str | None:
        """The param a keyword argument names, under its own name or torch's and numpy's
        (`dim=` for `axis=`, `k=` for `diagonal=`); None if it names none."""
        if keyword in self.params:
            return keyword
        for param in self.params:
            if keyword in KEYWORD_SYNONYMS.get(param, ()):
                return param
        return None


# The kinds of constant params: "int" a whole number (the default); "axis" one axis, checked
# against the first input's dimensions (torch's rule: a 0-d value has the axes -1 and 0);
# "axes" one axis or a vector of them; "dims" the same, but a 0-d value has none (torch's
# roll); "ints" a whole number or a vector of them (a shape, shifts); "number" any number;
# "string" a quoted text; "contraction" tensordot's axes (a number, or two vectors of axes).
KINDS = ("int", "axis", "axes", "dims", "ints", "number", "string", "contraction")
# Other names people write for a param, from torch and numpy: `sum(x, dim=0)`, `tril(A, k=1)`.
KEYWORD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "axis": ("dim", "dims"), "axes": ("dims",), "diagonal": ("k", "offset"), "shifts": ("shift",),
}


FUNCTIONS: dict[str, Function] = {}
ALIASES: dict[str, str] = {}


class PerArgument:
    """Derivative rules for a primitive with any number of inputs: `make(k)` is the rule for
    input k."""

    def __init__(self, make: Callable[[int], Callable[..., Any]]) -> None:
        self.make = make

    def __getitem__(self, k: int) -> Callable[..., Any]:
        return self.make(k)


# `jvp=ELEMENTWISE`: the JVP rules are the VJP rules with the tangent in the adjoint's place.
# True of a function applied element by element to one input, whose derivative is a
# multiplication by f'(x) and so its own transpose; torch's derivatives.yaml says
# `result: auto_element_wise` for the same thing.
ELEMENTWISE = "elementwise"
DEFAULT_INPUTS = {1: ("x",), 2: ("a", "b")}


def defprim(
    name: str,
    value: Callable[..., Any],
    vjp: Any = None,
    *,
    jvp: Any = None,
    doc: str,
    rule: str = "",
    signature: str | None = None,
    arity: int = 1,
    params: tuple[str, ...] = (),
    inputs: tuple[str, ...] | None = None,
    note: str = "",
    public: bool = True,
    **calls: Any,
) -> Callable[..., Any]:
    """Declare a primitive: its numpy value, one VJP rule and one JVP rule per tensor input,
    its doc. A differentiable primitive has both kinds of rule, or neither.

    `params` are constant arguments (an axis) that follow the tensors in the language; `inputs`
    names the tensor arguments (by default `x`, or `a` and `b`); `note` says in words what the
    rules do at the edges. `calls` are how the language writes a call (`keywords`, `leading`,
    `kinds`, `required_params`: see Function).
    """
    if inputs is None:
        inputs = DEFAULT_INPUTS.get(arity, ())
    if arity >= 0 and len(inputs) != arity:
        raise TypeError(f"primitive {name}: name its {arity} inputs")
    if jvp == ELEMENTWISE:
        jvp = vjp
    if (vjp is None) != (jvp is None):
        raise TypeError(f"primitive {name}: declare a VJP and a JVP rule per input, or neither")
    prim = Primitive(name=name, value=value, vjp=vjp, jvp=jvp, arity=arity, doc=doc, rule=rule,
                     params=params, inputs=inputs, note=note)
    PRIMITIVES[name] = prim

    op = functools.partial(apply, prim)  # a C-level call: this is every primitive's hot path
    if public:
        register_function(name, op, doc=doc, rule=rule, arity=arity, params=params,
                          signature=signature, inputs=inputs, note=note, **calls)
    return op


def register_function(
    name: str,
    fn: Callable[..., Any],
    *,
    doc: str,
    rule: str,
    arity: int,
    params: tuple[str, ...] = (),
    required_params: int = 0,
    constructor: bool = False,
    random: bool = False,
    signature: str | None = None,
    inputs: tuple[str, ...] = (),
    note: str = "",
    keywords: tuple[str, ...] = (),
    leading: int = 0,
    kinds: dict[str, str] | None = None,
    pairwise: str | None = None,
) -> None:
    assert all(kind in KINDS for kind in (kinds or {}).values()), name
    FUNCTIONS[name] = Function(
        name=name,
        apply=fn,
        signature=signature or f"{name}(x)",
        doc=doc,
        rule=rule,
        arity=arity,
        params=params,
        required_params=required_params,
        constructor=constructor,
        random=random,
        inputs=inputs,
        note=note,
        keywords=keywords,
        leading=leading,
        kinds=tuple((kinds or {}).items()),
        pairwise=pairwise,
    )


# The primitives behind the language's operators and literals, for `adcli functions`.
OPERATOR_PRIMITIVES = ("add", "sub", "mul", "div", "neg", "pow", "getitem", "stack")


def operators() -> list[Primitive]:
    return [PRIMITIVES[name] for name in OPERATOR_PRIMITIVES]


def alias(name: str, target: str) -> None:
    ALIASES[name] = target


def lookup(name: str) -> Function | None:
    return FUNCTIONS.get(ALIASES.get(name, name))


def suggest(name: str, extra: tuple[str, ...] = ()) -> str | None:
    """The known function name closest to a mistyped one, for 'did you mean' — only a close one
    (a far suggestion, `mod` → `sigmoid`, misleads more than none): a name it begins, or one
    with most letters in common."""
    import difflib  # only on the way to an error message

    candidates = [*FUNCTIONS, *ALIASES, *extra]
    started = sorted((c for c in candidates if len(name) >= 3 and c.startswith(name)), key=len)
    if started:  # sigm → sigmoid, before a same-length near miss (sign)
        return started[0]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return close[0] if close else None
