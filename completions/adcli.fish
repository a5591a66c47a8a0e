# Tab completion of adcli for fish. Written by scripts/gen_completions.py from adcli's commands
# and the registry of functions: do not edit (`adcli --show-completion fish` prints it too).

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
            if not string match -q -- '*=*' $word; and contains -- $word --at --file -f --each --dtype --precision --seed --max-steps --timeout --wrt --mode --order --tangent --cotangent --format --output -o --depth --rtol --atol -n --width --height
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
    contains -- "$__adcli_command" eval grad graph trace jacobian hessian compare check diff plot
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

set -g __adcli_names 'exp(' 'log(' 'log2(' 'log10(' 'log1p(' 'expm1(' 'sqrt(' 'sin(' 'cos(' 'tan(' 'asin(' 'acos(' 'atan(' 'sinh(' 'cosh(' 'tanh(' 'abs(' 'sign(' 'relu(' 'sigmoid(' 'softplus(' 'detach(' 'where(' 'maximum(' 'minimum(' 'clip(' 'dot(' 'outer(' 'matmul(' 'transpose(' 'size(' 'sum(' 'mean(' 'prod(' 'max(' 'min(' 'norm(' 'logsumexp(' 'softmax(' 'arange(' 'linspace(' 'zeros(' 'ones(' 'randn(' 'rand(' 'pow(' 'cbrt(' 'square(' 'reciprocal(' 'exp2(' 'asinh(' 'acosh(' 'atanh(' 'sec(' 'csc(' 'cot(' 'sinc(' 'hypot(' 'atan2(' 'logaddexp(' 'floor(' 'ceil(' 'round(' 'mod(' 'erf(' 'erfc(' 'lgamma(' 'digamma(' 'polygamma(' 'reshape(' 'flatten(' 'concat(' 'stack(' 'roll(' 'flip(' 'sort(' 'var(' 'std(' 'cumsum(' 'cumprod(' 'trace(' 'diag(' 'tril(' 'triu(' 'det(' 'inv(' 'solve(' 'cross(' 'kron(' 'einsum(' 'tensordot(' 'ln(' 'stop_gradient(' pi e inf nan 'π' '∞' and not or 'π'
set -g __adcli_help 'exp(x): e to the x' 'log(x): natural logarithm' 'log2(x): base-2 logarithm' 'log10(x): base-10 logarithm' 'log1p(x): log(1 + x), accurate near 0' 'expm1(x): exp(x) - 1, accurate near 0' 'sqrt(x): square root' 'sin(x): sine' 'cos(x): cosine' 'tan(x): tangent' 'asin(x): inverse sine' 'acos(x): inverse cosine' 'atan(x): inverse tangent' 'sinh(x): hyperbolic sine' 'cosh(x): hyperbolic cosine' 'tanh(x): hyperbolic tangent' 'abs(x): absolute value' 'sign(x): -1, 0 or 1' 'relu(x): max(x, 0)' 'sigmoid(x): 1/(1+exp(-x))' 'softplus(x): log(1+exp(x)); x itself above 20 (torch)' 'detach(x): x as a constant (torch'"'"'s detach)' 'where(cond, a, b): a where cond holds, else b' 'maximum(a, b): element-wise larger of a and b' 'minimum(a, b): element-wise smaller of a and b' 'clip(x, lo, hi): x limited to [lo, hi] (torch'"'"'s clamp)' 'dot(u, v): dot product of two vectors (also u·v)' 'outer(u, v): outer product u vᵀ of two vectors' 'matmul(A, B): matrix product a @ b (numpy'"'"'s rules)' 'transpose(x): reverse the axes (a matrix'"'"'s transpose)' 'size(x, axis=…): the number of elements (along axis)' 'sum(x, axis=…): sum of the elements (along axis)' 'mean(x, axis=…): mean of the elements (along axis)' 'prod(x, axis=…): product of the elements (along axis)' 'max(x, axis=…) or max(a, b): largest element (along axis); of two arrays, element-wise' 'min(x, axis=…) or min(a, b): smallest element (along axis); of two arrays, element-wise' 'norm(x, axis=…): Euclidean length sqrt(sum(x²))' 'logsumexp(x, axis=…): log(sum(exp(x))) without overflow' 'softmax(x, axis=…): exp(x)/sum(exp(x)) along axis (last)' 'arange(start, stop?, step?): start, start+step, … below stop' 'linspace(start, stop, num): num points evenly from start to stop' 'zeros(n, m?, …): an array of zeros of the given sizes' 'ones(n, m?, …): an array of ones of the given sizes' 'randn(n, m?, …): standard normal draws of the given sizes (see --seed)' 'rand(n, m?, …): uniform draws in [0, 1) of the given sizes (see --seed)' 'pow(u, v): u to the power v (the same as u ^ v)' 'cbrt(x): cube root, real for negative x too' 'square(x): x²' 'reciprocal(x): 1/x' 'exp2(x): 2 to the x' 'asinh(x): inverse hyperbolic sine' 'acosh(x): inverse hyperbolic cosine' 'atanh(x): inverse hyperbolic tangent' 'sec(x): secant, 1/cos(x)' 'csc(x): cosecant, 1/sin(x)' 'cot(x): cotangent, 1/tan(x)' 'sinc(x): sin(πx)/(πx), 1 at 0; as torch, sinc(1) = 3.9e-17, not 0' 'hypot(a, b): sqrt(a² + b²) without overflow' 'atan2(y, x): the angle of the point (x, y), in (-π, π]' 'logaddexp(a, b): log(exp(a) + exp(b)) without overflow' 'floor(x): the largest whole number <= x' 'ceil(x): the smallest whole number >= x' 'round(x): the nearest whole number, halves to even (as torch: round(0.5) = 0)' 'mod(a, b): a - b·floor(a/b): the remainder, with b'"'"'s sign (Python'"'"'s %, torch'"'"'s remainder)' 'erf(x): the error function' 'erfc(x): 1 - erf(x), accurate where erf(x) is near 1' 'lgamma(x): log|Γ(x)|, the log of the gamma function'"'"'s size' 'digamma(x): Γ'"'"'(x)/Γ(x), the derivative of lgamma' 'polygamma(n, x): the n-th derivative of digamma (n = 0: digamma itself)' 'reshape(x, shape): the same elements in a new shape (-1: the size that fits)' 'flatten(x): the elements as one vector, row by row (a 0-d value becomes 1 element)' 'concat(a, b, …, axis=0): arrays joined end to end along an existing axis (torch'"'"'s cat)' 'stack(a, b, …, axis=0): arrays of one shape stacked along a new axis (also [a, b, …])' 'roll(x, shifts, axis=…): elements shifted along axes, wrapping around (without axis: the flattened array)' 'flip(x, axis=…): the order of elements reversed along axes (all, without axis)' 'sort(x, axis=-1): the elements in increasing order along an axis (the last), nan last' 'var(x, axis=…, correction=1): variance, divided by n - correction (torch'"'"'s: correction=1)' 'std(x, axis=…, correction=1): standard deviation, sqrt(var(x))' 'cumsum(x, axis=…): running sums along an axis' 'cumprod(x, axis=…): running products along an axis' 'trace(A): sum of a matrix'"'"'s diagonal' 'diag(x, diagonal=0): a vector onto a matrix'"'"'s diagonal, or a matrix'"'"'s diagonal as a vector (torch'"'"'s diag)' 'tril(x, diagonal=0): the matrix with zeros above the diagonal (diagonal=k: the k-th)' 'triu(x, diagonal=0): the matrix with zeros below the diagonal (diagonal=k: the k-th)' 'det(A): determinant of a square matrix (of each, for a stack)' 'inv(A): inverse of a square matrix (of each, for a stack)' 'solve(A, b): x with A x = b (b a vector or a matrix of right-hand sides)' 'cross(u, v, axis=-1): cross product of 3-vectors (along the last axis)' 'kron(a, b): Kronecker product: each element of a times the whole of b' 'einsum('"'"'ij,jk->ik'"'"', a, b, …): sums of products over named axes: einsum('"'"'ij,jk->ik'"'"', A, B) is A @ B' 'tensordot(a, b, axes=2): sum over the last `axes` axes of a and the first of b (or two lists of axes)' 'ln(x): same as log' 'stop_gradient(x): same as detach' constant constant constant constant constant constant keyword keyword keyword keyword

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

