# Tab completion of adcli for bash. Written by scripts/gen_completions.py from adcli's commands
# and the registry of functions: do not edit (`adcli --show-completion bash` prints it too).

_adcli_commands=(eval grad functions graph trace jacobian hessian compare check diff repl plot)
_adcli_names=('exp(' 'log(' 'log2(' 'log10(' 'log1p(' 'expm1(' 'sqrt(' 'sin(' 'cos(' 'tan(' 'asin(' 'acos(' 'atan(' 'sinh(' 'cosh(' 'tanh(' 'abs(' 'sign(' 'relu(' 'sigmoid(' 'softplus(' 'detach(' 'where(' 'maximum(' 'minimum(' 'clip(' 'dot(' 'outer(' 'matmul(' 'transpose(' 'size(' 'sum(' 'mean(' 'prod(' 'max(' 'min(' 'norm(' 'logsumexp(' 'softmax(' 'arange(' 'linspace(' 'zeros(' 'ones(' 'randn(' 'rand(' 'pow(' 'cbrt(' 'square(' 'reciprocal(' 'exp2(' 'asinh(' 'acosh(' 'atanh(' 'sec(' 'csc(' 'cot(' 'sinc(' 'hypot(' 'atan2(' 'logaddexp(' 'floor(' 'ceil(' 'round(' 'mod(' 'erf(' 'erfc(' 'lgamma(' 'digamma(' 'polygamma(' 'reshape(' 'flatten(' 'concat(' 'stack(' 'roll(' 'flip(' 'sort(' 'var(' 'std(' 'cumsum(' 'cumprod(' 'trace(' 'diag(' 'tril(' 'triu(' 'det(' 'inv(' 'solve(' 'cross(' 'kron(' 'einsum(' 'tensordot(' 'ln(' 'stop_gradient(' pi e inf nan 'π' '∞' and not or 'π')
_adcli_formula_commands=' eval grad graph trace jacobian hessian compare check diff plot '

_adcli_options() {  # REPLY: the options of command $1 (the root's without one)
    case $1 in
        eval) REPLY=(--at --file -f --table --csv --strict --explain --each --dtype --precision --full --exact --json --seed --max-steps --timeout --no-color --help -h) ;;
        grad) REPLY=(--at --file -f --wrt --mode --order --tangent --cotangent --table --csv --strict --explain --each --dtype --precision --full --exact --json --seed --max-steps --timeout --no-color --help -h) ;;
        functions) REPLY=(--json --no-color --help -h) ;;
        graph) REPLY=(--at --file -f --wrt --format --output -o --strict --explain --dtype --precision --full --exact --json --seed --max-steps --timeout --no-color --help -h) ;;
        trace) REPLY=(--at --file -f --wrt --strict --explain --dtype --precision --full --exact --json --seed --max-steps --timeout --no-color --help -h) ;;
        jacobian) REPLY=(--at --file -f --wrt --mode --tangent --cotangent --dtype --precision --full --exact --json --seed --max-steps --timeout --no-color --help -h) ;;
        hessian) REPLY=(--at --file -f --wrt --mode --dtype --precision --full --exact --json --seed --max-steps --timeout --no-color --help -h) ;;
        compare) REPLY=(--at --file -f --wrt --depth --dtype --precision --full --exact --json --seed --max-steps --timeout --no-color --help -h) ;;
        check) REPLY=(--at --file -f --wrt --mode --rtol --atol --dtype --precision --full --exact --json --seed --max-steps --timeout --no-color --help -h) ;;
        diff) REPLY=(--at --file -f --wrt --order -n --steps --latex --plain --dtype --precision --full --exact --json --seed --max-steps --timeout --no-color --help -h) ;;
        repl) REPLY=(--json --precision --seed --no-color --help -h) ;;
        plot) REPLY=(--at --file -f --wrt --order --width --height --output -o --table --csv --dtype --precision --full --exact --json --seed --max-steps --timeout --no-color --help -h) ;;
        *) REPLY=(--version -V --install-completion --show-completion --help -h) ;;
    esac
}

_adcli_value() {  # REPLY: the values of option $1, or @at, @wrt, @file, @any; fails for a flag
    case $1 in
        --at) REPLY=(@at) ;;
        --file|-f|--each|--output|-o) REPLY=(@file) ;;
        --dtype) REPLY=(float64 float32) ;;
        --precision) REPLY=(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17) ;;
        --seed|--max-steps|--timeout|--order|--cotangent|--depth|--rtol|--atol|-n|--width|--height) REPLY=(@any) ;;
        --wrt) REPLY=(@wrt) ;;
        --mode) REPLY=(reverse forward) ;;
        --tangent) REPLY=(@tangent) ;;
        --format) REPLY=(tree dot mermaid json) ;;
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
