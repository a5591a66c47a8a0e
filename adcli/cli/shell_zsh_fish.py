"""The zsh and fish completion scripts (bash's and what the three share: shell_scripts.py)."""

from __future__ import annotations

import shlex

from adcli.cli.shell_spec import Spec

HEADER = """\
# Tab completion of adcli for {shell}. Written by scripts/gen_completions.py from adcli's commands
# and the registry of functions: do not edit (`adcli --show-completion {shell}` prints it too).
"""


def _q(text: str) -> str:
    return shlex.quote(text)


def _words(items: list[str]) -> str:
    return " ".join(_q(item) for item in items)


def _described(pairs: list[tuple[str, str]]) -> str:
    """zsh's `_describe` items, `name:help`, a colon in the name escaped."""
    return " ".join(_q(name.replace(":", "\\:") + (":" + about if about else ""))
                    for name, about in pairs)


# -- zsh ----------------------------------------------------------------------------------------

ZSH = r"""#compdef adcli
@HEADER@
_adcli_commands=(@COMMANDS@)
_adcli_names=(@NAMES@)
typeset -gA _adcli_help
_adcli_help=(@HELP@)
_adcli_formula_commands=' @FORMULA_COMMANDS@ '

_adcli_options() {  # reply: the options of command $1, as `name:help`
  case $1 in
@OPTION_CASES@
  esac
}

_adcli_value() {  # reply: the values of option $1, or @at, @wrt, @file, @any; fails for a flag
  case $1 in
@VALUE_CASES@
    *) return 1 ;;
  esac
}

_adcli_unquote() {  # REPLY: word $1 without its quotes
  case $1 in
    \"*) REPLY=${1:1}; REPLY=${REPLY%\"} ;;
    \'*) REPLY=${1:1}; REPLY=${REPLY%\'} ;;
    *) REPLY=${1//\\/} ;;
  esac
}

_adcli_variables() {  # found: the variables of the formula or -f program typed so far
  found=()
  local kind=formula
  _adcli_unquote "$formula"
  [[ -n $program ]] && { kind=program; _adcli_unquote "$program"; }
  [[ -n $REPLY && $REPLY != - ]] || return 1
  found=("${(@f)$(_ADCLI_VARIABLES=$kind $command_name "$REPLY" 2>/dev/null)}")
  found=(${found:#})
}

_adcli_name() {  # answers: the name text $1 ends with, completed (with $2: variables too)
  local text=$1 word head name
  word=${text##*[^[:alnum:]_]}
  while [[ $word == [0-9]* ]]; do word=${word:1}; done
  [[ -n $word ]] || return 0
  head=${text%"$word"}
  for name in $_adcli_names; do
    [[ $name == "$word"* ]] && answers+=("$head$name") helps+=("${_adcli_help[$name]}")
  done
  if [[ -n $2 && $head == *[[:alpha:]_]* ]]; then
    found=("${(@f)$(_ADCLI_VARIABLES=formula $command_name "$head" 2>/dev/null)}")
    for name in ${found:#}; do
      [[ $name == "$word"* && $name != "$word" ]] && answers+=("$head$name") helps+=(variable)
    done
  fi
}

_adcli_completion() {
  local REPLY command_name=${words[1]} cur=${words[CURRENT]} word i
  local command= formula= program= given= tangents= expect=
  local -a answers helps found reply
  for ((i = 2; i < CURRENT; i++)); do
    word=${words[i]}
    if [[ -n $expect ]]; then
      case $expect in
        -f|--file) program=$word ;;
        --at) _adcli_unquote "$word"; given+=" ${REPLY%%=*}" ;;
        --tangent) _adcli_unquote "$word"; tangents+=" ${REPLY%%=*}" ;;
      esac
      expect=
    elif [[ $word == --at=* ]]; then
      _adcli_unquote "${word#*=}"; given+=" ${REPLY%%=*}"
    elif [[ $word == --tangent=* ]]; then
      _adcli_unquote "${word#*=}"; tangents+=" ${REPLY%%=*}"
    elif [[ $word == -?* ]]; then
      [[ $word != *=* ]] && _adcli_value "$word" && expect=$word
    elif [[ -z $command ]]; then
      command=$word
    elif [[ -z $formula ]]; then
      formula=$word
    fi
  done
  local option=$expect text=$cur prefix= name
  if [[ -z $option && $cur == --?*=* ]]; then
    option=${cur%%=*} text=${cur#*=} prefix=${cur%%=*}=
  fi
  if [[ -n $option ]]; then
    _adcli_value "$option" || return 1
    local -a values=($reply)
    _adcli_unquote "$text"; text=$REPLY
    case $values[1] in
      @file) _files; return ;;
      @any) return 1 ;;
      @wrt)
        local chosen= before=
        [[ $text == *,* ]] && { chosen=,${text%,*},; before=${text%,*},; }
        _adcli_variables
        for name in $found; do
          [[ $chosen == *,"$name",* ]] && continue
          [[ $name == "${text##*,}"* ]] && answers+=("$prefix$before$name") helps+=(variable)
        done ;;
      @at|@tangent)
        local taken=$given
        [[ $values[1] == @tangent ]] && taken=$tangents
        if [[ $text != *=* ]]; then
          _adcli_variables
          for name in $found; do
            [[ " $taken " == *" $name "* ]] && continue
            [[ $name == "$text"* ]] && answers+=("$prefix$name=") helps+=("a value for this variable")
          done
        fi
        _adcli_name "$text" ;;
      *) for name in $values; do [[ $name == "$text"* ]] && answers+=("$prefix$name") helps+=(""); done ;;
    esac
  elif [[ $cur == -* ]]; then
    _adcli_options "$command"
    for name in $reply; do
      [[ $name == "$cur"* ]] && answers+=("${name%%:*}") helps+=("${name#*:}")
    done
  elif [[ -z $command ]]; then
    for name in $_adcli_commands; do
      [[ $name == "$cur"* ]] && answers+=("${name%%:*}") helps+=("${name#*:}")
    done
  elif [[ -z $formula$program && $_adcli_formula_commands == *" $command "* ]]; then
    _adcli_unquote "$cur"
    _adcli_name "$REPLY" variables
  fi
  local -a more rest opened
  for ((i = 1; i <= $#answers; i++)); do
    word=$answers[i]
    name=${word//:/\\:}${helps[i]:+:$helps[i]}  # _describe's `name:help`
    if [[ $cur != [\"\']* && $word == *[^A-Za-z0-9_.,=+:/@%^-]* ]]; then
      opened+=("\"$word")  # unquoted, and a parenthesis comes: open a quote before the word
    elif [[ $word == *[\(=,] ]]; then
      more+=("$name")
    else
      rest+=("$name")
    fi
  done
  local ret=1
  (( $#opened )) && compadd -Q -U -S '' -- $opened && ret=0
  (( $#more )) && _describe -t adcli-more adcli more -S '' && ret=0
  (( $#rest )) && _describe -t adcli adcli rest && ret=0
  return ret
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _adcli_completion "$@"
else
  compdef _adcli_completion adcli
fi
"""


