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


def test_the_shipped_examples_load(project_root):
    names = {c.name for c in load_project(project_root).connections}
    assert {"stackspot", "icr", "exalate", "deeptraq"} <= names


def test_a_mistake_in_an_access_entry_built_on_its_own_names_file_line_model_and_field(tmp_path):
    write(
        tmp_path,
        "connections/typo.py",
        DECLARATION.format(name="delta").replace('holder=["alice"]', 'holder=["alice"], repositores=["app"]'),
    )
    with pytest.raises(DeclarationError) as caught:
        load_project(tmp_path)
    assert caught.value.lines() == ["declaration: connections/typo.py:4: GitHubAccess.repositores: unknown field"]


def test_a_mistake_in_the_policy_names_the_file_and_the_field(tmp_path):
    write(tmp_path, "connections/a.py", DECLARATION.format(name="alpha"))
    write(
        tmp_path,
        "policies/credential_policy.py",
        "from scm_access.declarations import Policy\nPOLICY = Policy(expiry_warning_days=-1)\n",
    )
    with pytest.raises(DeclarationError, match=r"^declaration: policies/credential_policy.py:2: Policy\.expiry_warning_days: "):
        load_project(tmp_path)
