"""Issue 9: every input that used to reach "internal error" (exit 3), and every runaway, ends in
exit 1 or 2 with one clear message, quickly and in bounded memory. Each reproducer of the
issue is a row here, run through the real command line (in-process), text and --json alike."""

from __future__ import annotations

import json

import pytest

SIXTY_FIVE = ", ".join(["1"] * 65)


# args, exit code, error kind, words of the message
REFUSED = [
    (["eval", "ones(nan)"], 1, "shape", "ones: sizes must be whole numbers >= 0, not nan"),
    (["eval", "ones(inf)"], 1, "shape", "ones: sizes must be whole numbers >= 0, not inf"),
    (["eval", "zeros(-1)"], 1, "shape", "zeros: sizes must be whole numbers >= 0, not -1"),
    (["eval", "randn(2.5)"], 1, "shape", "randn: sizes must be whole numbers >= 0, not 2.5"),
    (["eval", "zeros(0,1e10,1e10)"], 1, "size-limit",
     "the sizes besides the 0 multiply to 1e+20; the limit is 100,000,000"),
    (["eval", "ones(0,1e300)"], 1, "size-limit", "the sizes besides the 0 multiply to 1e+300"),
    (["eval", f"ones({SIXTY_FIVE})"], 1, "size-limit",
     "65 sizes, but an array has at most 32 dimensions"),
    (["eval", "sum([1],axis=1e19)"], 1, "axis",
     "axis 10000000000000000000 is out of range for a 1-d value (axes -1 to 0)"),
    (["eval", "arange(0,1,1e-300)"], 1, "size-limit", "would have 1e+300 elements"),
    (["eval", "linspace(0,1,nan)"], 1, "shape", "the number of points must be a whole number"),
    (["eval", "-1e308..1e308"], 1, "size-limit", "would have inf elements"),
    (["eval", "-1e308..=1e308"], 1, "size-limit", "would have inf elements"),
    (["grad", "sum(x,axis=1)", "--at", "x=2"], 1, "axis",
     "axis 1 is out of range for a 0-d value (it has the axes -1 and 0, as in torch)"),
    (["eval", "randn(2)", "--seed", "-1"], 2, "usage", "-1 is not in the range x>=0"),
    (["eval", "x", "--at", "x=inf", "--strict"], 1, "non-finite",
     "--strict: the value of `x` given with --at holds nan or inf"),
    (["graph", "x", "--at", "x=nan", "--strict"], 1, "non-finite",
     "the value of `x` given with --at holds nan or inf"),
]


@pytest.mark.parametrize("args, code, kind, words", REFUSED)
def test_refused_with_one_clear_message(adcli, args, code, kind, words):
    run = adcli(*args, "--json")
    assert (run.code, run.out) == (code, "")
    error = run.error()
    assert error["kind"] == kind and words in error["message"], error
    text = adcli(*args)
    shown = " ".join(text.err.split())  # (Rich wraps long lines at 120 columns)
    assert text.code == code and words in shown and "internal error" not in shown


@pytest.mark.parametrize("formula, value", [
    ("1e100..2", []),  # empty, as numpy's arange (numpy itself failed on it)
    ("arange(0,1,-1e-300)", []),
    ("5..2", []),
    ("prod([1e200,1e200])", "inf"),
    ("linspace(-1e308, 1e308, 3)", ["nan", "inf", 1e308]),
])
def test_edge_ranges_and_overflows_are_values(adcli, formula, value):
    run = adcli("eval", formula, "--json")
    assert run.code == 0, run.err
    assert run.json()["value"] == value


@pytest.mark.parametrize("formula", ["prod(x)", "dot(x,x)", "norm(x)", "x@x", "sum(x*x)"])
@pytest.mark.parametrize("command", ["eval", "grad", "graph", "trace"])
def test_overflow_of_a_reduction_is_a_finding_not_a_crash(adcli, command, formula):
    run = adcli(command, formula, "--at", "x=[1e200,1e200]", "--json")
    assert run.code == 0, run.err
    assert run.json()["value"] == "inf"
    text = adcli(command, formula, "--at", "x=[1e200,1e200]")
    assert text.code == 0 and "inf first appears in the forward pass" in text.out


