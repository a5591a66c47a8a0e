"""Tab completion through real shells, with the scripts in completions/.

bash sources adcli.bash and, with COMP_WORDS/COMP_CWORD set, its completion function fills
COMPREPLY; zsh loads _adcli and its completion function hands adcli's answers to `_describe`
(replaced here by one that prints them, since zsh completes only inside its line editor);
fish sources adcli.fish and answers `complete -C LINE`. Then, in a terminal, what a Tab press
leaves on the command line (the formula's quote stays open after `sin(`).

The shells are Debian packages; without them these tests skip, unless ADCLI_REQUIRE_SHELLS=1
(CI sets it), which makes a missing shell a failure.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_completion import CASES, bash_words

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "completions"
# An unquoted word that gets a parenthesis opens a quote: in bash readline replaces only what
# follows the `=` (`x="linspace(`), zsh the whole word.
IN_BASH = {"--at: a function in the value": ['"linspace(']}
IN_ZSH = {"--at: a function in the value": ['"x=linspace(']}
ASKS_FOR_MORE = ("(", "=", ",")


def program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("ADCLI_REQUIRE_SHELLS") == "1":
            pytest.fail(f"ADCLI_REQUIRE_SHELLS=1 but {name} is not installed", pytrace=False)
        pytest.skip(f"{name} is not installed (apt install {name})")
    return found


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of the shells: this adcli first on PATH, a home of their own."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"), "TERM": "xterm"}


def run(argv: list[str], env: dict[str, str]) -> list[str]:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize("what, line, expected", CASES, ids=[c[0] for c in CASES])
def test_bash_fills_compreply(what, line, expected, env):
    words = bash_words(line)
    script = f"""
        source {shlex.quote(str(SCRIPTS / 'adcli.bash'))}
        COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})
        COMP_CWORD={len(words) - 1}
        _adcli_completion adcli 2>/dev/null
        printf '%s\\n' "${{COMPREPLY[@]}}"
    """
    printed = run([program("bash"), "--norc", "--noprofile", "-c", script], env)
    assert printed == IN_BASH.get(what, expected)


@pytest.mark.parametrize("what, line, expected", CASES, ids=[c[0] for c in CASES])
def test_zsh_describes_the_answers(what, line, expected, env):
    words = bash_words(line, split=False)  # zsh's `words` keep the quotes as typed, too
    script = f"""
        autoload -Uz compinit && compinit -u -D
        source {shlex.quote(str(SCRIPTS / '_adcli'))}
        _describe() {{  # _describe -t TAG DESCRIPTION ARRAY [compadd options]
          local array=$4 item; shift 4
          for item in "${{(@P)array}}"; do print -r -- "${{item%%:*}}|$*"; done
        }}
        compadd() {{  # compadd OPTIONS -- ITEMS
          local -a options; while [[ $1 != -- ]]; do options+=("$1"); shift; done; shift
          local item; for item; do print -r -- "$item|$options"; done
        }}
        words=({' '.join(shlex.quote(w) for w in words)})
        CURRENT={len(words)}
        _adcli_completion
    """
    printed = run([program("zsh"), "-f", "-c", script], env)
    offered = {row.split("|")[0]: row.split("|")[1] for row in printed}
    assert sorted(offered) == sorted(IN_ZSH.get(what, expected))
    for answer, options in offered.items():
        if answer.startswith('"'):  # inserted as it is, replacing the word
            assert options == "-Q -U -S ", answer
        else:  # no space after an answer that asks for more
            assert (options == "-S ") == answer.endswith(ASKS_FOR_MORE), answer


@pytest.mark.parametrize("what, line, expected", CASES, ids=[c[0] for c in CASES])
def test_fish_completes_the_command_line(what, line, expected, env):
    script = f"source {shlex.quote(str(SCRIPTS / 'adcli.fish'))}; complete -C $argv[1]"
    printed = [row.split("\t")[0] for row in run([program("fish"), "--no-config", "-c", script,
                                                     line], env)]
    # A single answer that asks for more comes twice, the second with a space: fish then
    # inserts their common prefix, leaving the quote open and adding no space.
    twin = len(expected) == 1 and expected[0].endswith(ASKS_FOR_MORE)
    assert sorted(printed) == sorted(expected + [expected[0] + " "] if twin else expected)


# In a terminal: keys typed, and the command line they leave (the shell prints it on Ctrl-T,
# with the cursor's position); the cursor is at the end of it. A function completed inside the
# formula leaves its quote open, in every shell (issue 11, item 7).
TYPED = [
    ("a function keeps the formula open", 'adcli grad "x*y + sinh\t', 'adcli grad "x*y + sinh('),
    ("the only function keeps the formula open", 'adcli grad "logsu\t', 'adcli grad "logsumexp('),
    ("NAME= takes its value next", 'adcli grad "x*y" --at x\t', 'adcli grad "x*y" --at x='),
    ("an option value, then a space", 'adcli grad "x*y" --mo\tf\t',
     'adcli grad "x*y" --mode forward '),
    ("a function in a quoted --at value", 'adcli grad "x*y" --at "x=lin\t',
     'adcli grad "x*y" --at "x=linspace('),
]
# An unquoted --at value that gets a parenthesis opens a quote, so the rest is typed as it is.
# (fish escapes every answer it inserts into an unquoted word, `x=linspace\(`: quote it there.)
OPENS_A_QUOTE = {
    "bash": ('adcli grad "x*y" --at x=lin\t0,1,5)"', 'adcli grad "x*y" --at x="linspace(0,1,5)"'),
    "zsh": ('adcli grad "x*y" --at x=lin\t0,1,5)"', 'adcli grad "x*y" --at "x=linspace(0,1,5)"'),
}
SHOW_LINE = {
    "bash": ["bind -x '\"\\C-t\": printf \"<line>%s|%s</line>\\n\" \"$READLINE_LINE\" "
             "\"$READLINE_POINT\"'"],
    "zsh": ["show() { print -r -- \"<line>$BUFFER|$CURSOR</line>\" }", "zle -N show",
            "bindkey '^T' show"],
    "fish": ["bind \\ct 'echo \\<line\\>(commandline)\\|(commandline -C)\\</line\\>'"],
}


def interactive(shell: str, zsh_fpath: Path | None = None) -> tuple[list[str], list[str]]:
    """The shell's command line, and what to type first: load the script, bind Ctrl-T."""
    loads = {
        "bash": [program("bash"), "--norc", "--noprofile", "-i"],
        "zsh": [program("zsh"), "-f", "-i"],
        "fish": [program("fish"), "--no-config", "-i"],
    }[shell]
    if shell == "zsh" and zsh_fpath is not None:  # in $fpath, as --install-completion puts it
        setup = [f"fpath=({shlex.quote(str(zsh_fpath))} $fpath)", "autoload -Uz compinit",
                 "compinit -u -D"]
    else:
        script = shlex.quote(str(SCRIPTS / {"bash": "adcli.bash", "zsh": "_adcli",
                                            "fish": "adcli.fish"}[shell]))
        setup = (["autoload -Uz compinit", "compinit -u -D"] if shell == "zsh" else [])
        setup += [f"source {script}"]
    return loads, setup + SHOW_LINE[shell]


