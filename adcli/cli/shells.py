"""The shell side of Tab completion: the scripts that `adcli --install-completion` installs,
`adcli --show-completion` prints and completions/ holds (scripts/gen_completions.py).

They speak typer's completion protocol (the same environment variables, the same answers), but
bash's and zsh's are adcli's own, because typer's close the formula too early: completing `si`
inside `"x*y + si` to `sin(` must leave the quote open and add no space, and so must `x=` after
`--at`. Fish and PowerShell keep typer's scripts (fish already adds no space after `=`).
"""

from __future__ import annotations

from typer import _completion_classes, _completion_shared
from typer.completion import get_completion_script

PROG_NAME = "adcli"
COMPLETE_VAR = "_ADCLI_COMPLETE"

# Typer's, plus: bash splits `x=1` into `x`, `=`, `1` and `x[0:2]` into `x[0`, `:`, `2]` (both
# are in COMP_WORDBREAKS), so the words are joined again before adcli sees them, and answers are
# cut to what readline replaces: what follows the last `=` or `:`. In a word with no opening
# quote, answers are quoted for the shell (`sin\(`), as zsh and fish do. A single answer that
# asks for more (`sin(`, `x=`, `x,`) gets no space after it; bash still closes an open quote.
BASH = r"""
%(complete_func)s() {
    local IFS=$'\n' i current=0
    local -a words=()
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        if ((i > 0)) && [[ ${COMP_WORDS[i]} == [=:] || ${COMP_WORDS[i-1]} == [=:] ]]; then
            words[-1]+=${COMP_WORDS[i]}
        else
            words+=("${COMP_WORDS[i]}")
        fi
        ((i == COMP_CWORD)) && current=$((${#words[@]} - 1))
    done
    COMPREPLY=( $( env COMP_WORDS="${words[*]}" \
                   COMP_CWORD=$current \
                   %(autocomplete_var)s=complete_bash $1 ) )
    local word=${words[current]} head answer
    if [[ $word != [\"\']* ]]; then
        if [[ $word == *[=:]* ]]; then
            head=${word%%[=:]*}
            head=${word:0:${#head}+1}
            COMPREPLY=( "${COMPREPLY[@]#"$head"}" )
        fi
        for i in "${!COMPREPLY[@]}"; do
            if [[ ${COMPREPLY[i]} == *[![:alnum:]_.,=+:/@-]* ]]; then
                printf -v answer '%%q' "${COMPREPLY[i]}"
                COMPREPLY[i]=$answer
            fi
        done
    fi
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *[\(=,] ]]; then
        compopt -o nospace
    fi
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s
"""

# Typer's asks adcli the same way but hands the answer (an `_arguments` call) straight to zsh;
# here its items go to `_describe`, with no suffix for those that ask for more, so zsh keeps
# the quote open. The last lines let the file be both sourced and autoloaded from $fpath
# (typer's, autoloaded, answers only from the second Tab on).
ZSH = r"""
#compdef %(prog_name)s

%(complete_func)s() {
  local response
  response=$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" %(autocomplete_var)s=complete_zsh %(prog_name)s)
  if [[ $response != "_arguments '*: :(("* ]]; then
    eval $response
    return
  fi
  local -a items more rest
  # For `--format=me`, click answers `mermaid`: complete only what follows the `=`
  [[ $PREFIX == -*=* ]] && compset -P '*='
  response=${response#"_arguments '*: :(("}
  eval "items=( ${response%%"))'"} )"
  more=( ${(M)items:#(*[\(=,]|*[\(=,]:*)} )
  rest=( ${items:#(*[\(=,]|*[\(=,]:*)} )
  local ret=1
  (( $#more )) && _describe -t adcli-more %(prog_name)s more -S '' && ret=0
  (( $#rest )) && _describe -t adcli %(prog_name)s rest && ret=0
  return $ret
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  %(complete_func)s "$@"
else
  compdef %(complete_func)s %(prog_name)s
fi
"""


def register() -> None:
    """Make typer use adcli's scripts, for --show-completion and --install-completion (its table
    of scripts) and for the `source_bash` instruction (its completion classes); and show help
    beside zsh's and fish's answers as written: typer would read it as Rich markup, which
    imports Rich on every Tab press (+40 ms) and drops text such as the `[lo, hi]` of clip."""
    _completion_shared._completion_scripts.update(bash=BASH, zsh=ZSH)
    _completion_classes.BashComplete.source_template = BASH
    _completion_classes.ZshComplete.source_template = ZSH
    _completion_classes._sanitize_help_text = _plain


def _plain(text: str) -> str:
    return text


def script(shell: str) -> str:
    """The completion script for one shell: bash, zsh, fish or powershell."""
    register()
    return get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=shell)
