"""What the commands print: the JSON contract scripts rely on, and the text people read."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from adcli.ops import FUNCTIONS


def test_grad_json_contract(adcli):
    run = adcli("grad", "2*dot(x,x)", "--at", "0..5", "--json")
    assert run.code == 0 and run.err == ""
    assert run.out.endswith("\n") and run.out.count("\n") == 1
    assert json.loads(run.out) == {
        "command": "grad", "expression": "2*dot(x,x)", "dtype": "float64", "mode": "reverse",
        "at": {"x": [0.0, 1.0, 2.0, 3.0, 4.0]}, "value": 60.0, "cotangent": None,
        "gradient": {"x": [0.0, 4.0, 8.0, 12.0, 16.0]},
    }


def test_eval_json_has_no_gradient_fields(adcli):
    result = adcli("eval", "x*y", "--at", "x=2", "--at", "y=[1,2]", "--json").json()
    assert result == {"command": "eval", "expression": "x*y", "dtype": "float64",
                      "at": {"x": 2.0, "y": [1.0, 2.0]}, "value": [2.0, 4.0]}


def test_json_is_strict_and_floats_read_back_exactly(adcli):
    run = adcli("eval", "[1/3, 0.1, 1e300*1e10, -1/0, 0/0, 2^-1074]", "--json")
    # json.loads with a hook that refuses NaN/Infinity proves the output is strict JSON.
    def refuse(token):
        raise AssertionError(f"non-standard JSON token {token}")
    values = json.loads(run.out, parse_constant=refuse)["value"]
    assert values[:2] == [1 / 3, 0.1] and values[2:5] == ["inf", "-inf", "nan"]
    assert values[5] == 5e-324


def test_float32_json_uses_the_shortest_float32_form(adcli):
    values = adcli("eval", "[0.1, 1/3]", "--dtype", "float32", "--json").json()["value"]
    assert values == [0.1, 0.3333333432674408] or values == [0.1, 0.33333334]
    assert np.float32(values[1]) == np.float32(1) / np.float32(3)


def test_grad_wrt_a_subset(adcli):
    result = adcli("grad", "x*y", "--at", "x=3", "--at", "y=4", "--wrt", "y", "--json").json()
    assert result["gradient"] == {"y": 3.0}


def test_variable_that_does_not_reach_the_output_has_gradient_zero(adcli):
    result = adcli("grad", "detach(x) + y", "--at", "x=[1,2]", "--at", "y=1", "--json").json()
    assert result["gradient"] == {"x": [0.0, 0.0], "y": 2.0}


def test_text_output_of_grad(adcli, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    run = adcli("grad", "2*dot(x,x)", "--at", "0..5")
    assert [line.rstrip() for line in run.out.splitlines()] == [
        "f(x) = 2*dot(x,x)",
        "x =    [0, 1, 2, 3, 4]    shape 5",
        "value  60                 scalar",
        "∂f/∂x  [0, 4, 8, 12, 16]  shape 5",
    ]


def test_precision_option(adcli):
    run = adcli("eval", "pi", "--precision", "8")
    assert "3.1415927" in run.out  # significant digits
    run = adcli("eval", "[pi, 1]", "--precision", "2")
    assert "[3.1, 1]" in run.out


def test_functions_lists_every_builtin_with_its_rule(adcli):
    run = adcli("functions", "--json")
    listed = {f["name"]: f for f in run.json()["functions"]}
    assert set(listed) == set(FUNCTIONS)
    assert listed["sin"]["rule"] == "sin'(x) = cos(x)"
    assert run.json()["aliases"] == {"ln": "log", "stop_gradient": "detach"}
    text = adcli("functions").out
    for name in FUNCTIONS:
        assert f"{name}(" in text
    assert "∂/∂u = v, ∂/∂v = u" in text  # mul's, as its rule computes it


def test_stop_gradient_is_an_alias_of_detach(adcli):
    result = adcli("grad", "stop_gradient(x*x)*x", "--at", "0..3", "--json").json()
    assert result["gradient"]["x"] == [0.0, 1.0, 4.0]


def _adcli_process(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "adcli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=60)


def test_python_dash_m_and_the_console_script_agree():
    by_module = _adcli_process("grad", "x*x", "--at", "0..3", "--json")
    script = os.path.join(os.path.dirname(sys.executable), "adcli")
    by_script = subprocess.run([script, "grad", "x*x", "--at", "0..3", "--json"],
                               capture_output=True, text=True, timeout=60)
    assert by_module.returncode == by_script.returncode == 0
    assert by_module.stdout == by_script.stdout
    assert json.loads(by_module.stdout)["gradient"]["x"] == [0.0, 2.0, 4.0]


def test_help_does_not_import_numpy_or_lark():
    run = _adcli_process("--help", PYTHONPROFILEIMPORTTIME="1")
    assert run.returncode == 0 and "grad" in run.stdout
    imported = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if "|" in line}
    assert "numpy" not in imported and "lark" not in imported
    assert "typer" in imported  # the check above looked at a real import list


def test_version(adcli):
    run = adcli("--version")
    assert run.code == 0 and run.out.startswith("adcli 0.")


def test_formula_starting_with_a_minus(adcli):
    result = adcli("grad", "-x^2", "--at", "x=3", "--json").json()
    assert (result["value"], result["gradient"]["x"]) == (-9.0, -6.0)


def test_a_large_array_is_formatted_by_the_numbers_it_shows():
    from adcli.views.numbers import format_array

    # numpy's rule too: 0.5 in the middle is not shown, so it does not turn 0 into 0.0000
    values = np.arange(1000.0)
    values[500] = 0.5
    assert format_array(values) == "[0, 1, 2, ..., 997, 998, 999]"
    assert format_array(values.astype(np.float32), 2) == "[0, 1, 2, ..., 997, 998, 999]"
    assert format_array(np.float32([0.1, 2.5]), 2) == "[0.1, 2.5]"