def typed_line(argv: list[str], setup: list[str], keys: str, env: dict[str, str]) -> str:
    """Start the shell in a pseudo-terminal, type `keys` and read back the command line (which
    must have the cursor at its end)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the shell
        os.execvpe(argv[0], argv, env)
    seen = b""

    def wait_for(pattern: str) -> re.Match[str] | None:
        nonlocal seen
        deadline = time.monotonic() + 60  # generous: a slow machine is not a failure
        while time.monotonic() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    return None
                found = re.search(pattern, seen.decode(errors="replace"), re.S)
                if found:
                    return found
        return None

    try:
        ready = "echo ready-(math 40 + 2)" if "fish" in argv[0] else "echo ready-$((6*7))"
        for line in setup + [ready]:
            os.write(fd, line.encode() + b"\n")
        assert wait_for(r"ready-42"), seen.decode(errors="replace")[-2000:]
        seen = b""
        os.write(fd, keys.encode() + b"\x14")  # Ctrl-T shows the line
        shown = wait_for(r"<line>(.*?)\|(\d+)</line>")
        assert shown, seen.decode(errors="replace")[-2000:]
        line, cursor = shown.group(1), int(shown.group(2))
        # bash counts the cursor in bytes, zsh and fish in characters
        assert cursor in (len(line), len(line.encode())), (line, cursor)
        return line
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("what, keys, line", TYPED, ids=[t[0] for t in TYPED])
def test_a_tab_press_in_a_terminal(shell, what, keys, line, env):
    argv, setup = interactive(shell)
    assert typed_line(argv, setup, keys, env) == line


@pytest.mark.parametrize("shell", sorted(OPENS_A_QUOTE))
def test_a_parenthesis_in_an_unquoted_value_opens_a_quote(shell, env):
    keys, line = OPENS_A_QUOTE[shell]
    argv, setup = interactive(shell)
    assert typed_line(argv, setup, keys, env) == line
    # usable as typed: the shell reads the value back whole
    assert shlex.split(line)[-2:] == ["--at", "x=linspace(0,1,5)"]


def test_zsh_autoloads_the_script_from_fpath_and_answers_the_first_tab(env, tmp_path):
    functions = tmp_path / "zfunc"
    functions.mkdir()
    shutil.copy(SCRIPTS / "_adcli", functions / "_adcli")
    argv, setup = interactive("zsh", zsh_fpath=functions)
    assert typed_line(argv, setup, 'adcli grad "x" --dty\t', env) == 'adcli grad "x" --dtype '
