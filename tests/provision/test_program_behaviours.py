"""Program behaviours driven by stack config and the environment: policy choices, preview, declaration
errors, verification and delivery of personal tokens, the example stack file."""

from __future__ import annotations

import json
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pulumi
import pytest
import yaml

from tests.provision.harness import ALL_CREDENTIALS, GROUP_IDS, ROOT, is_secret, run_program

SA = "gitlab:index/groupServiceAccount:GroupServiceAccount"
SA_TOKEN = "gitlab:index/groupServiceAccountAccessToken:GroupServiceAccountAccessToken"
SA_MEMBER = "gitlab:index/groupMembership:GroupMembership"
GROUP_TOKEN = "gitlab:index/groupAccessToken:GroupAccessToken"
GET_GROUP = "gitlab:index/getGroup:getGroup"


def declarations(tmp_path: Path, source: str) -> Path:
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "declared.py").write_text(textwrap.dedent(source))
    return tmp_path


# -- policy choices ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service_accounts():
    return run_program(ALL_CREDENTIALS, config={"gitlabPreferServiceAccounts": "true"})


def test_policy_preferring_service_accounts_creates_one_in_the_top_level_group(service_accounts):
    accounts = service_accounts.of_type(SA)
    assert {a.inputs["group"] for a in accounts} == {"acme"}
    assert {a.inputs["name"] for a in accounts} == {"icr-jenkins", "docs-ci"}
    assert not service_accounts.of_type(GROUP_TOKEN)


def test_service_account_token_belongs_to_the_account_and_rotates(service_accounts):
    token = next(t for t in service_accounts.of_type(SA_TOKEN) if t.name.startswith("icr-"))
    assert token.inputs["userId"] == 4242.0  # the account's id, as the int the provider wants
    assert token.inputs["group"] == "acme"
    assert token.inputs["scopes"] == ["read_api", "read_repository"]
    assert token.inputs["rotationConfiguration"] == {"expirationDays": 90.0, "rotateBeforeDays": 7.0}


def test_service_account_gets_the_declared_role_through_membership(service_accounts):
    member = next(m for m in service_accounts.of_type(SA_MEMBER) if m.name.startswith("icr-"))
    # The provider wants the group's numeric ID: the program looks it up by the declared path.
    assert member.inputs == {"groupId": GROUP_IDS["acme/platform"], "userId": 4242.0, "accessLevel": "reporter"}
    lookups = [c.args for c in service_accounts.mocks.calls if c.token == GET_GROUP]
    assert {"fullPath": "acme/platform"} in lookups


def test_group_declared_by_numeric_id_is_used_as_is_and_its_top_level_group_looked_up(tmp_path):
    declared = declarations(
        tmp_path,
        """
        from scm_access.declarations import Connection, GitLabAccess, ServiceIdentity

        CONNECTION = Connection(
            name="by-id", integration="Renovate", owner="platform", purpose="Renovate updates dependencies.",
            access=[GitLabAccess(scopes=["read_api"], group=101, holder=ServiceIdentity(service="renovate-bot"))],
        )
        """,
    )
    run = run_program(
        ALL_CREDENTIALS, config={"declarations": str(declared), "gitlabPreferServiceAccounts": "true"}
    )
    (member,) = run.of_type(SA_MEMBER)
    assert member.inputs["groupId"] == 101
    (account,) = run.of_type(SA)
    assert account.inputs["group"] == "acme"  # the top-level group of group 101
    assert [c.args for c in run.mocks.calls if c.token == GET_GROUP] == [{"groupId": 101}]


def test_group_declared_by_numeric_id_takes_a_group_access_token_on_that_id(tmp_path):
    declared = declarations(
        tmp_path,
        """
        from scm_access.declarations import Connection, GitLabAccess, ServiceIdentity

        CONNECTION = Connection(
            name="by-id", integration="Renovate", owner="platform", purpose="Renovate updates dependencies.",
            access=[GitLabAccess(scopes=["read_api"], group=101, holder=ServiceIdentity(service="renovate-bot"))],
        )
        """,
    )
    run = run_program(ALL_CREDENTIALS, config={"declarations": str(declared)})
    (token,) = run.of_type(GROUP_TOKEN)
    assert token.inputs["group"] == "101"


def test_platform_left_out_of_provision_is_skipped_with_the_config_key_to_change():
    run = run_program(ALL_CREDENTIALS, config={"provision": json.dumps(["github", "azure_devops"])})
    assert not [r for r in run.resources if r.typ.startswith("gitlab:")]
    (warning,) = run.warnings
    assert "not in scm-access:provision" in warning