def _zsh_option_cases(spec: Spec) -> str:
    def items(options: tuple) -> str:  # type: ignore[type-arg]
        return _described([(n, o.help.replace("]", ")").replace("[", "(")) for o in options
                           for n in o.names])

    arms = [f"    {c.name}) reply=({items(c.options)}) ;;" for c in spec.commands]
    return "\n".join(arms + [f"    *) reply=({items(spec.root)}) ;;"])


def _zsh_value_cases(spec: Spec) -> str:
    by_kind: dict[str, list[str]] = {}
    for name, option in spec.values().items():
        what = _words(list(option.choices)) if option.value == "choice" else f"@{option.value}"
        by_kind.setdefault(what, []).append(name)
    return "\n".join(f"    {'|'.join(names)}) reply=({what}) ;;" for what, names in by_kind.items())


def zsh(spec: Spec) -> str:
    names = [f"{name}(" for name in spec.functions] + list(spec.constants) + list(spec.keywords)
    helps = [(f"{name}(", about) for name, about in spec.functions.items()]
    helps += [(name, "constant") for name in spec.constants]
    helps += [(name, "keyword") for name in spec.keywords]
    commands = _described([(c.name, c.help) for c in spec.commands])
    return (ZSH.replace("@HEADER@\n", HEADER.format(shell="zsh"))
            .replace("@COMMANDS@", commands)
            .replace("@NAMES@", _words(names))
            .replace("@HELP@", " ".join(f"{_q(n)} {_q(h)}" for n, h in helps))
            .replace("@FORMULA_COMMANDS@", " ".join(c.name for c in spec.commands if c.formula))
            .replace("@OPTION_CASES@", _zsh_option_cases(spec))
            .replace("@VALUE_CASES@", _zsh_value_cases(spec)))