def test_graph_json_names_the_overflowing_reduction(adcli):
    document = adcli("graph", "prod(x)", "--at", "x=[1e200,1e200]", "--json").json()
    (forward, *_) = document["nonfinite"]
    assert (forward["kind"], forward["pass"], forward["text"]) == ("inf", "forward", "prod(x)")


def test_check_with_nan_numbers_is_a_failed_check_not_a_crash(adcli):
    run = adcli("check", "x^x", "--at", "x=0", "--json")
    assert run.code == 1 and run.err == ""  # a failed check is a result (README)
    worst = run.json()["worst"]
    assert (worst["automatic"], worst["numeric"], worst["relative_error"]) == (0.0, "nan", "nan")
    run = adcli("check", "[inf, x]", "--at", "x=0", "--json")
    assert run.code == 1 and run.json()["failures"] == 1


def test_check_of_a_shape_that_follows_the_variable(adcli):
    # found by the fuzz: arange(1 + h) has two elements where arange(1) has one
    run = adcli("check", "arange(x)", "--at", "x=1", "--json")
    assert (run.code, run.out) == (1, "")
    error = run.error()
    assert error["kind"] == "shape"
    assert error["message"] == ("f has shape (1,) at the point but (2,) where `x` is "
                                "1.0000060554544523: its shape follows x's value, so finite "
                                "differences cannot check it")


def test_an_infinite_tolerance_is_written_as_json_says(adcli):
    run = adcli("check", "x*x", "--at", "x=1", "--atol", "inf", "--json")
    assert run.code == 0
    document = run.json()
    assert (document["atol"], document["passed"]) == ("inf", True)


# -- --at - ----------------------------------------------------------------------------------


def test_a_five_thousand_digit_integer_is_a_float(adcli):
    run = adcli("eval", "x", "--at", "-", "--json", stdin='{"x": ' + "1" * 5000 + "}")
    assert run.code == 0, run.err
    assert run.json()["value"] == "inf"  # as JSON's 1e5000 is
    run = adcli("eval", "x", "--at", "-", "--json", stdin='{"x": [12345678901234567890]}')
    assert run.json()["value"] == [1.2345678901234567e19]


def test_a_list_nested_100000_deep_is_refused(adcli):
    deep = "[" * 100_000 + "]" * 100_000
    run = adcli("eval", "x", "--at", "-", "--json", stdin='{"x": ' + deep + "}")
    assert run.code == 2
    assert run.error()["message"] == ("--at - expects a JSON object on standard input: it nests "
                                      "too deeply (an array has at most 32 dimensions)")
    forty = "[" * 40 + "1" + "]" * 40
    run = adcli("eval", "x", "--at", "-", "--json", stdin='{"x": ' + forty + "}")
    assert run.code == 2 and run.error()["message"] == "the value of `x` nests more than 32 deep"


# -- sizes estimated before the work -----------------------------------------------------------


def test_a_broadcast_is_sized_before_it_is_computed(adcli):
    run = adcli("eval", "sum(x*transpose([x]))", "--at", "x=ones(2e4)", "--json")
    assert run.code == 1
    error = run.error()
    assert error["kind"] == "size-limit"
    assert error["message"] == ("in `x*transpose([x])`: `*` of shapes (20000,) and (20000, 1) "
                                "would have 4e+08 elements; the limit is 100,000,000")
    assert (error["start"], error["end"]) == (4, 20)


def test_a_function_that_broadcasts_is_sized_too(adcli, monkeypatch):
    monkeypatch.setenv("ADCLI_MAX_ELEMENTS", "1000")
    run = adcli("eval", "maximum(x, transpose([x]))", "--at", "x=ones(100)", "--json")
    assert run.code == 1
    assert "maximum of shapes (100,) and (100, 1) would have 1e+04 elements; the limit is " \
           "1,000" in run.error()["message"]


