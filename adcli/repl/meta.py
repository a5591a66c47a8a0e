"""The session's own commands, which start with a colon: `:help`, `:vars`, `:json on|off`,
`:precision N`, `:seed N`, `:clear`, `:save FILE`, `:load FILE`, `:quit`."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Callable

from adcli.errors import InputError
from adcli.repl.lines import split_words, statements

if TYPE_CHECKING:
    from adcli.repl.session import Session
    from adcli.views.session import Name

HELP = """\
adcli's interactive session: names you give stay, and every adcli command works on them.

  x = 0..5                          a value (also [1, 2], [[1,2],[3,4]], linspace(0,1,11))
  y = randn(3)                      random draws from the session's seed (:seed N)
  f = log(x*x)·sin(x) + 1/x         a formula: it reads x whenever it is used
  def g(a):                         a function, as in a program (an empty line ends it)
      return a * 2
  f                                 a formula alone: its value (`ans` or `_` then holds it)
  x = x - 0.1*ans                   reads the value it replaces: evaluated now
  grad f                            a command, with the session's names for its variables
  grad x*y + sin(x) --wrt x         no quotes needed; the command's options as in the shell
  eval f --at x=[1, 2]              --at gives a value for this question only
  while norm(x) > 1:                if/while/for run here; what they assign is kept
      x = x / 2

Commands (`COMMAND --help` shows its options):
{commands}

Session commands:
  :vars                 the names, their shapes and values
  :json on|off          answers as one JSON line each (like --json)
  :precision N          significant digits (like --precision)
  :seed N               seed the random draws; :seed alone shows it
  :clear [NAME …]       forget these names, or all of them
  :save FILE            write the session as a program (adcli eval -f FILE runs it)
  :load FILE            run a program's statements here, as if typed
  :quit                 leave (or Ctrl-D); Ctrl-C cancels a line or a computation
"""


def run_meta(session: Session, line: str) -> int:
    words = split_words(line[1:])
    if not words:
        raise InputError("a session command follows the colon, e.g. :help", kind="usage")
    name, arguments = words[0], words[1:]
    action = ACTIONS.get(name) or ACTIONS.get(ALIASES.get(name, ""))
    if action is None:
        from adcli.views.session import visible

        close = difflib.get_close_matches(name, list(ACTIONS), n=1)
        raise InputError(f"unknown session command :{visible(name)}"
                         + (f" — did you mean :{close[0]}?" if close else ""),
                         kind="usage", hint=":help lists them")
    return action(session, arguments)


def _help(session: Session, arguments: list[str]) -> int:
    width = max(len(name) for name, _ in session.commands.about())
    listed = "\n".join(f"  {name:<{width}}  {about}" for name, about in session.commands.about())
    session.show_text(HELP.format(commands=listed))
    return 0


def _vars(session: Session, arguments: list[str]) -> int:
    from adcli.views import session as view

    entries = _entries(session)
    if session.settings.json:
        session.emit(view.names_json(entries))
    else:
        session.show(view.names(entries, session.settings.precision))
    return 0


def _entries(session: Session) -> list[Name]:
    from adcli.cli.vocabulary import CONSTANTS, KEYWORDS
    from adcli.repl.names import Expression, Value
    from adcli.views.session import Name

    names = session.names
    listed = []
    for name, entry in names.ordered():
        if isinstance(entry, Value):
            listed.append(Name(name, "value", array=entry.array))
        elif isinstance(entry, Expression):
            reads = names.reads(names.expand(entry.text))
            listed.append(Name(name, "formula", text=entry.text, variables=tuple(
                n for n in reads if n not in CONSTANTS and n not in KEYWORDS)))
        else:
            listed.append(Name(name, "def", text=entry))
    if names.has_value("ans"):
        listed.append(Name("ans", "value", array=names.value_of("ans")))
    return listed


def _one(arguments: list[str], usage: str) -> str:
    if len(arguments) != 1:
        raise InputError(f"usage: {usage}", kind="usage")
    return arguments[0]


def _json(session: Session, arguments: list[str]) -> int:
    word = _one(arguments, ":json on|off").lower()
    if word not in ("on", "off"):
        from adcli.views.session import visible

        raise InputError(f"usage: :json on|off (not {visible(word)})", kind="usage")
    session.settings.json = word == "on"
    return 0


def _whole(text: str, what: str, low: int, high: int | None = None) -> int:
    try:
        number = int(text)
    except ValueError:
        number = low - 1
    if number < low or (high is not None and number > high):
        span = f"from {low} to {high}" if high is not None else f"{low} or more"
        from adcli.views.session import visible

        raise InputError(f"{what} must be a whole number {span}, not {visible(text)}",
                         kind="usage")
    return number


def _precision(session: Session, arguments: list[str]) -> int:
    allowed = session.commands.options("eval")["--precision"].type  # the CLI's own range
    session.settings.precision = _whole(_one(arguments, ":precision N"), ":precision",
                                        allowed.min, allowed.max)
    return 0


def _seed(session: Session, arguments: list[str]) -> int:
    if not arguments:
        seed = session.settings.seed
        session.show_text(f"seed {seed}" if seed is not None else
                          "no seed set: the commands draw afresh each time (:seed N fixes it)")
        return 0
    session.reseed(_whole(_one(arguments, ":seed N"), ":seed", 0, 2**32 - 1))
    return 0


def _clear(session: Session, arguments: list[str]) -> int:
    unknown = session.names.forget(arguments)
    if unknown:
        from adcli.views.session import visible

        raise InputError(f"no name `{visible(unknown[0])}` to forget", kind="usage",
                         hint=":vars lists them")
    return 0


def _save(session: Session, arguments: list[str]) -> int:
    from adcli.repl.files import save

    path = _one(arguments, ":save FILE")
    count = save(session.names, path)
    session.notice(f"saved {count} name{'s' if count != 1 else ''} to {path}")
    return 0


def _load(session: Session, arguments: list[str]) -> int:
    from adcli.repl.files import read

    path = _one(arguments, ":load FILE")
    worst = 0
    for _, statement in statements(read(path).splitlines()):
        worst = max(worst, session.run(statement))
    return worst


def _quit(session: Session, arguments: list[str]) -> int:
    from adcli.repl.session import Quit

    raise Quit()


ACTIONS: dict[str, Callable[[Session, list[str]], int]] = {
    "help": _help, "vars": _vars, "json": _json, "precision": _precision, "seed": _seed,
    "clear": _clear, "save": _save, "load": _load, "quit": _quit,
}
ALIASES = {"h": "help", "q": "quit", "exit": "quit"}
