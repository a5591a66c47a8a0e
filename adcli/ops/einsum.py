"""einsum and tensordot: sums of products over named axes.

In the language the subscripts are a quoted text, first, as in numpy and torch:
`einsum('ij,jk->ik', A, B)`. Each letter names an axis; a letter in two operands is summed
over unless it is in the output after `->`; without `->` the output is the letters used once,
in alphabetical order (numpy's rule). The ellipsis `...` is not supported: name every axis.

Every derivative of an einsum is again an einsum. For operand k, the adjoint G (subscripts of
the output) is contracted with the other operands into operand k's subscripts; a letter that
operand k repeats (`ii`, a diagonal) is told apart by an identity matrix, and a letter only
operand k has (summed away in it alone) by a vector of ones.
"""

from __future__ import annotations

import functools
import string
from typing import Any

import numpy as np

from adcli.engine.errors import OpError
from adcli.ops.registry import PerArgument, defprim


@functools.lru_cache(maxsize=256)
def parse(subscripts: str, shapes: tuple[tuple[int, ...], ...]) -> tuple[tuple[str, ...], str, dict[str, int]]:
    """The operands' subscripts, the output's, and each letter's size; OpError, in words, for
    anything numpy would refuse or that adcli does not take."""
    spec = subscripts.replace(" ", "")
    if "." in spec:
        raise OpError("einsum", "the ellipsis `...` is not supported: name every axis "
                                "(for example 'bij,bjk->bik')")
    inputs, arrow, output = spec.partition("->")
    terms = tuple(inputs.split(","))
    if len(terms) != len(shapes):
        raise OpError("einsum", f"the subscripts '{subscripts}' name {len(terms)} operand"
                                f"{'s' if len(terms) != 1 else ''}, but {len(shapes)} "
                                f"{'are' if len(shapes) != 1 else 'is'} given")
    sizes: dict[str, int] = {}
    for term, shape in zip(terms, shapes):
        if any(c not in string.ascii_letters for c in term):
            raise OpError("einsum", f"subscripts are letters, one per axis: '{term}'")
        if len(term) != len(shape):
            raise OpError("einsum", f"'{term}' names {len(term)} axes of an operand of shape {shape}")
        for letter, n in zip(term, shape):
            if sizes.setdefault(letter, n) != n:
                raise OpError("einsum", f"axis '{letter}' has size {sizes[letter]} in one place "
                                        f"and {n} in another")
    if not arrow:
        letters = "".join(terms)
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    for c in output:
        if c not in sizes:
            raise OpError("einsum", f"the output's '{c}' is in no operand")
        if output.count(c) > 1:
            raise OpError("einsum", f"the output names '{c}' twice")
    return terms, output, sizes


def _spec(subscripts: str, operands: tuple[Any, ...]) -> tuple[tuple[str, ...], str, dict[str, int]]:
    return parse(subscripts, tuple(np.shape(o) for o in operands))


def _einsum(*operands: np.ndarray, subscripts: str) -> np.ndarray:
    terms, output, _ = _spec(subscripts, operands)
    return np.einsum(f"{','.join(terms)}->{output}", *operands)


def _cotangent(k: int) -> Any:
    def rule(g: Any, ans: Any, *operands: Any, subscripts: str) -> Any:
        terms, output, sizes = _spec(subscripts, operands)
        unused = iter(c for c in string.ascii_letters if c not in sizes)
        target, extra_terms, extras = "", [], []
        for letter in terms[k]:
            if letter in target:  # a repeat: a fresh letter, tied to the first by δ
                fresh = next(unused)
                extra_terms.append(letter + fresh)
                extras.append(np.eye(sizes[letter]))
                letter = fresh
            target += letter
        others = [t for i, t in enumerate(terms) if i != k]
        seen = output + "".join(others) + "".join(extra_terms)
        for letter in dict.fromkeys(target):
            if letter not in seen:  # summed in operand k alone: every element gets g
                extra_terms.append(letter)
                extras.append(np.ones(sizes[letter]))
        spec = ",".join([output, *others, *extra_terms]) + "->" + target
        rest = [o for i, o in enumerate(operands) if i != k]
        return einsum(g, *rest, *extras, subscripts=spec)

    return rule


def _tangent(k: int) -> Any:
    def rule(t: Any, ans: Any, *operands: Any, subscripts: str) -> Any:
        return einsum(*operands[:k], t, *operands[k + 1:], subscripts=subscripts)

    return rule


einsum = defprim(
    "einsum", _einsum, PerArgument(_cotangent), jvp=PerArgument(_tangent),
    doc="sums of products over named axes: einsum('ij,jk->ik', A, B) is A @ B",
    rule="G contracted with the others: an einsum",
    signature="einsum('ij,jk->ik', a, b, …)", arity=-1, params=("subscripts",), leading=1,
    required_params=1, kinds={"subscripts": "string"},
)


def _tensordot_subscripts(a: Any, b: Any, axes: Any) -> str:
    """tensordot as an einsum: a's contracted axes share letters with b's."""
    na, nb = np.ndim(a), np.ndim(b)
    if isinstance(axes, int):
        if not 0 <= axes <= min(na, nb):
            raise OpError("tensordot", f"axes={axes} does not fit shapes {np.shape(a)} and {np.shape(b)}")
        pairs = list(zip(range(na - axes, na), range(axes)))
    else:
        left, right = axes
        if len(left) != len(right):
            raise OpError("tensordot", f"axes {list(left)} and {list(right)} differ in number")
        pairs = []
        for i, j in zip(left, right):
            if not (-na <= i < na and -nb <= j < nb):
                raise OpError("tensordot", f"axes ({i}, {j}) are out of range for shapes "
                                           f"{np.shape(a)} and {np.shape(b)}")
            pairs.append((i % na, j % nb))
        if len({i for i, _ in pairs}) < len(pairs) or len({j for _, j in pairs}) < len(pairs):
            raise OpError("tensordot", f"axes {list(left)} and {list(right)} repeat an axis")
    letters = iter(string.ascii_letters)
    sa = [next(letters) for _ in range(na)]
    sb = [next(letters) for _ in range(nb)]
    for i, j in pairs:
        if np.shape(a)[i] != np.shape(b)[j]:
            raise OpError("tensordot", f"axis {i} of a ({np.shape(a)[i]}) and axis {j} of b "
                                       f"({np.shape(b)[j]}) differ in size")
        sb[j] = sa[i]
    contracted = {sa[i] for i, _ in pairs}
    out = [c for c in sa if c not in contracted] + [c for c in sb if c not in contracted]
    return f"{''.join(sa)},{''.join(sb)}->{''.join(out)}"


tensordot = defprim(
    "tensordot", lambda a, b, axes=2: _einsum(a, b, subscripts=_tensordot_subscripts(a, b, axes)),
    (lambda g, ans, a, b, axes=2: _cotangent(0)(g, ans, a, b, subscripts=_tensordot_subscripts(a, b, axes)),
     lambda g, ans, a, b, axes=2: _cotangent(1)(g, ans, a, b, subscripts=_tensordot_subscripts(a, b, axes))),
    jvp=(lambda t, ans, a, b, axes=2: tensordot(t, b, axes=axes),
         lambda t, ans, a, b, axes=2: tensordot(a, t, axes=axes)),
    doc="sum over the last `axes` axes of a and the first of b (or two lists of axes)",
    rule="G contracted with the other: an einsum",
    signature="tensordot(a, b, axes=2)", arity=2, params=("axes",),
    kinds={"axes": "contraction"},
)