@pytest.mark.parametrize("formula", ["matmul([x], transpose([x]))", "[x] @ transpose([x])",
                                     "dot(x, x)", "sum(outer(x[0:3], x))"])
def test_products_are_not_sized_as_broadcasts(adcli, formula):
    # a 1×n row times an n×1 column is one number, whatever their broadcast would be
    run = adcli("eval", formula, "--at", "x=ones(2e4)", "--json")
    assert run.code == 0, run.err
    assert run.json()["value"] in (20000.0, [[20000.0]], 60000.0)


def test_a_literal_is_sized_before_it_is_built(adcli, monkeypatch):
    monkeypatch.setenv("ADCLI_MAX_ELEMENTS", "1000")
    run = adcli("eval", "[x, x]", "--at", "x=ones(600)", "--json")
    assert run.code == 1
    assert run.error()["message"] == ("in `[x, x]`: the literal of 2 items of shape (600,) would "
                                      "have 1200 elements; the limit is 1,000")
    assert adcli("eval", "[x, x]", "--at", "x=ones(500)", "--json").code == 0


def test_a_matrix_product_is_refused_by_its_multiply_adds(adcli):
    run = adcli("eval", "sum(A@A)", "--at", "A=ones(3000,3000)", "--json")
    assert run.code == 1
    error = run.error()
    assert error["kind"] == "size-limit"
    assert error["message"] == ("in `A@A`: the product of shapes (3000, 3000) and (3000, 3000) "
                                "takes 2.7e+10 multiply-adds; the limit is 2e+10")
    small = adcli("eval", "sum(A@A)", "--at", "A=ones(30,30)", "--json")
    assert small.code == 0 and small.json()["value"] == 27000.0


@pytest.mark.parametrize("args, words, hint", [
    (["grad", "sum(x*x)", "--at", "x=ones(1e6)", "--mode", "forward"],
     "the gradient by forward mode: 1,000,000 forward passes × ",
     "--mode reverse (the default) gets it from one backward pass"),
    (["jacobian", "sum(x*x)", "--at", "x=ones(1e5)", "--mode", "forward"],
     "the Jacobian by forward mode: 100,000 forward passes × ",
     "--mode reverse takes one backward pass per element of f (1 here)"),
    (["jacobian", "x*2", "--at", "x=ones(3e4)"], "the Jacobian by reverse mode: ",
     "try a smaller input, or --wrt fewer variables"),
    (["compare", "sum(x*x)", "--at", "x=ones(1e5)"],
     "the Jacobian by forward mode: 100,000 forward passes",
     "compare computes the whole Jacobian both ways: try a smaller input"),
    (["check", "sum(x*x)", "--at", "x=ones(1e5)"],
     "the finite differences: 100,000 pairs of evaluations of f × ",
     "check at a point with fewer elements, or --wrt fewer variables"),
    (["hessian", "prod(x)", "--at", "x=zeros(1e3)"],
     "the Hessian: 1,000 forward passes through the gradient × ",
     "try a smaller input, or --wrt fewer variables"),
    (["hessian", "prod(x)", "--at", "x=zeros(1e3)", "--mode", "reverse"],
     "the Hessian: 1,000 backward passes through the gradient × ",
     "try a smaller input, or --wrt fewer variables"),
])
def test_quadratic_work_is_refused_after_one_measured_pass(adcli, args, words, hint):
    run = adcli(*args, "--json")
    assert run.code == 1, run.err
    error = run.error()
    assert error["message"].startswith(words), error
    assert error["hint"] == hint
    assert error["kind"] in ("work-limit", "size-limit")


def test_hessian_of_prod_at_ten_thousand_zeros_is_refused_before_its_first_pass(adcli,
                                                                              monkeypatch):
    # recording the gradient measured what each of the 10,000 passes through it costs
    run = adcli("hessian", "prod(x)", "--at", "x=zeros(1e4)", "--json")
    assert run.code == 1
    assert run.error()["message"].startswith(
        "the Hessian: 10,000 forward passes through the gradient × ")
    # and with the work allowed, the first pass's 10⁴ × 10⁴ arrays are refused before numpy
    monkeypatch.setenv("ADCLI_MAX_WORK", "1e15")
    run = adcli("hessian", "prod(x)", "--at", "x=zeros(1e4)", "--json")
    assert run.code == 1
    assert run.error()["message"] == (
        "the Hessian: a second derivative of prod at a zero works on 10,000 × 10,000 arrays, "
        "five at a time; the limit is 100,000,000 elements")