def test_slot_breaking_the_policy_is_not_provisioned_and_says_why():
    policy = {"forbidden_scopes": {"gitlab": ["write_repository"]}}
    run = run_program(ALL_CREDENTIALS, config={"policy": json.dumps(policy)})
    assert [t.name for t in run.of_type(GROUP_TOKEN)] == ["icr-gitlab-icr-jenkins-token"]
    (finding,) = run.value("docs-publisher")["findings"]
    assert finding["status"] == "missing" and "forbidden_scope" in finding["reason"]


def test_stack_policy_override_tightens_rotation():
    run = run_program(ALL_CREDENTIALS, config={"rotateBeforeDays": "14"})
    token = next(t for t in run.of_type(GROUP_TOKEN) if t.name.startswith("icr-"))
    assert token.inputs["rotationConfiguration"]["rotateBeforeDays"] == 14.0


def test_invalid_stack_policy_override_is_one_clear_error():
    with pytest.raises(pulumi.RunError, match=r"scm-access:policy is not valid \(rotate_before_days"):
        run_program({}, config={"policy": json.dumps({"rotate_before_days": 0})})


def test_invalid_declaration_is_one_clear_error_naming_connection_and_field(tmp_path):
    root = declarations(tmp_path, '''
        from scm_access.declarations import Connection, GitLabAccess, ServiceIdentity
        CONNECTION = Connection(name="broken", integration="X", owner="o", purpose="p", access=[
            GitLabAccess(scopes=["read_everything"], group="g", holder=ServiceIdentity(service="s"))])
    ''')
    with pytest.raises(pulumi.RunError) as raised:
        run_program({}, config={"declarations": str(root)})
    assert "broken" in str(raised.value) and "scopes[0]" in str(raised.value)


# -- preview ----------------------------------------------------------------------------------------


def test_preview_registers_the_same_resource_graph_as_an_update():
    preview = run_program(ALL_CREDENTIALS, preview=True)
    update = run_program(ALL_CREDENTIALS)
    assert sorted((r.typ, r.name) for r in preview.resources) == sorted((r.typ, r.name) for r in update.resources)


# -- personal tokens in the environment ---------------------------------------------------------------


PAT_DECLARATION = '''
    from scm_access.declarations import Connection, CredentialKind, GitHubAccess, Person, SecretStore
    CONNECTION = Connection(
        name="ci-reader", integration="CI reader", owner="o", purpose="Reads repositories in CI.",
        access=[GitHubAccess(kind=CredentialKind.GITHUB_CLASSIC_PAT, scopes=["repo"], org="acme",
                             holder=[Person(name="ana", login="ana-souza")], base_url="{base_url}",
                             delivery=SecretStore(store="github_actions_secret", name="READER_TOKEN",
                                                  repository="acme/ci"))])
'''
PAT = "ghp_" + "T" * 36
PAT_VARIABLE = "SCM_ACCESS_TOKEN__CI_READER__GITHUB__ANA"


@pytest.fixture
def pat_run(tmp_path, httpserver):
    expiry = (date.today() + timedelta(days=60)).isoformat()
    httpserver.expect_request("/api/v3/user").respond_with_json(
        {"login": "ana-souza", "id": 1},
        headers={"X-OAuth-Scopes": "repo", "GitHub-Authentication-Token-Expiration": f"{expiry} 00:00:00 UTC"},
    )
    root = declarations(tmp_path, PAT_DECLARATION.replace("{base_url}", httpserver.url_for("/").rstrip("/")))
    web = httpserver.url_for("/").rstrip("/")
    return run_program(
        {**ALL_CREDENTIALS, PAT_VARIABLE: PAT},
        config={"declarations": str(root), "githubBaseUrl": f"{web}/api/v3/"},
    )


def test_personal_token_in_the_environment_is_verified_during_the_run(pat_run):
    (finding,) = pat_run.value("ci-reader")["findings"]
    assert finding["status"] != "missing"
    assert finding["facts"]["owner_login"] == "ana-souza"


def test_personal_token_is_delivered_into_the_declared_store_as_a_secret(pat_run):
    (secret,) = pat_run.of_type("github:index/actionsSecret:ActionsSecret")
    assert secret.inputs["secretName"] == "READER_TOKEN" and secret.inputs["repository"] == "ci"
    assert is_secret(secret.inputs["value"]) and secret.inputs["value"]["value"] == PAT


def test_personal_token_appears_in_no_output(pat_run):
    assert PAT not in json.dumps({k: v[0] for k, v in pat_run.outputs.items()}, default=str)


