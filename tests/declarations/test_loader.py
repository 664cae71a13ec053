"""Loading connections/ and policies/ from a project folder."""

from pathlib import Path

import pytest

from scm_access.declarations.loader import load_project
from scm_access.errors import DeclarationError

DECLARATION = """
from scm_access.declarations import Connection, GitHubAccess
CONNECTION = Connection(name={name!r}, integration="Demo", owner="team", purpose="testing",
                        access=[GitHubAccess(scopes=["repo"], holder=["alice"])])
"""


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_loads_every_module_and_remembers_its_file(tmp_path):
    write(tmp_path, "connections/a.py", DECLARATION.format(name="alpha"))
    write(tmp_path, "connections/b.py", DECLARATION.format(name="beta"))
    project = load_project(tmp_path)
    assert project.sources == {"alpha": "connections/a.py", "beta": "connections/b.py"}


def test_duplicate_name_across_files_names_both_files(tmp_path):
    write(tmp_path, "connections/a.py", DECLARATION.format(name="alpha"))
    write(tmp_path, "connections/b.py", DECLARATION.format(name="alpha"))
    with pytest.raises(DeclarationError) as caught:
        load_project(tmp_path)
    assert caught.value.lines() == [
        "connection 'alpha': name: declared twice (connections/a.py and connections/b.py); names must be unique"
    ]


def test_broken_module_is_one_line_with_file_and_line(tmp_path):
    write(tmp_path, "connections/broken.py", "x = 1\nundefined_name\n")
    with pytest.raises(DeclarationError) as caught:
        load_project(tmp_path)
    assert caught.value.lines() == [
        "declaration: connections/broken.py:2: NameError: name 'undefined_name' is not defined"
    ]


def test_structural_error_in_a_module_names_the_connection(tmp_path):
    write(
        tmp_path,
        "connections/bad.py",
        DECLARATION.format(name="gamma").replace('"github"', '"githab"').replace(
            "GitHubAccess(", 'dict(platform="githab", '
        ),
    )
    with pytest.raises(DeclarationError, match=r"connection 'gamma': access\[0\]: unknown platform 'githab'"):
        load_project(tmp_path)


def test_policy_defaults_apply_without_a_policy_module(tmp_path):
    write(tmp_path, "connections/a.py", DECLARATION.format(name="alpha"))
    assert load_project(tmp_path).policy.default_max_lifetime_days == 90


def test_a_project_of_several_connection_files_loads_them_all(fixture_project):
    names = {c.name for c in load_project(fixture_project).connections}
    assert {"stackspot", "icr", "exalate", "deeptraq"} <= names


def test_a_mistake_in_an_access_entry_built_on_its_own_names_file_line_model_and_field(tmp_path):
    write(
        tmp_path,
        "connections/typo.py",
        DECLARATION.format(name="delta").replace('holder=["alice"]', 'holder=["alice"], repositores=["app"]'),
    )
    with pytest.raises(DeclarationError) as caught:
        load_project(tmp_path)
    assert caught.value.lines() == [
        "connection 'delta': access[0].repositores: unknown field (connections/typo.py:3)"
    ]


def test_a_mistake_in_the_policy_names_the_file_and_the_field(tmp_path):
    write(tmp_path, "connections/a.py", DECLARATION.format(name="alpha"))
    write(
        tmp_path,
        "policies/credential_policy.py",
        "from scm_access.declarations import Policy\nPOLICY = Policy(expiry_warning_days=-1)\n",
    )
    with pytest.raises(DeclarationError, match=r"^declaration: policies/credential_policy.py:2: Policy\.expiry_warning_days: "):
        load_project(tmp_path)


def problems_of(root: Path) -> list[str]:
    with pytest.raises(DeclarationError) as caught:
        load_project(root)
    return caught.value.lines()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import sys\nsys.exit(0)\n", "connections/quits.py:2: exits while being loaded (sys.exit(0))"),
        ("import sys\nsys.exit()\n", "connections/quits.py:2: exits while being loaded (sys.exit(None))"),
        ("raise KeyboardInterrupt\n", "connections/quits.py:1: raises KeyboardInterrupt while being loaded"),
        ("raise GeneratorExit\n", "connections/quits.py:1: GeneratorExit"),
    ],
)
def test_a_declaration_that_ends_the_run_is_a_declaration_error_naming_the_file(tmp_path, source, expected):
    write(tmp_path, "connections/fine.py", DECLARATION.format(name="alpha"))
    write(tmp_path, "connections/quits.py", source)
    [line] = problems_of(tmp_path)
    assert line.startswith(f"declaration: {expected}")