# -- fish ---------------------------------------------------------------------------------------

FISH = r"""
complete -c adcli -f

function __adcli_state --description 'command, formula, program and given, from the words'
    set -g __adcli_command
    set -g __adcli_formula
    set -g __adcli_program
    set -g __adcli_given
    set -g __adcli_tangents
    set -l expect
    for word in (commandline -opc)[2..-1]
        if test -n "$expect"
            switch $expect
                case -f --file
                    set -g __adcli_program $word
                case --at
                    set -ga __adcli_given (string split -m1 = -- $word)[1]
                case --tangent
                    set -ga __adcli_tangents (string split -m1 = -- $word)[1]
            end
            set expect
        else if string match -q -- '--at=*' $word
            set -ga __adcli_given (string split -m1 = -- (string sub -s 6 -- $word))[1]
        else if string match -q -- '--tangent=*' $word
            set -ga __adcli_tangents (string split -m1 = -- (string sub -s 11 -- $word))[1]
        else if string match -q -- '-?*' $word
            if not string match -q -- '*=*' $word; and contains -- $word @VALUED@
                set expect $word
            end
        else if test -z "$__adcli_command"
            set -g __adcli_command $word
        else if test -z "$__adcli_formula"
            set -g __adcli_formula $word
        end
    end
end

function __adcli_command --description 'the command is one of the arguments'
    __adcli_state
    contains -- "$__adcli_command" $argv
end

function __adcli_wants_formula
    __adcli_state
    contains -- "$__adcli_command" @FORMULA_COMMANDS@
    and test -z "$__adcli_formula$__adcli_program"
    and not string match -q -- '-*' (commandline -ct)
end

function __adcli_variables --description 'the variables of the formula or -f program'
    set -l cmd (commandline -opc)[1]
    if test -n "$__adcli_program"
        test "$__adcli_program" != - ; and env _ADCLI_VARIABLES=program $cmd $__adcli_program 2>/dev/null
    else if test -n "$__adcli_formula"
        env _ADCLI_VARIABLES=formula $cmd $__adcli_formula 2>/dev/null
    end
end

function __adcli_text --description 'the current word, without its opening quote'
    string replace -r -- '^["\']' '' (commandline -ct)
end

function __adcli_answer --description 'print answers; a single one that asks for more, twice'
    if test (count $argv) -eq 1; and string match -qr -- '[(=,]\t|[(=,]$' $argv[1]
        printf '%s\n' $argv[1] (string replace -r -- '^([^\t]*)' '$1 ' $argv[1])
    else
        printf '%s\n' $argv
    end
end

function __adcli_names --description 'the name the text ends with, completed'
    set -l text $argv[1]
    set -l word (string match -r -- '[^\W\d]\w*$' $text)
    test -n "$word"; or return
    set -l head (string sub -l (math (string length -- $text) - (string length -- $word)) -- $text)
    for name in (string match -- "$word*" $__adcli_names)
        printf '%s%s\t%s\n' $head $name $__adcli_help[(contains -i -- $name $__adcli_names)]
    end
    if test (count $argv) -gt 1; and string match -qr -- '[^\W\d]' $head
        set -l cmd (commandline -opc)[1]
        for name in (env _ADCLI_VARIABLES=formula $cmd $head 2>/dev/null)
            string match -q -- "$word*" $name; and test $name != $word; and printf '%s%s\tvariable\n' $head $name
        end
    end
end

set -g __adcli_names @NAMES@
set -g __adcli_help @HELPS@

function __adcli_formula
    __adcli_answer (__adcli_names (__adcli_text) variables)
end

function __adcli_wrt
    __adcli_state
    set -l text (__adcli_text)
    set -l chosen (string split , -- $text)
    set -l last $chosen[-1]
    set -e chosen[-1]
    set -l before (string join , -- $chosen)
    test -n "$before"; and set before "$before,"
    set -l out
    for name in (__adcli_variables)
        contains -- $name $chosen; and continue
        string match -q -- "$last*" $name; and set -a out "$before$name"\tvariable
    end
    __adcli_answer $out
end

function __adcli_at --description '--at (or, with an argument, --tangent) NAME= and values'
    __adcli_state
    set -l taken $__adcli_given
    test (count $argv) -gt 0; and set taken $__adcli_tangents
    set -l text (__adcli_text)
    set -l out
    if not string match -q -- '*=*' $text
        for name in (__adcli_variables)
            contains -- $name $taken; and continue
            string match -q -- "$text*" $name; and set -a out "$name="\t'a value for this variable'
        end
    end
    __adcli_answer $out (__adcli_names $text)
end

@COMMAND_LINES@
@OPTION_LINES@
complete -c adcli -n __adcli_wants_formula -a '(__adcli_formula)'
"""


