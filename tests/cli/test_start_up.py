"""Start-up: a command imports what it runs, not every other command; a run tells the cyclic collector that
what start-up imported stays."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from scm_access.cli import COMMANDS, app

ROOT = Path(__file__).parents[2]


def imported_after(*arguments: str) -> set[str]:
    """The modules a fresh process holds after running the CLI with these arguments."""
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from scm_access.cli import app\n"
        f"CliRunner().invoke(app, {list(arguments)!r})\n"
        "print('\\n'.join(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    return set(done.stdout.split())


def test_plan_imports_no_other_commands_module():
    loaded = imported_after("plan", "--help")
    assert "scm_access.cli.plan" in loaded
    others = {module for name, (module, _) in COMMANDS.items() if name not in {"plan", "instructions"}}
    assert not others & loaded
    assert not {"scm_access.review", "scm_access.inventory", "httpx"} & loaded
    # Nor what other commands render: findings (and the judge they import), requests.
    assert not {"scm_access.outputs.findings", "scm_access.outputs.decisions", "scm_access.judge"} & loaded


def test_the_help_lists_every_command_in_order():
    result = CliRunner().invoke(app, ["--help"])
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == list(COMMANDS)


def test_every_command_is_found_by_name():
    group = get_command(app)
    for name in COMMANDS:
        assert group.commands[name].name == name  # type: ignore[attr-defined]


def test_a_mistyped_command_is_answered_with_the_closest_name():
    result = CliRunner().invoke(app, ["plna"])
    assert result.exit_code == 2 and "Did you mean 'plan'?" in result.output


def test_a_run_freezes_what_start_up_imported_and_collects_cycles_less_often():
    script = (
        "import gc, sys\n"
        "from scm_access.cli import COLLECTOR_THRESHOLDS, main\n"
        "sys.argv = ['scm-access', '--version']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(gc.get_threshold() == COLLECTOR_THRESHOLDS, gc.get_freeze_count() > 1000)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.split()[-2:] == ["True", "True"]


def run_main_and_print(expression: str, environment: dict[str, str] | None = None) -> str:
    script = (
        "import os, sys\n"
        "from scm_access.cli import main\n"
        "sys.argv = ['scm-access', '--version']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print({expression})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **(environment or {})},
    )
    return done.stdout.split("\n")[-2]


def test_a_run_does_not_look_for_pydantic_plugins():
    assert run_main_and_print("os.environ['PYDANTIC_DISABLE_PLUGINS']") == "__all__"


def test_a_pydantic_plugin_setting_of_the_persons_own_is_kept():
    setting = {"PYDANTIC_DISABLE_PLUGINS": "some-plugin"}
    assert run_main_and_print("os.environ['PYDANTIC_DISABLE_PLUGINS']", setting) == "some-plugin"


def python(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments], capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=False,
    )


def leaving_after(command: str) -> subprocess.CompletedProcess[str]:
    """The process's entry (``cli.run``) around a command with this body, in a fresh process."""
    body = "".join(f"    {line}\n" for line in command.splitlines())
    return python("-c", f"import errno, io, sys\nfrom scm_access import cli\ndef command():\n{body}cli.main = command\ncli.run()\n")


def test_the_process_leaves_with_what_the_command_wrote_and_its_status():
    # Written to a pipe, so kept in Python's buffer until flushed: leaving without flushing would lose it.
    done = leaving_after("sys.stdout.write('written, not flushed')\nraise SystemExit(3)")
    assert (done.returncode, done.stdout) == (3, "written, not flushed")


def test_the_process_leaves_with_the_commands_exit_status(tmp_path):
    done = python("-m", "scm_access", "plan", "--project", str(tmp_path / "absent"))
    assert done.returncode == 2 and "no connections/ folder" in done.stderr


def test_output_that_cannot_be_written_ends_the_process_with_status_120_as_python_does():
    done = leaving_after(
        "class Full(io.StringIO):\n"
        "    def flush(self):\n"
        "        raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "sys.stdout = Full()\n"
        "raise SystemExit(0)"
    )
    assert done.returncode == 120
