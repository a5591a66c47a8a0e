# Tab completion of adcli for fish. Written by scripts/gen_completions.py from adcli's commands
# and the registry of functions: do not edit (`adcli --show-completion fish` prints it too).

complete -c adcli -f

function __adcli_state --description 'command, formula, program and given, from the words'
    set -g __adcli_command
    set -g __adcli_formula
    set -g __adcli_program
    set -g __adcli_given
    set -l expect
    for word in (commandline -opc)[2..-1]
        if test -n "$expect"
            switch $expect
                case -f --file
                    set -g __adcli_program $word
                case --at
                    set -ga __adcli_given (string split -m1 = -- $word)[1]
            end
            set expect
        else if string match -q -- '--at=*' $word
            set -ga __adcli_given (string split -m1 = -- (string sub -s 6 -- $word))[1]
        else if string match -q -- '-?*' $word
            if not string match -q -- '*=*' $word; and contains -- $word --at --file -f --each --dtype --precision --seed --max-steps --wrt --mode --format --output -o --rtol --atol
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
    contains -- "$__adcli_command" eval grad graph trace jacobian hessian compare check
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

set -g __adcli_names 'exp(' 'log(' 'log2(' 'log10(' 'log1p(' 'expm1(' 'sqrt(' 'sin(' 'cos(' 'tan(' 'asin(' 'acos(' 'atan(' 'sinh(' 'cosh(' 'tanh(' 'abs(' 'sign(' 'relu(' 'sigmoid(' 'softplus(' 'detach(' 'where(' 'maximum(' 'minimum(' 'clip(' 'dot(' 'outer(' 'matmul(' 'transpose(' 'sum(' 'mean(' 'prod(' 'max(' 'min(' 'norm(' 'logsumexp(' 'softmax(' 'arange(' 'linspace(' 'zeros(' 'ones(' 'randn(' 'rand(' 'stop_gradient(' pi e inf nan and not or
set -g __adcli_help 'exp(x): e to the x' 'log(x): natural logarithm' 'log2(x): base-2 logarithm' 'log10(x): base-10 logarithm' 'log1p(x): log(1 + x), accurate near 0' 'expm1(x): exp(x) - 1, accurate near 0' 'sqrt(x): square root' 'sin(x): sine' 'cos(x): cosine' 'tan(x): tangent' 'asin(x): inverse sine' 'acos(x): inverse cosine' 'atan(x): inverse tangent' 'sinh(x): hyperbolic sine' 'cosh(x): hyperbolic cosine' 'tanh(x): hyperbolic tangent' 'abs(x): absolute value' 'sign(x): -1, 0 or 1' 'relu(x): max(x, 0)' 'sigmoid(x): 1/(1+exp(-x))' 'softplus(x): log(1+exp(x)); x itself above 20 (torch)' 'detach(x): x as a constant (torch'"'"'s detach)' 'where(cond, a, b): a where cond holds, else b' 'maximum(a, b): element-wise larger of a and b' 'minimum(a, b): element-wise smaller of a and b' 'clip(x, lo, hi): x limited to [lo, hi] (torch'"'"'s clamp)' 'dot(a, b): dot product of two vectors (also u·v)' 'outer(a, b): outer product u vᵀ of two vectors' 'matmul(a, b): matrix product a @ b (numpy'"'"'s rules)' 'transpose(x): reverse the axes (a matrix'"'"'s transpose)' 'sum(x, axis?): sum of the elements (along axis)' 'mean(x, axis?): mean of the elements (along axis)' 'prod(x, axis?): product of the elements (along axis)' 'max(x, axis?): largest element (along axis)' 'min(x, axis?): smallest element (along axis)' 'norm(x, axis?): Euclidean length sqrt(sum(x²))' 'logsumexp(x, axis?): log(sum(exp(x))) without overflow' 'softmax(x, axis?): exp(x)/sum(exp(x)) along axis (last)' 'arange(start, stop?, step?): start, start+step, … below stop' 'linspace(start, stop, num): num points evenly from start to stop' 'zeros(n, m?, …): an array of zeros of the given sizes' 'ones(n, m?, …): an array of ones of the given sizes' 'randn(n, m?, …): standard normal draws of the given sizes (see --seed)' 'rand(n, m?, …): uniform draws in [0, 1) of the given sizes (see --seed)' 'stop_gradient(x): same as detach' constant constant constant constant keyword keyword keyword

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