def test_the_work_limit_can_be_raised(adcli, monkeypatch):
    args = ("jacobian", "x*x", "--at", "x=ones(300)", "--mode", "forward", "--json")
    monkeypatch.setenv("ADCLI_MAX_WORK", "1e5")
    assert adcli(*args).error()["kind"] == "work-limit"
    monkeypatch.setenv("ADCLI_MAX_WORK", "1e9")
    run = adcli(*args)
    assert run.code == 0 and run.json()["jacobian"]["x"][299][299] == 2.0


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "nan"])
def test_a_bad_limit_in_the_environment_is_an_input_error(adcli, monkeypatch, value):
    monkeypatch.setenv("ADCLI_MAX_ELEMENTS", value)
    run = adcli("eval", "1+1", "--json")
    assert run.code == 2
    assert run.error()["message"] == (f"ADCLI_MAX_ELEMENTS={value!r}: expected a whole number "
                                      ">= 1, such as 1e9")


# -- programs: steps, iterations, the tape, the clock -------------------------------------------


def test_nested_loops_share_one_iteration_limit(adcli):
    program = "for i in 0..100000:\n    for j in 0..100000:\n        pass\n1\n"
    run = adcli("eval", "-f", "-", "--json", "--timeout", "0", stdin=program)
    assert run.code == 1
    error = run.error()
    assert (error["kind"], error["line"]) == ("iteration-limit", 2)
    assert error["message"] == "line 2: the loops ran more than 100,000 times in all; stopped"


def test_pass_and_loop_iterations_are_steps(adcli):
    program = "for i in 0..100000:\n    pass\n1\n"
    run = adcli("eval", "-f", "-", "--json", "--max-steps", "1000", stdin=program)
    assert run.code == 1
    error = run.error()
    # step 1 is the `for`, then each iteration (line 1) and its `pass` (line 2) are one each
    assert (error["kind"], error["message"]) == (
        "step-limit", "line 1: stopped after 1,000 steps (--max-steps)")


def test_comparisons_of_a_while_are_steps(adcli):
    program = "i = 0\nwhile i < 1000:\n    i = i + 1\ni\n"
    # per iteration: the condition (3), the iteration, the statement and its expression (3)
    assert adcli("eval", "-f", "-", "--max-steps", "8100", "--json", stdin=program).code == 0
    run = adcli("eval", "-f", "-", "--max-steps", "7000", "--json", stdin=program)
    assert run.code == 1 and run.error()["kind"] == "step-limit"


def test_the_iteration_limit_can_be_raised(adcli, monkeypatch):
    program = "s = 0\nfor i in 0..300:\n    for j in 0..300:\n        s = s + 1\ns\n"
    monkeypatch.setenv("ADCLI_MAX_ITERATIONS", "1000")
    assert adcli("eval", "-f", "-", "--json", stdin=program).error()["kind"] == "iteration-limit"
    monkeypatch.setenv("ADCLI_MAX_ITERATIONS", "100000")
    assert adcli("eval", "-f", "-", "--json", "--timeout", "0", stdin=program).json()["value"] \
        == 90000.0


def test_the_tape_is_capped_naming_the_line(adcli, monkeypatch):
    monkeypatch.setenv("ADCLI_MAX_TAPE", "2e8")  # 200 MB: 25 values of a million float64s
    program = "b = x*ones(1e6)\nwhile 1 > 0:\n    b = b + 1\nsum(b)\n"
    run = adcli("grad", "-f", "-", "--at", "x=1", "--timeout", "0", "--json", stdin=program)
    assert run.code == 1
    error = run.error()
    assert (error["kind"], error["line"]) == ("tape-limit", 3)
    assert "the values kept for the backward pass (the tape) would hold 2" in error["message"]
    assert error["message"].endswith("; the limit is 200.0 MB")


