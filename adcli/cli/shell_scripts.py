"""The bash, zsh and fish completion scripts, written from a `Spec` (adcli/cli/shell_spec.py).

Each script reads the words before the cursor the same way: the command is the first word that
is not an option, the formula the next one (or the file after -f), `--at NAME=…` names a
variable already given, and an option that takes a value makes the next word its value. Then it
answers from what it knows (commands, options, values, the formula's names) and asks adcli only
for a formula's or program's variables (adcli/cli/variables.py).
"""

from __future__ import annotations

import shlex

from adcli.cli.shell_spec import Spec

HEADER = """\
# Tab completion of adcli for {shell}. Written by scripts/gen_completions.py from adcli's commands
# and the registry of functions: do not edit (`adcli --show-completion {shell}` prints it too).
"""


def _words(items: list[str]) -> str:
    return " ".join(shlex.quote(item) for item in items)


def _names(spec: Spec) -> list[str]:
    """What a name in a formula completes to: functions (with their parenthesis), constants,
    keywords."""
    return [f"{name}(" for name in spec.functions] + list(spec.constants) + list(spec.keywords)


def _value_cases(spec: Spec, indent: str) -> str:
    """`case` arms (bash) from an option to what its value is."""
    by_kind: dict[str, list[str]] = {}
    for name, option in spec.values().items():
        what = _words(list(option.choices)) if option.value == "choice" else f"@{option.value}"
        by_kind.setdefault(what, []).append(name)
    return "\n".join(f"{indent}{'|'.join(names)}) REPLY=({what}) ;;"
                     for what, names in by_kind.items())


def _option_cases(spec: Spec, indent: str) -> str:
    arms = [f"{indent}{c.name}) REPLY=({_words([n for o in c.options for n in o.names])}) ;;"
            for c in spec.commands]
    root = _words([n for o in spec.root for n in o.names])
    return "\n".join(arms + [f"{indent}*) REPLY=({root}) ;;"])


def _formula_commands(spec: Spec) -> str:
    return " ".join(c.name for c in spec.commands if c.formula)


# -- bash ---------------------------------------------------------------------------------------

