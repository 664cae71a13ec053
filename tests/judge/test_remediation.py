"""What a finding tells the holder to do: the slot's own creation steps and declared prerequisites, as
structured steps that each output format renders its own way."""

from __future__ import annotations

from rich.console import Console

from scm_access.core.kinds import CredentialKind
from scm_access.declarations.access import GroupMembership, PublicOrgMembership, RepositoryPermission
from scm_access.platforms.github.access import GitHubAccess
from scm_access.judge import Finding, Problem, ProblemCode, Status
from scm_access.judge.remediation import remediate, remediation
from scm_access.outputs.findings import finding_markdown, finding_panel
from tests.verify.conftest import github_slot


def test_a_missing_repository_role_names_the_repository_and_the_role():
    slot = github_slot(prerequisites=[RepositoryPermission(repository="acme/workflows", permission="write")])
    [step] = remediation(slot, ProblemCode.NOT_IN_REQUIRED_GROUP)
    assert step.text == "Ask an administrator to grant it: You need write permission on the repository acme/workflows."


def test_a_missing_group_membership_names_the_group():
    slot = github_slot(prerequisites=[GroupMembership(group="Project Collection Administrators")])
    steps = remediation(slot, ProblemCode.NOT_IN_REQUIRED_GROUP)
    assert steps[0].text == "Ask an administrator to grant it: You must be a member of Project Collection Administrators."


def test_a_scope_problem_lists_the_step_with_the_scopes_to_tick():
    lead, *steps = remediation(github_slot(), ProblemCode.EXCESS_SCOPE)
    assert not lead.numbered
    assert any("`repo`" in item for step in steps for item in step.items)


def test_remediation_never_tells_the_person_to_run_verify():
    for code in (ProblemCode.EXPIRED, ProblemCode.WRONG_OWNER, ProblemCode.EXCESS_SCOPE):
        steps = remediation(github_slot(), code)
        assert not any("scm-access verify" in " ".join([s.text, *s.items]) for s in steps), code


def test_a_private_membership_is_fixed_with_the_slots_own_step_or_its_prerequisite():
    slot = github_slot(prerequisites=[PublicOrgMembership(org="acme")])
    steps = remediation(slot, ProblemCode.MEMBERSHIP_NOT_PUBLIC)
    assert steps and all("acme" in s.text for s in steps)


def fine_grained_finding() -> Finding:
    slot = github_slot(
        kind=CredentialKind.GITHUB_FINE_GRAINED_PAT,
        scopes=["contents:read"],
        access=GitHubAccess(scopes=["contents:read"], org="acme", repositories=["scanner"], holder=["alice"]),
        lifetime_days=30,
    )
    [problem] = remediate(slot, [Problem(code=ProblemCode.EXPIRED, detail="the token expired")])
    return Finding(slot=slot.id, connection=slot.connection, platform="github", holder=slot.holder,
                   status=Status.ACTION_REQUIRED, problems=[problem])


def test_the_terminal_shows_emphasis_as_style_and_keeps_the_list_structure():
    finding = fine_grained_finding()
    console = Console(record=True, width=300, color_system=None)
    console.print(finding_panel(finding))
    text = console.export_text()
    assert "**" not in text
    steps = finding.problems[0].remediation
    assert not steps[0].numbered  # the introduction is a sentence, not step 1
    numbered = [s for s in steps if s.numbered]
    assert f"  1. {numbered[0].text.replace('**', '').replace('`', '')}" in text
    with_items = next(s for s in numbered if s.items)
    assert "• " + with_items.items[0].replace("**", "").replace("`", "") in text


def test_markdown_nests_the_steps_and_their_items_under_the_problem():
    lines = finding_markdown(fine_grained_finding()).splitlines()
    start = lines.index("- **`expired`**: the token expired")
    block = lines[start + 1 :]
    assert block[1].startswith("  Create a new token")
    assert any(line.startswith("  1. ") for line in block)
    assert any(line.startswith("     - ") for line in block)
