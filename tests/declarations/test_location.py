"""Where a declaration was written: the file and line of the call that built it."""

from pathlib import Path

from scm_access.declarations.loader import load_project
from scm_access.declarations.location import SourceLocation, declared_at

MODULE = '''\
from scm_access.declarations import Connection, GitHubAccess


def entry(scopes):
    return GitHubAccess(scopes=scopes, holder=["alice"])


CONNECTIONS = [
    Connection(name="first", integration="Demo", owner="team", purpose="testing",
               access=[GitHubAccess(scopes=["repo"], holder=["alice"])]),
    Connection(name="second", integration="Demo", owner="team", purpose="testing",
               access=[entry(["repo"])]),
    Connection(
        name="third", integration="Demo", owner="team", purpose="testing",
        access=[
            GitHubAccess(scopes=["workflow"], holder=["bob"]),
        ],
    ),
]
'''


def locations(root: Path) -> dict[str, tuple[SourceLocation | None, SourceLocation | None]]:
    project = load_project(root)
    return {c.name: (declared_at(c), declared_at(c.access[0])) for c in project.connections}


def test_each_model_of_a_module_is_located_at_the_line_of_its_own_call(tmp_path):
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "team.py").write_text(MODULE)
    file = "connections/team.py"
    # A connection is located where its call starts, an entry built inside a helper at the helper's line;
    # models built in turn by the module and by a function are each located in their own code.
    assert locations(tmp_path) == {
        "first": (SourceLocation(file, 9), SourceLocation(file, 10)),
        "second": (SourceLocation(file, 11), SourceLocation(file, 5)),
        "third": (SourceLocation(file, 13), SourceLocation(file, 16)),
    }


def test_a_long_module_locates_its_last_declaration_as_its_first(tmp_path):
    (tmp_path / "connections").mkdir()
    lines = ["from scm_access.declarations import Connection, GitHubAccess", "CONNECTIONS = ["]
    for n in range(300):
        lines.append(
            f"    Connection(name='c-{n}', integration='Demo', owner='team', purpose='testing',"
            " access=[GitHubAccess(scopes=['repo'], holder=['alice'])]),"
        )
    lines.append("]")
    (tmp_path / "connections" / "many.py").write_text("\n".join(lines) + "\n")
    found = locations(tmp_path)
    assert [found[f"c-{n}"][0].line for n in range(300)] == list(range(3, 303))
    assert [found[f"c-{n}"][1].line for n in range(300)] == list(range(3, 303))
