_adcli_completion() {
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
                   _ADCLI_COMPLETE=complete_bash $1 ) )
    local word=${words[current]} head answer
    if [[ $word != [\"\']* ]]; then
        if [[ $word == *[=:]* ]]; then
            head=${word%[=:]*}
            head=${word:0:${#head}+1}
            COMPREPLY=( "${COMPREPLY[@]#"$head"}" )
        fi
        for i in "${!COMPREPLY[@]}"; do
            if [[ ${COMPREPLY[i]} == *[![:alnum:]_.,=+:/@-]* ]]; then
                printf -v answer '%q' "${COMPREPLY[i]}"
                COMPREPLY[i]=$answer
            fi
        done
    fi
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *[\(=,] ]]; then
        compopt -o nospace
    fi
    return 0
}

complete -o default -F _adcli_completion adcli