complete -c adcli -n __fish_use_subcommand -a eval -d 'The value of a formula (or a program) at a point.'
complete -c adcli -n __fish_use_subcommand -a grad -d 'The value and the gradient. A non-scalar output is contracted with ones (or with --cotangent g: gᵀJ); --tangent v gives J·v instead.'
complete -c adcli -n __fish_use_subcommand -a functions -d 'Every built-in function and operator, with its derivative rule.'
complete -c adcli -n __fish_use_subcommand -a graph -d 'The computational graph after the forward and backward pass: each node'"'"'s op, source text, shape, value and gradient.'
complete -c adcli -n __fish_use_subcommand -a trace -d 'The tape step by step: the forward pass, then the backward pass with each local derivative and what it sends to each input.'
complete -c adcli -n __fish_use_subcommand -a jacobian -d 'The Jacobian: per variable, a row per element of f, a column per element of the variable.'
complete -c adcli -n __fish_use_subcommand -a hessian -d 'The Hessian of a formula whose value is one number: ∂²f/∂a∂b for each pair of variables.'
complete -c adcli -n __fish_use_subcommand -a compare -d 'Forward and reverse mode side by side: passes, operations, tape, time, and which wins; beside them the symbolic derivative'"'"'s size and central differences'"'"' error.'
complete -c adcli -n __fish_use_subcommand -a check -d 'The automatic derivative against central finite differences, like torch'"'"'s gradcheck.'
complete -c adcli -n __fish_use_subcommand -a diff -d 'The derivative as a formula in adcli'"'"'s own language, derived by the rules adcli differentiates with, simplified. With --at, also its values there (a program needs --at: its derivative is that of the path it ran).'
complete -c adcli -n __fish_use_subcommand -a repl -d 'An interactive session: names persist and every command works on them.'
complete -c adcli -n __fish_use_subcommand -a plot -d 'Draw f and its derivative f′ (f″, … with --order) along one variable: --at x=-2..2 (a range without a count is its whole interval, ends included, in 400 steps; -2..2:50 takes those 50 points). With several variables, --wrt names the one on the x axis and --at holds the others.'
complete -c adcli -n __fish_use_subcommand -l version -s V -d 'Print the version and exit.'
complete -c adcli -n __fish_use_subcommand -l install-completion -d 'Install completion for the current shell.'
complete -c adcli -n __fish_use_subcommand -l show-completion -d 'Show completion for the current shell, to copy it or customize the installation.'
complete -c adcli -n __fish_use_subcommand -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command eval' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command eval' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command eval' -l table -d 'One row per point: the variables, f, f′ (and f″, … with --order).'
complete -c adcli -n '__adcli_command eval' -l csv -d 'The same rows as --table, as CSV on stdout (every digit).'
complete -c adcli -n '__adcli_command eval' -l strict -d 'Exit 1 if a value or gradient is nan or inf.'
complete -c adcli -n '__adcli_command eval' -l explain -d 'Where a value or gradient is nan or inf: show where each kind first appeared in each pass (by default, the first of each pass).'
complete -c adcli -n '__adcli_command eval' -l each -r -F -d 'Many points: newline-delimited JSON, one object of variable values per line, or CSV whose header names the variables ('"'"'-'"'"': stdin); prints one JSON result per line.'
complete -c adcli -n '__adcli_command eval' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command eval' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command eval' -l full -d 'Print whole vectors and matrices (long ones are shortened with ... by default).'
complete -c adcli -n '__adcli_command eval' -l exact -d 'Print every number as the shortest text that reads back to the same float (Python'"'"'s repr): all its digits, -0.0 included.'
complete -c adcli -n '__adcli_command eval' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command eval' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command eval' -l max-steps -x -d 'Stop (exit 1) after this many steps: evaluated operations, statements and loop iterations.'
complete -c adcli -n '__adcli_command eval' -l timeout -x -d 'Stop (exit 1) after this many seconds (per line with --each; 0: no limit). Default: 10 for a program (-f), none for a formula, whose size and work are limited before it starts.'
complete -c adcli -n '__adcli_command eval' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command eval' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command grad' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command grad' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command grad' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all); --wrt x,y or --wrt x --wrt y.'
complete -c adcli -n '__adcli_command grad' -l mode -x -a 'reverse forward' -d 'reverse: one backward pass per element of f; forward: one forward pass per element of the variables.'
complete -c adcli -n '__adcli_command grad' -l order -x -d 'The N-th derivative at each point (f″ for 2) of a formula element-wise in the variable: f[i] a function of x[i] alone.'
complete -c adcli -n '__adcli_command grad' -l tangent -x -a '(__adcli_at tangent)' -d 'J·v, the derivative along v, by forward mode: --tangent x=[1,0,0] (one per differentiated variable; one number stands for all elements).'
complete -c adcli -n '__adcli_command grad' -l cotangent -x -d 'gᵀJ, the gradient of g·f, by reverse mode: --cotangent [1,0] (shaped like f; the default is ones, like torch'"'"'s f.backward(ones_like(f))).'
complete -c adcli -n '__adcli_command grad' -l table -d 'One row per point: the variables, f, f′ (and f″, … with --order).'
complete -c adcli -n '__adcli_command grad' -l csv -d 'The same rows as --table, as CSV on stdout (every digit).'
complete -c adcli -n '__adcli_command grad' -l strict -d 'Exit 1 if a value or gradient is nan or inf.'
complete -c adcli -n '__adcli_command grad' -l explain -d 'Where a value or gradient is nan or inf: show where each kind first appeared in each pass (by default, the first of each pass).'
complete -c adcli -n '__adcli_command grad' -l each -r -F -d 'Many points: newline-delimited JSON, one object of variable values per line, or CSV whose header names the variables ('"'"'-'"'"': stdin); prints one JSON result per line.'
complete -c adcli -n '__adcli_command grad' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command grad' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command grad' -l full -d 'Print whole vectors and matrices (long ones are shortened with ... by default).'
complete -c adcli -n '__adcli_command grad' -l exact -d 'Print every number as the shortest text that reads back to the same float (Python'"'"'s repr): all its digits, -0.0 included.'
complete -c adcli -n '__adcli_command grad' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command grad' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command grad' -l max-steps -x -d 'Stop (exit 1) after this many steps: evaluated operations, statements and loop iterations.'
complete -c adcli -n '__adcli_command grad' -l timeout -x -d 'Stop (exit 1) after this many seconds (per line with --each; 0: no limit). Default: 10 for a program (-f), none for a formula, whose size and work are limited before it starts.'
complete -c adcli -n '__adcli_command grad' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command grad' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command functions' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command functions' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command functions' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command graph' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command graph' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command graph' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all); --wrt x,y or --wrt x --wrt y.'
complete -c adcli -n '__adcli_command graph' -l format -x -a 'tree dot mermaid json' -d 'tree (terminal), dot (Graphviz), mermaid or json.'
complete -c adcli -n '__adcli_command graph' -l output -s o -r -F -d 'Write to a file: .svg/.png/.pdf are drawn by Graphviz'"'"'s `dot`; .dot/.mmd/.json are written as text.'
complete -c adcli -n '__adcli_command graph' -l strict -d 'Exit 1 if a value or gradient is nan or inf.'
complete -c adcli -n '__adcli_command graph' -l explain -d 'Where a value or gradient is nan or inf: show where each kind first appeared in each pass (by default, the first of each pass).'
complete -c adcli -n '__adcli_command graph' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command graph' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command graph' -l full -d 'Print whole vectors and matrices (long ones are shortened with ... by default).'
complete -c adcli -n '__adcli_command graph' -l exact -d 'Print every number as the shortest text that reads back to the same float (Python'"'"'s repr): all its digits, -0.0 included.'
complete -c adcli -n '__adcli_command graph' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command graph' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command graph' -l max-steps -x -d 'Stop (exit 1) after this many steps: evaluated operations, statements and loop iterations.'
complete -c adcli -n '__adcli_command graph' -l timeout -x -d 'Stop (exit 1) after this many seconds (per line with --each; 0: no limit). Default: 10 for a program (-f), none for a formula, whose size and work are limited before it starts.'
complete -c adcli -n '__adcli_command graph' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command graph' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command trace' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command trace' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command trace' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all); --wrt x,y or --wrt x --wrt y.'
complete -c adcli -n '__adcli_command trace' -l strict -d 'Exit 1 if a value or gradient is nan or inf.'
complete -c adcli -n '__adcli_command trace' -l explain -d 'Where a value or gradient is nan or inf: show where each kind first appeared in each pass (by default, the first of each pass).'
complete -c adcli -n '__adcli_command trace' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command trace' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command trace' -l full -d 'Print whole vectors and matrices (long ones are shortened with ... by default).'
complete -c adcli -n '__adcli_command trace' -l exact -d 'Print every number as the shortest text that reads back to the same float (Python'"'"'s repr): all its digits, -0.0 included.'
complete -c adcli -n '__adcli_command trace' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command trace' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command trace' -l max-steps -x -d 'Stop (exit 1) after this many steps: evaluated operations, statements and loop iterations.'
complete -c adcli -n '__adcli_command trace' -l timeout -x -d 'Stop (exit 1) after this many seconds (per line with --each; 0: no limit). Default: 10 for a program (-f), none for a formula, whose size and work are limited before it starts.'
complete -c adcli -n '__adcli_command trace' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command trace' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command jacobian' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command jacobian' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command jacobian' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all); --wrt x,y or --wrt x --wrt y.'
complete -c adcli -n '__adcli_command jacobian' -l mode -x -a 'reverse forward' -d 'reverse: one backward pass per element of f; forward: one forward pass per element of the variables.'
complete -c adcli -n '__adcli_command jacobian' -l tangent -x -a '(__adcli_at tangent)' -d 'J·v, the derivative along v, by forward mode: --tangent x=[1,0,0] (one per differentiated variable; one number stands for all elements).'
complete -c adcli -n '__adcli_command jacobian' -l cotangent -x -d 'gᵀJ, the gradient of g·f, by reverse mode: --cotangent [1,0] (shaped like f; the default is ones, like torch'"'"'s f.backward(ones_like(f))).'
complete -c adcli -n '__adcli_command jacobian' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command jacobian' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command jacobian' -l full -d 'Print whole vectors and matrices (long ones are shortened with ... by default).'
complete -c adcli -n '__adcli_command jacobian' -l exact -d 'Print every number as the shortest text that reads back to the same float (Python'"'"'s repr): all its digits, -0.0 included.'
complete -c adcli -n '__adcli_command jacobian' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command jacobian' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command jacobian' -l max-steps -x -d 'Stop (exit 1) after this many steps: evaluated operations, statements and loop iterations.'
complete -c adcli -n '__adcli_command jacobian' -l timeout -x -d 'Stop (exit 1) after this many seconds (per line with --each; 0: no limit). Default: 10 for a program (-f), none for a formula, whose size and work are limited before it starts.'
complete -c adcli -n '__adcli_command jacobian' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command jacobian' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command hessian' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command hessian' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command hessian' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all); --wrt x,y or --wrt x --wrt y.'
complete -c adcli -n '__adcli_command hessian' -l mode -x -a 'reverse forward' -d 'forward: forward-over-reverse, one forward pass per input element through the recorded gradient (JAX'"'"'s choice); reverse: reverse-over-reverse, one backward pass per input element.'
complete -c adcli -n '__adcli_command hessian' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command hessian' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command hessian' -l full -d 'Print whole vectors and matrices (long ones are shortened with ... by default).'
complete -c adcli -n '__adcli_command hessian' -l exact -d 'Print every number as the shortest text that reads back to the same float (Python'"'"'s repr): all its digits, -0.0 included.'
complete -c adcli -n '__adcli_command hessian' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command hessian' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command hessian' -l max-steps -x -d 'Stop (exit 1) after this many steps: evaluated operations, statements and loop iterations.'
complete -c adcli -n '__adcli_command hessian' -l timeout -x -d 'Stop (exit 1) after this many seconds (per line with --each; 0: no limit). Default: 10 for a program (-f), none for a formula, whose size and work are limited before it starts.'
complete -c adcli -n '__adcli_command hessian' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command hessian' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command compare' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command compare' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command compare' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all); --wrt x,y or --wrt x --wrt y.'
complete -c adcli -n '__adcli_command compare' -l depth -x -d 'Instead of a formula: sin(sin(…sin(x)…)) nested up to this deep, and how its symbolic derivative swells against reverse mode'"'"'s tape.'
complete -c adcli -n '__adcli_command compare' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command compare' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command compare' -l full -d 'Print whole vectors and matrices (long ones are shortened with ... by default).'
complete -c adcli -n '__adcli_command compare' -l exact -d 'Print every number as the shortest text that reads back to the same float (Python'"'"'s repr): all its digits, -0.0 included.'
complete -c adcli -n '__adcli_command compare' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command compare' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command compare' -l max-steps -x -d 'Stop (exit 1) after this many steps: evaluated operations, statements and loop iterations.'
complete -c adcli -n '__adcli_command compare' -l timeout -x -d 'Stop (exit 1) after this many seconds (per line with --each; 0: no limit). Default: 10 for a program (-f), none for a formula, whose size and work are limited before it starts.'
complete -c adcli -n '__adcli_command compare' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command compare' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command check' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command check' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command check' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all); --wrt x,y or --wrt x --wrt y.'
complete -c adcli -n '__adcli_command check' -l mode -x -a 'reverse forward' -d 'reverse: one backward pass per element of f; forward: one forward pass per element of the variables.'
complete -c adcli -n '__adcli_command check' -l rtol -x -d 'Relative tolerance (default 1e-3 in float64, 1e-2 in float32).'
complete -c adcli -n '__adcli_command check' -l atol -x -d 'Absolute tolerance (default 1e-5 in float64, 1e-3 in float32).'
complete -c adcli -n '__adcli_command check' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command check' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command check' -l full -d 'Print whole vectors and matrices (long ones are shortened with ... by default).'
complete -c adcli -n '__adcli_command check' -l exact -d 'Print every number as the shortest text that reads back to the same float (Python'"'"'s repr): all its digits, -0.0 included.'
complete -c adcli -n '__adcli_command check' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command check' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command check' -l max-steps -x -d 'Stop (exit 1) after this many steps: evaluated operations, statements and loop iterations.'
complete -c adcli -n '__adcli_command check' -l timeout -x -d 'Stop (exit 1) after this many seconds (per line with --each; 0: no limit). Default: 10 for a program (-f), none for a formula, whose size and work are limited before it starts.'
complete -c adcli -n '__adcli_command check' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command check' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command diff' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command diff' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command diff' -l wrt -x -a '(__adcli_wrt)' -d 'Differentiate with respect to these variables only (default: all); --wrt x,y or --wrt x --wrt y.'
complete -c adcli -n '__adcli_command diff' -l order -s n -x -d 'Differentiate N times (for several variables: every partial of order N, the Hessian'"'"'s entries for 2).'
complete -c adcli -n '__adcli_command diff' -l steps -d 'Show the derivation rule by rule.'
complete -c adcli -n '__adcli_command diff' -l latex -d 'Write the derivative in LaTeX.'
complete -c adcli -n '__adcli_command diff' -l plain -d 'Only the formula, one line per derivative, to feed back: adcli eval "$(adcli diff f --plain)" --at …'
complete -c adcli -n '__adcli_command diff' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command diff' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command diff' -l full -d 'Print whole vectors and matrices (long ones are shortened with ... by default).'
complete -c adcli -n '__adcli_command diff' -l exact -d 'Print every number as the shortest text that reads back to the same float (Python'"'"'s repr): all its digits, -0.0 included.'
complete -c adcli -n '__adcli_command diff' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command diff' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command diff' -l max-steps -x -d 'Stop (exit 1) after this many steps: evaluated operations, statements and loop iterations.'
complete -c adcli -n '__adcli_command diff' -l timeout -x -d 'Stop (exit 1) after this many seconds (per line with --each; 0: no limit). Default: 10 for a program (-f), none for a formula, whose size and work are limited before it starts.'
complete -c adcli -n '__adcli_command diff' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command diff' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command repl' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command repl' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command repl' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command repl' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command repl' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n '__adcli_command plot' -l at -x -a '(__adcli_at)' -d 'A variable'"'"'s value: --at x=[1,2,3], --at A=[[1,2],[3,4]], --at t=linspace(0,1,11), --at 0..5 (formula with one variable), or --at - (a JSON object on stdin). Repeatable.'
complete -c adcli -n '__adcli_command plot' -l file -s f -r -F -d 'Run a program from FILE ('"'"'-'"'"' reads standard input) instead of EXPRESSION.'
complete -c adcli -n '__adcli_command plot' -l wrt -x -a '(__adcli_wrt)' -d 'The variable on the x axis (default: the only one, or the only one given several values); --at holds the others.'
complete -c adcli -n '__adcli_command plot' -l order -x -d 'Draw f and its derivatives up to the N-th (1: f and f′; 0: f alone).'
complete -c adcli -n '__adcli_command plot' -l width -x -d 'Columns of the plot, its axis labels included (default: the terminal'"'"'s).'
complete -c adcli -n '__adcli_command plot' -l height -x -d 'Rows of the plot'"'"'s canvas (default: about a quarter of its width).'
complete -c adcli -n '__adcli_command plot' -l output -s o -r -F -d 'Write the plot to a picture instead: .svg, .png or .pdf (drawn by matplotlib).'
complete -c adcli -n '__adcli_command plot' -l table -d 'One row per point: the variables, f, f′ (and f″, … with --order).'
complete -c adcli -n '__adcli_command plot' -l csv -d 'The same rows as --table, as CSV on stdout (every digit).'
complete -c adcli -n '__adcli_command plot' -l dtype -x -a 'float64 float32' -d 'float64, or float32 (PyTorch'"'"'s default).'
complete -c adcli -n '__adcli_command plot' -l precision -x -a '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17' -d 'Significant digits of numbers in text output (never more than the shortest text that reads back to the same number); by default numbers look as torch prints them, four digits after the point.'
complete -c adcli -n '__adcli_command plot' -l full -d 'Print whole vectors and matrices (long ones are shortened with ... by default).'
complete -c adcli -n '__adcli_command plot' -l exact -d 'Print every number as the shortest text that reads back to the same float (Python'"'"'s repr): all its digits, -0.0 included.'
complete -c adcli -n '__adcli_command plot' -l json -d 'One JSON object on stdout (errors: JSON on stderr).'
complete -c adcli -n '__adcli_command plot' -l seed -x -d 'Seed for randn/rand, so the draws repeat.'
complete -c adcli -n '__adcli_command plot' -l max-steps -x -d 'Stop (exit 1) after this many steps: evaluated operations, statements and loop iterations.'
complete -c adcli -n '__adcli_command plot' -l timeout -x -d 'Stop (exit 1) after this many seconds (per line with --each; 0: no limit). Default: 10 for a program (-f), none for a formula, whose size and work are limited before it starts.'
complete -c adcli -n '__adcli_command plot' -l no-color -d 'No colour in text output (as NO_COLOR=1 does).'
complete -c adcli -n '__adcli_command plot' -l help -s h -d 'Show the help and exit.'
complete -c adcli -n __adcli_wants_formula -a '(__adcli_formula)'
