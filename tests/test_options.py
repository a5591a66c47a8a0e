"""Options as people type them: --wrt repeated, -V, --no-color."""

from __future__ import annotations


def test_wrt_given_twice_takes_both(adcli):
    run = adcli("grad", "x*y + z", "--at", "x=1", "--at", "y=2", "--at", "z=3",
                "--wrt", "x", "--wrt", "z", "--json")
    assert run.code == 0, run.err
    assert run.json()["gradient"] == {"x": 2.0, "z": 1.0}


def test_wrt_lists_and_repeats_mix_without_duplicates(adcli):
    run = adcli("grad", "x*y + z", "--at", "x=1", "--at", "y=2", "--at", "z=3",
                "--wrt", "x,y", "--wrt", "x", "--json")
    assert run.json()["gradient"] == {"x": 2.0, "y": 1.0}


def test_short_version_flag(adcli):
    from adcli import __version__

    run = adcli("-V")
    assert (run.code, run.out) == (0, f"adcli {__version__}\n")


def test_no_color_wins_over_force_color(adcli, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = adcli("grad", "x^2", "--at", "3")
    assert "\x1b[" in coloured.out  # FORCE_COLOR colours even a pipe
    plain = adcli("grad", "x^2", "--at", "3", "--no-color")
    assert plain.code == 0 and "\x1b[" not in plain.out
    assert "∂f/∂x  6" in plain.out
    listing = adcli("functions", "--no-color")
    assert listing.code == 0 and "\x1b[" not in listing.out


def test_a_mistyped_option_gets_the_close_one(adcli):
    run = adcli("grad", "x^2", "--wtr", "x", "--at", "1")
    assert run.code == 2
    assert run.err.splitlines() == ["error: adcli grad has no option --wtr",
                                    "  hint: did you mean --wrt?"]
    error = adcli("eval", "x^2", "--at", "1", "--jsno", "--json").error()
    assert (error["kind"], error["message"], error["hint"]) == (
        "usage", "adcli eval has no option --jsno", "did you mean --json?")


def test_an_unknown_option_with_nothing_close_points_to_the_help(adcli):
    run = adcli("jacobian", "x^2", "--at", "1", "--zzzz=3")
    assert run.code == 2
    assert run.err.splitlines() == ["error: adcli jacobian has no option --zzzz",
                                    "  hint: adcli jacobian --help lists the options"]


def test_a_formula_with_a_leading_minus_is_still_a_formula(adcli):
    run = adcli("grad", "-x^2", "--at", "1", "--json")
    assert run.code == 0, run.err
    assert run.json()["gradient"] == {"x": -2.0}
    after = adcli("grad", "--at", "1", "--json", "--", "--x")  # after --, nothing is an option
    assert after.json()["gradient"] == {"x": 1.0}
