"""`adcli functions`: every function and operator of the language with its derivative rule,
each rule read from the registry entry's own rule (adcli.symbolic.labels), never from prose."""

from __future__ import annotations

from dataclasses import dataclass

from adcli.ops import ALIASES, FUNCTIONS, PRIMITIVES, operators

CONSTANT = "a constant: no derivative"


@dataclass(frozen=True)
class FunctionRow:
    name: str
    signature: str
    doc: str
    rule: str  # e.g. "sin'(x) = cos(x)", with the entry's edge note in parentheses
    inputs: tuple[str, ...]
    parts: tuple[str, ...]  # the same, one part per input (and the note), for narrow columns


@dataclass(frozen=True)
class FunctionTable:
    functions: tuple[FunctionRow, ...]
    operators: tuple[FunctionRow, ...]  # name: the primitive; signature: its syntax
    aliases: tuple[tuple[str, str], ...]


def function_table() -> FunctionTable:
    # the rules are read by tracing them (adcli.symbolic): loaded by this command alone
    from adcli.symbolic.labels import rule_line, rule_parts

    rows = []
    for name, entry in FUNCTIONS.items():
        prim = PRIMITIVES.get(name)
        if prim is None:
            rows.append(FunctionRow(name, entry.signature, entry.doc, CONSTANT, entry.inputs,
                                    (CONSTANT,)))
            continue
        # the entry's own words where no formula states the rule (reshape's, by its shape)
        rows.append(FunctionRow(name, entry.signature, entry.doc,
                                rule_line(prim, words=entry.rule), entry.inputs,
                                tuple(rule_parts(prim, words=entry.rule))))
    ops = tuple(FunctionRow(p.name, p.doc, p.doc, rule_line(p, operator=True), p.inputs,
                            tuple(rule_parts(p, operator=True))) for p in operators())
    return FunctionTable(tuple(rows), ops, tuple(ALIASES.items()))