def test_a_policy_file_that_exits_is_a_declaration_error(tmp_path):
    write(tmp_path, "connections/fine.py", DECLARATION.format(name="alpha"))
    write(tmp_path, "policies/credential_policy.py", "import sys\nsys.exit(0)\n")
    [line] = problems_of(tmp_path)
    assert line.startswith("declaration: policies/credential_policy.py:2: exits while being loaded")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("CONNECTIONS = 5\n", "declaration: connections/odd.py: CONNECTIONS must be a list of Connection(...), not int"),
        (
            "def declared():\n    yield 1\n    raise RuntimeError('boom')\nCONNECTIONS = declared()\n",
            "declaration: connections/odd.py: CONNECTIONS must be a list of Connection(...), not generator",
        ),
        ("CONNECTIONS = ['x']\n", "declaration: connections/odd.py: CONNECTIONS holds a str, not a Connection"),
        (
            "def __getattr__(name):\n    raise RuntimeError('no ' + name)\n",
            "declaration: connections/odd.py:2: RuntimeError: no CONNECTIONS",
        ),
    ],
)
def test_a_module_that_is_not_what_the_loader_expects_is_one_line(tmp_path, source, expected):
    write(tmp_path, "connections/odd.py", source)
    assert problems_of(tmp_path) == [expected]


def test_a_real_interrupt_while_loading_still_interrupts(tmp_path):
    write(tmp_path, "connections/slow.py", "import os, signal\nos.kill(os.getpid(), signal.SIGINT)\n")
    with pytest.raises(KeyboardInterrupt):
        load_project(tmp_path)


def test_a_policy_folder_in_place_of_the_policy_module_is_refused(tmp_path):
    write(tmp_path, "connections/fine.py", DECLARATION.format(name="alpha"))
    (tmp_path / "policies/credential_policy.py").mkdir(parents=True)
    assert problems_of(tmp_path) == [
        "declaration: policies/credential_policy.py: is not a file; the policy must be a Python module"
    ]


FOUR_MISTAKES = """
from scm_access.declarations import Connection, GitHubAccess, Person

DEVELOPER = Person(name="Ana Souza")
ACCESS = GitHubAccess(scopes=["repo"], holder=[DEVELOPER], max_lifetime_days=0, repositores=["app"])
CONNECTION = Connection(name="demo", integration="Demo", owner="team", purpose="testing", gide="x",
                        access=[ACCESS])
"""


def test_every_mistake_in_a_file_is_reported_under_its_connection(tmp_path):
    write(tmp_path, "connections/demo.py", FOUR_MISTAKES)
    assert problems_of(tmp_path) == [
        "connection 'demo': access[0].holder[0].name: String should match pattern '^[a-z0-9][a-z0-9-]{0,62}$'"
        " (connections/demo.py:6)",
        "connection 'demo': access[0].max_lifetime_days: must be at least 1 day (connections/demo.py:6)",
        "connection 'demo': access[0].repositores: unknown field (connections/demo.py:6)",
        "connection 'demo': gide: unknown field (connections/demo.py:6)",
    ]


def test_mistakes_in_two_connections_of_one_file_are_both_reported(tmp_path):
    write(
        tmp_path,
        "connections/two.py",
        "from scm_access.declarations import Connection, GitHubAccess\n"
        "CONNECTIONS = [\n"
        "    Connection(name='one', integration='D', owner='t', purpose='p', access=[]),\n"
        "    Connection(name='two', integration='D', owner='t', purpose='p',\n"
        "               access=[GitHubAccess(scopes=['repo'], holder=['a'], max_lifetime_days='90')]),\n"
        "]\n",
    )
    assert problems_of(tmp_path) == [
        "connection 'one': access: List should have at least 1 item after validation, not 0 (connections/two.py:3)",
        "connection 'two': access[0].max_lifetime_days: give a whole number of days or 'longest', not '90'"
        " (connections/two.py:4)",
    ]


def test_a_model_no_connection_uses_is_reported_with_file_and_line(tmp_path):
    write(tmp_path, "connections/fine.py", DECLARATION.format(name="alpha"))
    write(
        tmp_path,
        "connections/spare.py",
        "from scm_access.declarations import Person\nCONNECTIONS = []\nSPARE = Person(name='Bad')\n",
    )
    [line] = problems_of(tmp_path)
    assert line.startswith("declaration: connections/spare.py:3: Person.name: String should match pattern")


def test_models_built_outside_the_loader_still_raise_at_once():
    from pydantic import ValidationError

    from scm_access.declarations import Person

    with pytest.raises(ValidationError):
        Person(name="Bad Name")