def test_a_variable_that_holds_no_token_is_a_finding_not_a_failed_run(tmp_path):
    root = declarations(tmp_path, PAT_DECLARATION.replace("{base_url}", "http://127.0.0.1:9"))
    run = run_program({**ALL_CREDENTIALS, PAT_VARIABLE: "ghp_half of a pasted sentence"},
                      config={"declarations": str(root)})
    (finding,) = run.value("ci-reader")["findings"]
    assert (finding["status"], finding["problems"][0]["code"]) == ("action_required", "invalid_token")
    assert not run.of_type("github:index/actionsSecret:ActionsSecret")


def test_verification_can_be_turned_off():
    run = run_program({**ALL_CREDENTIALS, "SCM_ACCESS_TOKEN__DEEPTRAQ__GITHUB__DIEGO": "github_pat_x"},
                      config={"verify": "false"})
    (finding,) = run.value("deeptraq")["findings"]
    assert finding["status"] == "missing" and "verification is off" in finding["reason"]


# -- the example stack file ---------------------------------------------------------------------------


def example_config() -> dict[str, str]:
    settings = yaml.safe_load((ROOT / "Pulumi.example.yaml").read_text())["config"]
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in settings.items()}


def test_example_stack_config_provisions_on_all_three_platforms_with_fake_credentials():
    run = run_program(ALL_CREDENTIALS, config=example_config())
    platforms = {r.typ.split(":")[0] for r in run.resources if r.custom and not r.typ.startswith("pulumi:")}
    assert {"gitlab", "github", "azuredevops"} <= platforms
    assert run.warnings == []


