"""A formula may start with a minus: `adcli grad "-tanh(x)" --at x=1`.

Click would read `-tanh(x)` as the short options -t -a -n -h (and show the help), and
`-softplus(x)` as `-s -o -f tplus(x)`. So before click sees the arguments, the first one that
starts with `-` and is not one of the command's options (nor an option's value) is moved
behind a `--`, where nothing is read as an option. adcli's short options take their value as
the next argument (`-f FILE`, `-o FILE`), never glued to the letter.

An unknown long option (`--wtr`) is refused here, with the closest known one: click, told to
leave unknown options alone for the sake of the leading minus, would call it an extra argument.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from adcli.errors import InputError


def formula_first(args: Sequence[str], group: Any) -> list[str]:
    args = list(args)
    position = next((i for i, a in enumerate(args) if not a.startswith("-")), None)
    if position is None or args[position] not in getattr(group, "commands", {}):
        return args
    command = group.commands[args[position]]
    # (the help option is added by click as it parses, so it is not among the params)
    flags: set[str] = set(getattr(group, "context_settings", {}).get("help_option_names",
                                                                    ["--help"]))
    valued: set[str] = set()
    for param in command.params:
        names = [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
        if getattr(param, "param_type_name", "") != "option":
            continue
        (flags if param.is_flag or getattr(param, "count", False) else valued).update(names)
    i = position + 1
    while i < len(args):
        token = args[i]
        if token == "--":
            return args
        if token in valued:
            i += 2
            continue
        if token.startswith("--") and token.split("=", 1)[0] not in flags | valued:
            raise unknown_option(token.split("=", 1)[0], args[position], flags | valued)
        if token in flags or token.split("=", 1)[0] in valued \
                or token == "-" or not token.startswith("-"):
            i += 1
            continue
        formula = args.pop(i)
        ending = args.index("--") if "--" in args else None
        if ending is None:
            return [*args, "--", formula]
        return [*args[: ending + 1], formula, *args[ending + 1:]]
    return args


def unknown_option(option: str, command: str, known: Iterable[str]) -> InputError:
    import difflib  # only on the way to an error message

    longs = sorted(name for name in known if name.startswith("--"))
    started = [name for name in longs if len(option) >= 4 and name.startswith(option)]
    close = started or difflib.get_close_matches(option, longs, n=1, cutoff=0.6)
    return InputError(f"adcli {command} has no option {option}", kind="usage",
                      hint=f"did you mean {close[0]}?" if close
                      else f"adcli {command} --help lists the options")