BASH = r"""
_adcli_commands=(@COMMANDS@)
_adcli_names=(@NAMES@)
_adcli_formula_commands=' @FORMULA_COMMANDS@ '

_adcli_options() {  # REPLY: the options of command $1 (the root's without one)
    case $1 in
@OPTION_CASES@
    esac
}

_adcli_value() {  # REPLY: the values of option $1, or @at, @wrt, @file, @any; fails for a flag
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

_adcli_match() {  # answers: those of $2… that start with $1
    local text=$1 item
    shift
    for item; do [[ $item == "$text"* ]] && COMPREPLY+=("$item"); done
}

_adcli_variables() {  # _adcli_found: the variables of the formula or -f program typed so far
    _adcli_found=()
    local kind=formula
    _adcli_unquote "$formula"
    [[ -n $program ]] && { kind=program; _adcli_unquote "$program"; }
    [[ -n $REPLY && $REPLY != - ]] || return 1
    mapfile -t _adcli_found < <(_ADCLI_VARIABLES=$kind "$command_name" "$REPLY" 2>/dev/null)
}

_adcli_name() {  # answers: the name that text $1 ends with, as a function, constant, keyword, or
                 # (with $2) a variable used before it
    local text=$1 word head name
    word=${text##*[^[:alnum:]_]}
    while [[ $word == [0-9]* ]]; do word=${word:1}; done
    [[ -n $word ]] || return 0
    head=${text%"$word"}
    for name in "${_adcli_names[@]}"; do [[ $name == "$word"* ]] && COMPREPLY+=("$head$name"); done
    if [[ -n $2 && $head == *[[:alpha:]_]* ]]; then
        mapfile -t _adcli_found < <(_ADCLI_VARIABLES=formula "$command_name" "$head" 2>/dev/null)
        for name in "${_adcli_found[@]}"; do
            [[ $name == "$word"* && $name != "$word" ]] && COMPREPLY+=("$head$name")
        done
    fi
}

_adcli_wrt() {  # answers: --wrt x,y — the variables not chosen yet, after the last comma
    local text=$1 chosen= prefix= name
    [[ $text == *,* ]] && { chosen=,${text%,*},; prefix=${text%,*},; }
    _adcli_variables || return 0
    for name in "${_adcli_found[@]}"; do
        [[ $chosen == *,"$name",* ]] && continue
        [[ $name == "${text##*,}"* ]] && COMPREPLY+=("$prefix$name")
    done
}

_adcli_at() {  # answers: --at NAME= for the variables not in $2 yet; a function in the value
    local text=$1 name
    if [[ $text != *=* ]]; then
        _adcli_variables
        for name in "${_adcli_found[@]}"; do
            [[ " $2 " == *" $name "* ]] && continue
            [[ $name == "$text"* ]] && COMPREPLY+=("$name=")
        done
    fi
    _adcli_name "$text"
}

_adcli_reply() {  # fit the answers (whole words) to what readline replaces in word $1
    local i answer head
    if [[ $1 == [\"\']* ]]; then  # inside the quote: answers as they are
        if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *[\(=,] ]]; then
            COMPREPLY+=("${COMPREPLY[0]} ")  # a twin: the common prefix is inserted, unclosed
        fi
        return 0
    fi
    head=${1%"${1##*[=:]}"}  # readline replaces only what follows the last = or :
    for i in "${!COMPREPLY[@]}"; do
        answer=${COMPREPLY[i]#"$head"}
        [[ $answer == *[!A-Za-z0-9_.,=+:/@%^-]* ]] && answer=\"$answer  # open a quote
        COMPREPLY[i]=$answer
    done
    if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *[\(=,] || ${COMPREPLY[0]} == \"* ]]; then
        compopt -o nospace
    fi
}

_adcli_completion() {
    local IFS=$'\n' i current=0 word REPLY command_name=$1
    local -a words=() _adcli_found=()
    # bash splits `x=1` into `x`, `=`, `1` and `x[0:2]` at the `:` (COMP_WORDBREAKS): join them
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        if ((i > 0)) && [[ ${COMP_WORDS[i]} == [=:] || ${COMP_WORDS[i-1]} == [=:] ]]; then
            words[-1]+=${COMP_WORDS[i]}
        else
            words+=("${COMP_WORDS[i]}")
        fi
        ((i == COMP_CWORD)) && current=$((${#words[@]} - 1))
    done
    local cur=${words[current]} command= formula= program= given= tangents= expect=
    for ((i = 1; i < current; i++)); do
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
    COMPREPLY=()
    local option=$expect text=$cur
    if [[ -z $option && $cur == --?*=* ]]; then
        option=${cur%%=*} text=${cur#*=}
    fi
    if [[ -n $option ]]; then
        _adcli_value "$option" || return 0
        local -a values=("${REPLY[@]}")
        local prefix=${cur%"$text"}
        _adcli_unquote "$text"; text=$REPLY
        case ${values[0]} in
            @file) return 0 ;;  # nothing: bash's own file names (complete -o default)
            @wrt) _adcli_wrt "$text" ;;
            @at) _adcli_at "$text" "$given" ;;
            @tangent) _adcli_at "$text" "$tangents" ;;
            @any) ;;
            *) _adcli_match "$text" "${values[@]}" ;;
        esac
        [[ -n $prefix && $prefix != [\"\'] ]] && COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
    elif [[ $cur == -* ]]; then
        _adcli_options "$command"
        _adcli_match "$cur" "${REPLY[@]}"
    elif [[ -z $command ]]; then
        _adcli_match "$cur" "${_adcli_commands[@]}"
    elif [[ -z $formula$program && $_adcli_formula_commands == *" $command "* ]]; then
        _adcli_unquote "$cur"
        _adcli_name "$REPLY" variables
    fi
    _adcli_reply "$cur"
    return 0
}

complete -o default -F _adcli_completion adcli
"""


def bash(spec: Spec) -> str:
    body = (BASH.replace("@COMMANDS@", _words([c.name for c in spec.commands]))
            .replace("@NAMES@", _words(_names(spec)))
            .replace("@FORMULA_COMMANDS@", _formula_commands(spec))
            .replace("@OPTION_CASES@", _option_cases(spec, " " * 8))
            .replace("@VALUE_CASES@", _value_cases(spec, " " * 8)))
    return HEADER.format(shell="bash") + body


from adcli.cli.shell_zsh_fish import fish, zsh  # noqa: E402  (the other two shells)

__all__ = ["bash", "fish", "zsh"]