def test_example_stack_config_documents_every_key_the_project_declares():
    declared = set(yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"])
    documented = {k.split(":", 1)[1] for k in example_config() if k.startswith("scm-access:")}
    assert declared <= documented


# -- what a provisioner cannot do, and what is a bug ----------------------------------------------------


APP_TOKEN_DECLARATION = """
    from scm_access.declarations import Connection, CredentialKind, GitHubAccess, ServiceIdentity
    CONNECTION = Connection(
        name="app", integration="Backstage", owner="o", purpose="Reads the catalog.",
        access=[GitHubAccess(kind=CredentialKind.GITHUB_APP_INSTALLATION_TOKEN, scopes=["contents:read"],
                             org="acme", repositories=["catalog"], holder=ServiceIdentity(service="backstage"))])
"""


def test_a_kind_the_platform_cannot_mint_gets_manual_steps_and_the_reason(tmp_path):
    root = declarations(tmp_path, APP_TOKEN_DECLARATION)
    run = run_program(ALL_CREDENTIALS, config={"declarations": str(root)})
    (finding,) = run.value("app")["findings"]
    assert finding["status"] == "missing"
    assert finding["reason"].startswith("cannot provision a GitHub App installation token")
    assert "(not provisioned)" in run.value("app")["instructions"]
    assert any("cannot provision" in w for w in run.warnings)


def test_a_provisioner_bug_stops_the_run_instead_of_becoming_manual_steps(tmp_path, monkeypatch):
    from scm_access.platforms.gitlab.provision import GitLabProvisioner

    def broken(self, slot, ctx):
        raise ValueError("a bug in the provisioner")

    monkeypatch.setattr(GitLabProvisioner, "provision", broken)
    with pytest.raises(ValueError, match="a bug in the provisioner"):
        run_program(ALL_CREDENTIALS)


# -- Azure DevOps: manual workload identity federation, GitHub service connections -----------------------


MANUAL_WIF_DECLARATION = """
    from scm_access.declarations import AzureDevOpsAccess, AzureServiceConnection, Connection, ServiceIdentity
    CONNECTION = Connection(
        name="deployer", integration="Azure Pipelines", owner="o", purpose="Deploys to production.",
        access=[AzureDevOpsAccess(
            organization="acme", projects=["Platform"], scopes=["vso.code"],
            holder=ServiceIdentity(service="deployer", origin_id="7f0c2a51-3a3e-4c0e-9a57-2d8f3c1b9e44"),
            service_connection=AzureServiceConnection(
                name="prod", project="Platform", tenant_id="t-1", subscription_id="s-1", subscription_name="Prod",
                client_id="c0ffee00-1111-2222-3333-444455556666"))])
"""


def test_a_declared_client_id_makes_the_service_connection_federate_that_identity(tmp_path):
    root = declarations(tmp_path, MANUAL_WIF_DECLARATION)
    run = run_program(ALL_CREDENTIALS, config={"declarations": str(root)})
    (endpoint,) = run.of_type("azuredevops:index/serviceEndpointAzureRM:ServiceEndpointAzureRM")
    assert endpoint.inputs["credentials"] == {"serviceprincipalid": "c0ffee00-1111-2222-3333-444455556666"}
    federation = run.value("deployer")["provisioned"]["deployer/azure_devops/deployer"]["workload_identity_federation"]
    assert federation["mode"] == "manual" and federation["subject"].startswith("sc://")


def test_manual_steps_name_the_client_id_to_federate(tmp_path):
    root = declarations(tmp_path, MANUAL_WIF_DECLARATION)
    run = run_program({}, config={"declarations": str(root)})
    assert "client id `c0ffee00-1111-2222-3333-444455556666`" in run.value("deployer")["instructions"]


def test_personal_github_token_goes_into_an_azure_devops_github_service_connection(tmp_path, httpserver):
    expiry = (date.today() + timedelta(days=60)).isoformat()
    httpserver.expect_request("/api/v3/user").respond_with_json(
        {"login": "ana-souza", "id": 1},
        headers={"X-OAuth-Scopes": "repo", "GitHub-Authentication-Token-Expiration": f"{expiry} 00:00:00 UTC"},
    )
    web = httpserver.url_for("/").rstrip("/")
    source = PAT_DECLARATION.replace("{base_url}", web).replace(
        'store="github_actions_secret", name="READER_TOKEN",\n                                                  repository="acme/ci"',
        'store="azure_devops_service_connection", name="github-acme", repository="Platform"',
    )
    assert "azure_devops_service_connection" in source
    root = declarations(tmp_path, source)
    run = run_program({**ALL_CREDENTIALS, PAT_VARIABLE: PAT},
                      config={"declarations": str(root), "githubBaseUrl": f"{web}/api/v3/"})
    (endpoint,) = run.of_type("azuredevops:index/serviceEndpointGitHub:ServiceEndpointGitHub")
    assert endpoint.inputs["serviceEndpointName"] == "github-acme"
    assert endpoint.inputs["projectId"] == "project-Platform"
    assert is_secret(endpoint.inputs["authPersonal"])
    assert endpoint.inputs["authPersonal"]["value"]["personalAccessToken"] == PAT
    assert "authPersonal" in endpoint.secret_outputs


def test_a_credential_that_is_no_github_token_is_not_put_into_a_github_service_connection(tmp_path):
    root = declarations(tmp_path, """
        from scm_access.declarations import Connection, GitLabAccess, SecretStore, ServiceIdentity
        CONNECTION = Connection(
            name="pull", integration="Image pull", owner="o", purpose="CI pulls images.",
            access=[GitLabAccess(scopes=["read_registry"], projects=["acme/app"], holder=ServiceIdentity(service="ci"),
                                 delivery=SecretStore(store="azure_devops_service_connection", name="gitlab",
                                                      repository="Platform"))])
    """)
    run = run_program(ALL_CREDENTIALS, config={"declarations": str(root)})
    assert not run.of_type("azuredevops:index/serviceEndpointGitHub:ServiceEndpointGitHub")
    assert "holds a GitHub token" in run.value("pull")["instructions"]


# -- a personal token is delivered only when its finding allows it ---------------------------------------


def pat_program(tmp_path, httpserver, *, answer=None, expires_in_days=60, policy=None):
    """The PAT declaration against a local GitHub that answers ``GET /user`` as given."""
    expiry = (date.today() + timedelta(days=expires_in_days)).isoformat()
    headers = {"X-OAuth-Scopes": "repo", "GitHub-Authentication-Token-Expiration": f"{expiry} 00:00:00 UTC"}
    request = httpserver.expect_request("/api/v3/user")
    if answer is None:
        request.respond_with_json({"login": "ana-souza", "id": 1}, headers=headers)
    else:
        answer(request, headers)
    web = httpserver.url_for("/").rstrip("/")
    root = declarations(tmp_path, PAT_DECLARATION.replace("{base_url}", web))
    config = {"declarations": str(root), "githubBaseUrl": f"{web}/api/v3/"}
    if policy is not None:
        config["policy"] = json.dumps(policy)
    return run_program({**ALL_CREDENTIALS, PAT_VARIABLE: PAT}, config=config)


def test_a_token_whose_verification_reached_no_verdict_is_held_back_and_the_output_says_why(tmp_path, httpserver):
    run = pat_program(tmp_path, httpserver,
                      answer=lambda request, headers: request.respond_with_data("<html>proxy</html>", headers=headers))
    (finding,) = run.value("ci-reader")["findings"]
    assert finding["status"] == "unknown"
    assert not run.of_type("github:index/actionsSecret:ActionsSecret")
    (held,) = run.value("ci-reader")["held_back"]
    assert held["slot"] == "ci-reader/github/ana" and "no verdict" in held["reason"]
    assert "**READER_TOKEN**" in held["store"]
    assert "was not written to" in run.value("ci-reader")["instructions"]


def test_a_token_expiring_soon_still_works_and_is_delivered_by_default(tmp_path, httpserver):
    run = pat_program(tmp_path, httpserver, expires_in_days=3)
    (finding,) = run.value("ci-reader")["findings"]
    assert [p["code"] for p in finding["problems"]] == ["expires_soon"]
    assert run.of_type("github:index/actionsSecret:ActionsSecret")
    assert run.value("ci-reader")["held_back"] == []


def test_the_policy_decides_which_problems_let_a_token_through(tmp_path, httpserver):
    run = pat_program(tmp_path, httpserver, expires_in_days=3, policy={"deliver_tokens_with": []})
    assert not run.of_type("github:index/actionsSecret:ActionsSecret")
    (held,) = run.value("ci-reader")["held_back"]
    assert held["reason"] == "its verification found expires_soon"


def test_the_policy_cannot_let_a_token_through_that_does_not_work():
    from scm_access.declarations.policy import Policy

    with pytest.raises(ValueError):
        Policy(deliver_tokens_with=["invalid_token"])


# -- hand-offs of what the stack made ----------------------------------------------------------------------


def test_a_key_a_person_carries_gets_its_hand_off_with_the_stacks_own_rotation_date(tmp_path):
    root = declarations(tmp_path, """
        from scm_access.declarations import Connection, GitHubAccess, IntegrationField, ServiceIdentity
        CONNECTION = Connection(
            name="argo", integration="Argo CD", owner="o", purpose="Syncs the config repository.",
            access=[GitHubAccess(scopes=["contents:read"], org="acme", repositories=["config"],
                                 holder=ServiceIdentity(service="argo"),
                                 delivery=IntegrationField(location="Argo CD → Repositories", field="SSH private key",
                                                           holds="ssh_key"))])
    """)
    run = run_program(ALL_CREDENTIALS, config={"declarations": str(root)})
    page = run.value("argo")["instructions"]
    next_rotation = run.value("argo")["provisioned"]["argo/github/argo"]["next_rotation"]
    assert "(made by the stack: hand-off)" in page
    assert "pulumi stack output credentials --show-secrets --json | jq" in page and "| pbcopy`" in page
    assert "Argo CD → Repositories → **SSH private key**" in page
    assert f"next on **{next_rotation}**" in page
    assert "argo/github/argo" in run.value("credentials")["argo"]  # what the command reads is there


def test_a_credential_delivered_to_a_store_gets_a_hand_off_saying_where(tmp_path):
    run = run_program(ALL_CREDENTIALS, config={"declarations": str(declarations(tmp_path, """
        from scm_access.declarations import Connection, GitLabAccess, SecretStore, ServiceIdentity
        CONNECTION = Connection(
            name="pull", integration="Image pull", owner="o", purpose="CI pulls images.",
            access=[GitLabAccess(scopes=["read_registry"], projects=["acme/app"], holder=ServiceIdentity(service="ci"),
                                 delivery=SecretStore(store="gitlab_ci_variable", name="REGISTRY_TOKEN",
                                                      repository="acme/deployer"))])
    """))})
    page = run.value("pull")["instructions"]
    assert "The stack writes it to GitLab CI/CD variable **REGISTRY_TOKEN** in **acme/deployer**" in page


# -- scopes whose containment depends on the token kind -------------------------------------------------


def test_a_group_token_that_must_push_is_provisioned_with_write_repository(tmp_path):
    # GitLab: api includes Git over HTTP on a personal token only; a group token needs write_repository.
    root = declarations(tmp_path, '''
        from scm_access.declarations import Connection, GitLabAccess, ServiceIdentity
        CONNECTION = Connection(name="pusher", integration="X", owner="o", purpose="p", access=[
            GitLabAccess(scopes=["api", "write_repository"], group="acme", holder=ServiceIdentity(service="ci"))])
    ''')
    run = run_program(ALL_CREDENTIALS, config={"declarations": str(root)})
    (token,) = run.of_type(GROUP_TOKEN)
    assert token.inputs["scopes"] == ["api", "write_repository"]
