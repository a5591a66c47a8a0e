"""Symbolic derivatives from adcli's own rules: expressions, their simplification and printing.

A derivative rule is stated once, as the Python function of its registry entry. Run on tensors
under grad mode it records what it computes (adcli.symbolic.rules), and the record read back
(adcli.symbolic.convert) is the rule's formula, or a whole formula's derivative. This package
may import the engine and the registry, nothing above them.
"""

# The constructors first: algebra builds on expr and, at its end, brings in calls.py, which
# builds on algebra; importing any module of this package goes through here.
from adcli.symbolic import algebra  # noqa: E402, F401