def _fish_option(option, condition: str) -> str:  # type: ignore[no-untyped-def]
    parts = ["complete -c adcli", f"-n {_q(condition)}"]
    for name in option.names:
        parts.append(f"-l {name[2:]}" if name.startswith("--") else f"-s {name[1:]}")
    if option.value == "choice":
        parts.append(f"-x -a {_q(' '.join(option.choices))}")
    elif option.value == "file":
        parts.append("-r -F")
    elif option.value in ("at", "wrt"):
        parts.append(f"-x -a '(__adcli_{option.value})'")
    elif option.value == "tangent":
        parts.append("-x -a '(__adcli_at tangent)'")
    elif option.value == "any":
        parts.append("-x")
    if option.help:
        parts.append(f"-d {_q(option.help)}")
    return " ".join(parts)


def fish(spec: Spec) -> str:
    names = [f"{name}(" for name in spec.functions] + list(spec.constants) + list(spec.keywords)
    helps = list(spec.functions.values()) + ["constant"] * len(spec.constants) \
        + ["keyword"] * len(spec.keywords)
    commands = [f"complete -c adcli -n __fish_use_subcommand -a {c.name} -d {_q(c.help)}"
                for c in spec.commands]
    options = [_fish_option(o, "__fish_use_subcommand") for o in spec.root]
    options += [_fish_option(o, f"__adcli_command {c.name}") for c in spec.commands
                for o in c.options]
    return HEADER.format(shell="fish") + (
        FISH.replace("@VALUED@", " ".join(spec.values()))
        .replace("@FORMULA_COMMANDS@", " ".join(c.name for c in spec.commands if c.formula))
        .replace("@NAMES@", _words(names))
        .replace("@HELPS@", _words(helps))
        .replace("@COMMAND_LINES@", "\n".join(commands))
        .replace("@OPTION_LINES@", "\n".join(options)))