def test_values_no_longer_used_do_not_count_toward_the_tape(adcli, monkeypatch):
    monkeypatch.setenv("ADCLI_MAX_TAPE", "1e8")
    # 50 values of 8 MB pass through y, but only the last is alive: 400 MB recorded, not kept
    program = "for i in 0..50:\n    y = sin(x)\nsum(y)\n"
    run = adcli("eval", "-f", "-", "--at", "x=ones(1e6)", "--json", "--timeout", "0",
                stdin=program)
    assert run.code == 0, run.err
    assert run.json()["value"] == pytest.approx(841470.9848078965)


def test_the_clock_stops_a_program_naming_the_line(adcli, monkeypatch):
    monkeypatch.setenv("ADCLI_MAX_ITERATIONS", "1e15")
    program = "i = 0\nwhile 1 > 0:\n    i = i + 1\ni\n"
    run = adcli("eval", "-f", "-", "--timeout", "1", "--max-steps", "100000000", "--json",
                stdin=program)
    assert run.code == 1
    error = run.error()
    assert error["kind"] == "timeout"
    assert error["message"] in ("stopped after 1 s (--timeout), at line 2",
                                "stopped after 1 s (--timeout), at line 3")
    assert error["hint"] == "give it more time with --timeout SECONDS (0: no limit)"
    text = adcli("eval", "-f", "-", "--timeout", "1", "--max-steps", "100000000",
                 stdin=program)
    assert text.code == 1 and "error: stopped after 1 s (--timeout), at line" in text.err


def test_a_negative_timeout_is_refused(adcli):
    run = adcli("eval", "1", "--timeout", "-1", "--json")
    assert run.code == 2
    assert run.error()["message"] == "--timeout -1: give seconds >= 0 (0: no limit)"


# -- input read up to the limit and no further --------------------------------------------------


def test_an_endless_program_file_is_refused_after_the_limit(adcli):
    run = adcli("eval", "-f", "/dev/zero", "--json")
    assert run.code == 2
    assert run.error()["message"] == ("/dev/zero is longer than 2,000,000 characters (the limit; "
                                      "raise it with ADCLI_MAX_INPUT)")


def test_an_endless_each_file_answers_with_one_error_line(adcli):
    run = adcli("eval", "x", "--each", "/dev/zero")
    assert run.code == 2
    (line,) = [json.loads(text) for text in run.out.splitlines()]
    assert line["line"] == 1
    assert line["error"]["message"] == (
        "line 1 is longer than 2,000,000 characters (the limit; raise it with ADCLI_MAX_INPUT); "
        "it has no end in sight, so the batch stops here")


def test_the_input_limit_applies_to_formulas_programs_and_lines(adcli, monkeypatch, tmp_path):
    monkeypatch.setenv("ADCLI_MAX_INPUT", "100")
    formula = "+".join(["x"] * 60)  # 119 characters
    run = adcli("eval", formula, "--at", "x=1", "--json")
    assert run.code == 2 and run.error()["message"] == ("the formula is 119 characters long; "
                                                        "the limit is 100")
    program = tmp_path / "long.adl"
    program.write_text(formula + "\n", encoding="utf-8")
    run = adcli("eval", "-f", str(program), "--at", "x=1", "--json")
    assert run.code == 2 and run.error()["message"].startswith(f"{program} is longer than 100")
    points = tmp_path / "points.jsonl"
    points.write_text('{"x": 1}\n{"x": [' + "1, " * 60 + '1]}\n{"x": 3}\n', encoding="utf-8")
    run = adcli("eval", "x", "--each", str(points))
    lines = [json.loads(text) for text in run.out.splitlines()]
    assert [line.get("value") for line in lines] == [1.0, None, 3.0]
    assert lines[1]["error"]["message"].startswith("line 2 is longer than 100 characters")
