"""`scm-access review` on a real git repository: one commit before the change, one after, a change of each
kind, and what the review says about each."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from scm_access.cli import app
from tests.review.conftest import POLICY, GitProject, connection_module

TODAY = "2026-11-23"

BASE = {
    "sync": """
        GitHubAccess(org="acme", scopes=["repo"], holder=["alice"]),
    """,
    "scanner": """
        GitHubAccess(
            org="acme",
            repositories=["scanner"],
            scopes=["metadata:read"],
            max_lifetime_days=30,
            holder=["bob"],
            delivery=IntegrationField(location="Scanner settings", field="Token"),
        ),
    """,
    "reporter": """
        GitHubAccess(org="acme", scopes=["read:org"], holder=["dan"]),
    """,
    "deploy": """
        GitLabAccess(group="acme/platform", scopes=["read_repository"], holder=ServiceIdentity(service="deploy-bot")),
    """,
    "legacy": """
        GitLabAccess(group="acme/legacy", scopes=["read_repository"], holder=ServiceIdentity(service="legacy-bot")),
    """,
    "stale": """
        GitHubAccess(org="acme", repositories=["x"], scopes=["metadata:read"], max_lifetime_days="longest", holder=["gus"]),
    """,
}

HEAD = {
    # a high-privilege scope, and a second holder
    "sync": """
        GitHubAccess(org="acme", scopes=["repo", "admin:org"], holder=["alice", "carol"]),
    """,
    # lifetime, prerequisite and delivery
    "scanner": """
        GitHubAccess(
            org="acme",
            repositories=["scanner"],
            scopes=["metadata:read"],
            max_lifetime_days=60,
            holder=["bob"],
            prerequisites=[SamlSsoAuthorization(org="acme")],
            delivery=IntegrationField(location="Scanner admin console", field="Token"),
        ),
    """,
    # classic -> fine-grained
    "reporter": """
        GitHubAccess(org="acme", kind=CredentialKind.GITHUB_FINE_GRAINED_PAT, scopes=["members:read"], holder=["dan"]),
    """,
    # provisioned -> personal token of the service user
    "deploy": """
        GitLabAccess(
            group="acme/platform",
            scopes=["read_repository"],
            kind=CredentialKind.GITLAB_PAT,
            holder=ServiceIdentity(service="deploy-bot"),
        ),
    """,
    # a verdict fixed
    "stale": """
        GitHubAccess(org="acme", repositories=["x"], scopes=["metadata:read"], max_lifetime_days=30, holder=["gus"]),
    """,
    # a new connection breaking the policy
    "newcomer": """
        GitHubAccess(org="acme", scopes=["repo", "delete_repo"], holder=["frank"]),
    """,
}

HEAD_POLICY = POLICY.replace('"delete_repo", "admin:enterprise"', '"delete_repo"').replace(
    "GITHUB_FINE_GRAINED_PAT: 90", "GITHUB_FINE_GRAINED_PAT: 120"
)


def write_connections(project: GitProject, connections: dict[str, str]) -> None:
    for path in (project.root / "connections").glob("*.py"):
        path.unlink()
    for name, access in connections.items():
        project.write(f"connections/{name}.py", connection_module(name, access))


def review_cli(project: GitProject, *arguments: str):
    return CliRunner().invoke(
        app, ["review", "--project", str(project.root), "--today", TODAY, *arguments], catch_exceptions=False
    )


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> tuple[GitProject, dict, int]:
    project = GitProject(tmp_path_factory.mktemp("review") / "repo")
    write_connections(project, BASE)
    project.commit("base")
    write_connections(project, HEAD)
    project.write("policies/credential_policy.py", HEAD_POLICY)
    project.commit("head")
    result = review_cli(project, "--base", "HEAD~1", "--head", "HEAD", "--format", "json")
    return project, json.loads(result.stdout), result.exit_code


def slot_change(document: dict, key: str) -> dict:
    return next(s for c in document["connections"] for s in c["slots"] if s["key"] == key)


def test_connections_added_removed_and_changed_are_named(changed):
    _, document, _ = changed
    by_name = {c["name"]: c["change"] for c in document["connections"]}
    assert by_name == {
        "newcomer": "added",
        "legacy": "removed",
        "sync": "changed",
        "scanner": "changed",
        "reporter": "changed",
        "deploy": "changed",
        "stale": "changed",
    }


def test_an_added_scope_says_what_it_grants_through_implication_and_that_it_is_high_privilege(changed):
    _, document, _ = changed
    alice = slot_change(document, "sync/github/alice")
    [admin] = alice["scopes_added"]
    assert admin["scope"] == "admin:org" and admin["high_privilege"]
    assert {"write:org", "read:org"} <= set(admin["grants"])
    assert {"admin:org", "write:org", "read:org"} <= set(alice["newly_granted"])
    assert alice["scopes_removed"] == [] and alice["no_longer_granted"] == []


def test_a_new_holder_is_a_new_slot(changed):
    _, document, _ = changed
    carol = slot_change(document, "sync/github/carol")
    assert carol["change"] == "added" and [s["scope"] for s in carol["scopes_added"]] == ["repo", "admin:org"]


def test_lifetime_prerequisites_and_delivery_changes(changed):
    _, document, _ = changed
    fields = {f["field"]: f for f in slot_change(document, "scanner/github/bob")["fields"]}
    assert (fields["lifetime_days"]["before"], fields["lifetime_days"]["after"]) == (30, 60)
    assert "2026-12-23" in fields["lifetime_days"]["summary"] and "2027-01-22" in fields["lifetime_days"]["summary"]
    assert fields["prerequisites"]["after"] == [{"type": "saml_sso", "org": "acme"}]
    assert fields["prerequisites"]["before"] == []
    assert fields["delivery"]["after"]["location"] == "Scanner admin console"


def test_classic_to_fine_grained_is_a_kind_change_with_the_scopes_it_swaps(changed):
    _, document, _ = changed
    dan = slot_change(document, "reporter/github/dan")
    fields = {f["field"]: f for f in dan["fields"]}
    assert (fields["kind"]["before"], fields["kind"]["after"]) == ("github_classic_pat", "github_fine_grained_pat")
    assert [s["scope"] for s in dan["scopes_added"]] == ["members:read"]
    assert [s["scope"] for s in dan["scopes_removed"]] == ["read:org"]
    assert not dan["deletes_credential"]  # a personal token: nothing the stack owns


def test_provisioned_to_personal_is_a_strategy_change_that_deletes_the_provisioned_credential(changed):
    _, document, _ = changed
    bot = slot_change(document, "deploy/gitlab/deploy-bot")
    fields = {f["field"]: f for f in bot["fields"]}
    assert (fields["strategy"]["before"], fields["strategy"]["after"]) == ("provision", "user_pat")
    assert bot["deletes_credential"]
    assert document["deleted_credentials"] == ["deploy/gitlab/deploy-bot", "legacy/gitlab/legacy-bot"]
    rules = {f["rule"] for f in document["findings"] if f["slot"] == "deploy/gitlab/deploy-bot"}
    assert {"review/became-personal", "review/provisioned-credential-deleted"} <= rules


def test_policy_relaxations_name_the_slots_they_affect(changed):
    _, document, _ = changed
    changes = {(p["setting"], p["direction"]): p for p in document["policy"]}
    forbidden = changes[("forbidden_scopes.github", "relaxed")]
    assert forbidden["before"] == "admin:enterprise" and forbidden["after"] is None
    lifetime = changes[("max_lifetime_days.github_fine_grained_pat", "relaxed")]
    assert (lifetime["before"], lifetime["after"]) == (90, 120)
    assert {"scanner/github/bob", "stale/github/gus"} <= set(lifetime["affected_slots"])
    assert len(document["policy"]) == 2


def test_policy_verdicts_new_fixed_and_unchanged_are_counted(changed):
    _, document, _ = changed
    new = {(v["slot"], v["code"]) for v in document["verdicts"]["new"]}
    fixed = {(v["slot"], v["code"]) for v in document["verdicts"]["fixed"]}
    assert ("newcomer/github/frank", "forbidden_scope") in new
    assert ("stale/github/gus", "longest_lifetime_requested") in fixed
    # sync's `repo` was already high-privilege: the verdict stays, its message now names `admin:org` too
    updated = {(v["slot"], v["code"]): v for v in document["verdicts"]["updated"]}
    assert "admin:org" in updated[("sync/github/alice", "high_privilege_scope")]["message"]


def test_findings_sit_at_the_declaring_line(changed):
    project, document, _ = changed
    alice = slot_change(document, "sync/github/alice")
    source = (project.root / alice["location"]["file"]).read_text().splitlines()
    assert alice["location"]["file"] == "connections/sync.py"
    assert source[alice["location"]["line"] - 1].strip().startswith("GitHubAccess(")


def test_a_new_policy_error_fails_the_review_unless_fail_on_says_otherwise(changed):
    project, _, exit_code = changed
    assert exit_code == 1
    assert review_cli(project, "--base", "HEAD~1", "--head", "HEAD", "--fail-on", "never").exit_code == 0


def test_reordering_and_reformatting_is_no_change_in_access(git_project):
    git_project.write(
        "connections/pair.py",
        """
        from scm_access.declarations import *

        FIRST = Connection(name="first", integration="First", owner="p", purpose="One.",
            access=[GitHubAccess(org="acme", scopes=["repo", "read:org"], holder=["alice", "bob"])])
        SECOND = Connection(name="second", integration="Second", owner="p", purpose="Two.",
            access=[GitLabAccess(group="acme/x", scopes=["read_api"], holder=["carol"])])
        CONNECTIONS = [FIRST, SECOND]
        """,
    )
    git_project.commit("base")
    git_project.write(
        "connections/pair.py",
        """
        from scm_access.declarations import *

        # Reordered and reformatted: the same access.
        SECOND = Connection(
            name="second",
            integration="Second",
            owner="p",
            purpose="Two.",
            access=[GitLabAccess(scopes=["read_api"], group="acme/x", holder=["carol"])],
        )
        FIRST = Connection(
            name="first",
            integration="First",
            owner="p",
            purpose="One.",
            access=[GitHubAccess(holder=["bob", "alice"], scopes=["read:org", "repo"], org="acme")],
        )
        CONNECTIONS = [SECOND, FIRST]
        """,
    )
    git_project.commit("reformat")
    result = review_cli(git_project, "--base", "HEAD~1", "--head", "HEAD", "--format", "markdown")
    assert result.exit_code == 0
    assert "No change in access." in result.stdout.splitlines()[0]


def test_a_revision_against_itself_is_no_change_in_access(git_project):
    git_project.write("connections/one.py", connection_module("one", 'GitHubAccess(org="acme", scopes=["repo"], holder=["a"]),'))
    git_project.commit("only")
    result = review_cli(git_project, "--base", "HEAD", "--head", "HEAD", "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert document["connections"] == [] and document["policy"] == [] and document["findings"][0]["baseline"] == "unchanged"


def test_the_head_defaults_to_the_working_tree_and_the_base_to_the_merge_base(git_project):
    git_project.write("connections/one.py", connection_module("one", 'GitHubAccess(org="acme", scopes=["repo"], holder=["a"]),'))
    git_project.commit("main")
    git_project.git("checkout", "-q", "-b", "feature")
    git_project.write("connections/one.py", connection_module("one", 'GitHubAccess(org="acme", scopes=["repo", "workflow"], holder=["a"]),'))
    git_project.commit("feature work")
    git_project.write("connections/two.py", connection_module("two", 'GitHubAccess(org="acme", scopes=["read:org"], holder=["b"]),'))
    document = json.loads(review_cli(git_project, "--format", "json").stdout)
    assert document["base"]["name"] == "merge-base(main)" and document["head"]["commit"] is None
    assert {c["name"]: c["change"] for c in document["connections"]} == {"one": "changed", "two": "added"}


def test_a_declaration_error_names_the_revision_file_and_line(git_project):
    git_project.write("connections/one.py", connection_module("one", 'GitHubAccess(org="acme", scopes=["repo"], holder=["a"]),'))
    git_project.commit("good")
    # A lifetime beyond the policy is a rule's error in the plan, not a declaration error: use an unknown scope.
    git_project.write("connections/one.py", connection_module("one", 'GitHubAccess(org="acme", scopes=["repo:stauts"], holder=["a"]),'))
    git_project.commit("bad")
    result = CliRunner().invoke(
        app, ["review", "--project", str(git_project.root), "--base", "HEAD~1", "--head", "HEAD"]
    )
    assert result.exit_code == 2
    assert "head revision HEAD (" in result.output
    assert "connections/one.py:9:" in result.output and "repo:stauts" in result.output


def test_an_unknown_revision_is_a_usage_error(git_project):
    git_project.write("connections/one.py", connection_module("one", 'GitHubAccess(org="acme", scopes=["repo"], holder=["a"]),'))
    git_project.commit("only")
    result = CliRunner().invoke(app, ["review", "--project", str(git_project.root), "--base", "no-such-branch"])
    assert result.exit_code == 2 and "no-such-branch" in result.output


def test_on_the_terminal_the_review_takes_the_terminals_width_and_a_file_the_ci_logs(changed, tmp_path):
    project, _, _ = changed
    printed = CliRunner().invoke(
        app, ["review", "--project", str(project.root), "--today", TODAY, "--base", "HEAD~1", "--head", "HEAD"],
        env={"COLUMNS": "80"}, catch_exceptions=False,
    )
    assert max(len(line) for line in printed.stdout.splitlines()) <= 80
    review_cli(project, "--base", "HEAD~1", "--head", "HEAD", "--output", str(tmp_path / "review.txt"))
    assert "┃ Connection" in (tmp_path / "review.txt").read_text()