function __adcli_at
    __adcli_state
    set -l text (__adcli_text)
    set -l out
    if not string match -q -- '*=*' $text
        for name in (__adcli_variables)
            contains -- $name $__adcli_given; and continue
            string match -q -- "$text*" $name; and set -a out "$name="\t'a value for this variable'
        end
    end
    __adcli_answer $out (__adcli_names $text)
end

complete -c adcli -n __fish_use_subcommand -a eval -d 'The value of a formula (or a program) at a point.'
complete -c adcli -n __fish_use_subcommand -a grad -d 'The value and the gradient. A non-scalar output is contracted with ones.'
complete -c adcli -n __fish_use_subcommand -a functions -d 'Every built-in function and operator, with its derivative rule.'
complete -c adcli -n __fish_use_subcommand -a graph -d 'The computational graph after the forward and backward pass: each node'"'"'s op, source text, shape, value and gradient.'
complete -c adcli -n __fish_use_subcommand -a trace -d 'The tape step by step: the forward pass, then the backward pass with each local derivative and what it sends to each input.'
complete -c adcli -n __fish_use_subcommand -a jacobian -d 'The Jacobian: per variable, a row per element of f, a column per element of the variable.'
complete -c adcli -n __fish_use_subcommand -a hessian -d 'The Hessian of a formula whose value is one number: ∂²f/∂a∂b for each pair of variables.'
complete -c adcli -n __fish_use_subcommand -a compare -d 'Forward and reverse mode side by side: passes, operations, tape, time, and which wins.'
complete -c adcli -n __fish_use_subcommand -a check -d 'The automatic derivative against central finite differences, like torch'"'"'s gradcheck.'
complete -c adcli -n __fish_use_subcommand -l version -d 'Print the version and exit.'
complete -c adcli -n __fish_use_subcommand -l install-completion -d 'Install completion for the current shell.'
complete -c adcli -n __fish_use_subcommand -l show-completion -d 'Show completion for the current shell, to copy it or customize the installation.'
complete -c adcli -n __fish_use_subcommand -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command eval' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command eval' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command eval' -l strict -d 'Exit 1 if a value or gradient is nan or inf.'
complete -c adcli -n '__adcli_command eval' -l each -r -F -d 'Newline-delimited JSON, one object of variable values per line ('"'"'-'"'"': stdin); prints one JSON result per line.'
complete -c adcli -n '__adcli_command eval' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command eval' -l precision -x -a '0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Digits after the point in text output.'
complete -c adcli -n '__adcli_command eval' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command eval' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command eval' -l max-steps -x -d 'Stop (exit 1) after this many evaluated operations.'
complete -c adcli -n '__adcli_command eval' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command grad' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command grad' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command grad' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all).'
complete -c adcli -n '__adcli_command grad' -l mode -x -a 'reverse forward' -d 'reverse: one backward pass per element of f; forward: one forward pass per element of the variables.'
complete -c adcli -n '__adcli_command grad' -l strict -d 'Exit 1 if a value or gradient is nan or inf.'
complete -c adcli -n '__adcli_command grad' -l each -r -F -d 'Newline-delimited JSON, one object of variable values per line ('"'"'-'"'"': stdin); prints one JSON result per line.'
complete -c adcli -n '__adcli_command grad' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command grad' -l precision -x -a '0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Digits after the point in text output.'
complete -c adcli -n '__adcli_command grad' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command grad' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command grad' -l max-steps -x -d 'Stop (exit 1) after this many evaluated operations.'
complete -c adcli -n '__adcli_command grad' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command functions' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command functions' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command graph' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command graph' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command graph' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all).'
complete -c adcli -n '__adcli_command graph' -l format -x -a 'tree dot mermaid json' -d 'tree (terminal), dot (Graphviz), mermaid or json.'
complete -c adcli -n '__adcli_command graph' -l output -s o -r -F -d 'Write to a file: .svg/.png/.pdf are drawn by Graphviz'"'"'s `dot`; .dot/.mmd/.json are written as text.'
complete -c adcli -n '__adcli_command graph' -l strict -d 'Exit 1 if a value or gradient is nan or inf.'
complete -c adcli -n '__adcli_command graph' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command graph' -l precision -x -a '0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Digits after the point in text output.'
complete -c adcli -n '__adcli_command graph' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command graph' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command graph' -l max-steps -x -d 'Stop (exit 1) after this many evaluated operations.'
complete -c adcli -n '__adcli_command graph' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command trace' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command trace' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command trace' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all).'
complete -c adcli -n '__adcli_command trace' -l strict -d 'Exit 1 if a value or gradient is nan or inf.'
complete -c adcli -n '__adcli_command trace' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command trace' -l precision -x -a '0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Digits after the point in text output.'
complete -c adcli -n '__adcli_command trace' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command trace' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command trace' -l max-steps -x -d 'Stop (exit 1) after this many evaluated operations.'
complete -c adcli -n '__adcli_command trace' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command jacobian' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command jacobian' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command jacobian' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all).'
complete -c adcli -n '__adcli_command jacobian' -l mode -x -a 'reverse forward' -d 'reverse: one backward pass per element of f; forward: one forward pass per element of the variables.'
complete -c adcli -n '__adcli_command jacobian' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command jacobian' -l precision -x -a '0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Digits after the point in text output.'
complete -c adcli -n '__adcli_command jacobian' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command jacobian' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command jacobian' -l max-steps -x -d 'Stop (exit 1) after this many evaluated operations.'
complete -c adcli -n '__adcli_command jacobian' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command hessian' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command hessian' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command hessian' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all).'
complete -c adcli -n '__adcli_command hessian' -l mode -x -a 'reverse forward' -d 'forward: forward-over-reverse, one forward pass per input element through the recorded gradient (JAX'"'"'s choice); reverse: reverse-over-reverse, one backward pass per input element.'
complete -c adcli -n '__adcli_command hessian' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command hessian' -l precision -x -a '0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Digits after the point in text output.'
complete -c adcli -n '__adcli_command hessian' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command hessian' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command hessian' -l max-steps -x -d 'Stop (exit 1) after this many evaluated operations.'
complete -c adcli -n '__adcli_command hessian' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command compare' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command compare' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command compare' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all).'
complete -c adcli -n '__adcli_command compare' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command compare' -l precision -x -a '0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Digits after the point in text output.'
complete -c adcli -n '__adcli_command compare' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command compare' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command compare' -l max-steps -x -d 'Stop (exit 1) after this many evaluated operations.'
complete -c adcli -n '__adcli_command compare' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command check' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command check' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command check' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all).'
complete -c adcli -n '__adcli_command check' -l mode -x -a 'reverse forward' -d 'reverse: one backward pass per element of f; forward: one forward pass per element of the variables.'
complete -c adcli -n '__adcli_command check' -l rtol -x -d 'Relative tolerance (default 1e-3 in float64, 1e-2 in float32).'
complete -c adcli -n '__adcli_command check' -l atol -x -d 'Absolute tolerance (default 1e-5 in float64, 1e-3 in float32).'
complete -c adcli -n '__adcli_command check' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command check' -l precision -x -a '0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Digits after the point in text output.'
complete -c adcli -n '__adcli_command check' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command check' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command check' -l max-steps -x -d 'Stop (exit 1) after this many evaluated operations.'
complete -c adcli -n '__adcli_command check' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n __adcli_wants_formula -a '(__adcli_formula)'
