"""GitHub's inventory reader against a local GitHub: what each admin view gives, and what a failing one does."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from scm_access.core.kinds import CredentialKind
from scm_access.declarations.connection import SecretStore
from scm_access.inventory.model import HolderState, SourceStatus
from scm_access.judge.secrets import scrub
from scm_access.platforms.github import inventory as reader
from scm_access.platforms.github.app_auth import GitHubAppConfigError
from tests.platforms.github.inventory_fixtures import (
    APP_ENV,
    APP_ID,
    OWNER_TOKEN,
    PUBLIC_KEY,
    authorization,
    deploy_key,
    deploy_key_slot,
    fine_grained_slot,
    grant,
    pat_request,
    read_inventory,
)
from tests.support.fake_github_admin import FakeGitHubAdmin, OrgState

OWNER_ENV = {reader.ADMIN_TOKEN_VAR: OWNER_TOKEN}


@pytest.fixture
def github(serve):
    def start(**orgs: OrgState):
        fake = FakeGitHubAdmin(APP_ID, PUBLIC_KEY, orgs, owner_tokens={OWNER_TOKEN}, clock=time.time)
        return fake, serve(fake)

    return start


def source(inventory, name, scope="acme"):
    (report,) = [s for s in inventory.sources if s.source == name and s.scope == scope]
    return report


def only(inventory, source_name):
    (found,) = [c for c in inventory.credentials if c.source == source_name]
    return found


# -- configuration ------------------------------------------------------------------------------------------


def test_nothing_set_names_the_variables_that_enable_it():
    line = reader.configured({})
    assert reader.ADMIN_TOKEN_VAR in line and "SCM_ACCESS_GITHUB_APP_ID" in line


def test_the_app_alone_is_enough():
    assert reader.configured(APP_ENV) is None


def test_the_owner_token_alone_is_enough():
    assert reader.configured(OWNER_ENV) is None


def test_every_admin_variable_is_declared():
    names = {c.env_var for c in reader.ADMIN_CREDENTIALS}
    assert names == {
        "SCM_ACCESS_GITHUB_APP_ID",
        "SCM_ACCESS_GITHUB_APP_PRIVATE_KEY",
        "SCM_ACCESS_GITHUB_APP_PRIVATE_KEY_FILE",
        reader.ADMIN_TOKEN_VAR,
    }


def test_a_wrong_app_setting_is_a_usage_error(github, make_client):
    fake, server = github(acme=OrgState())
    with pytest.raises(GitHubAppConfigError):
        read_inventory(server.url, [fine_grained_slot()], {**APP_ENV, "SCM_ACCESS_GITHUB_APP_ID": "abc"}, make_client)


# -- fine-grained grants --------------------------------------------------------------------------------------


def test_a_grant_becomes_a_fine_grained_credential_of_its_owner(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all")]))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert (found.kind, found.owner, found.name, found.id, found.scope) == (
        CredentialKind.GITHUB_FINE_GRAINED_PAT, "diego-rocha", "DeepTraQ scanner", "25381", "acme"
    )


def test_permissions_are_spelled_as_the_catalog_spells_them(github, make_client):
    row = grant(repository={"metadata": "read", "contents": "write"}, organization={"members": "read", "administration": "read"})
    fake, server = github(acme=OrgState(grants=[row], grant_repositories={25381: []}))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert found.scopes == {"metadata:read", "contents:write", "members:read", "organization_administration:read"}


def test_a_subset_grant_lists_its_repositories(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant()], grant_repositories={25381: ["deeptraq-security-scanner", "web"]}))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert found.repositories == {"acme/deeptraq-security-scanner", "acme/web"}


def test_an_all_repositories_grant_asks_for_no_repository_list(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all")]))
    read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client)
    assert not [r for r in server.requests if r.path.endswith("/repositories")]


def test_timestamps_with_an_offset_are_read_in_utc(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all", expires_at="2026-12-20T12:00:00.000-07:00")]))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert found.expires_at == datetime(2026, 12, 20, 19, 0, tzinfo=UTC)


def test_a_grant_without_expiry_never_expires(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all", expires_at=None)]))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert (found.never_expires, found.expires_at) == (True, None)


def test_an_expiry_that_is_not_a_date_is_not_seen(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all", expires_at="soon")]))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert (found.never_expires, found.expires_at) == (False, None) and "expiry" in found.unobservable[0]


def test_last_use_is_shown_and_none_means_never_used(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all", last_used_at=None)]))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert (found.usage_shown, found.last_used_at) == (True, None)


def test_grants_are_read_100_a_page_following_the_link_header(github, make_client):
    rows = [grant(id=i, selection="all") for i in range(1, 251)]
    fake, server = github(acme=OrgState(grants=rows))
    inventory = read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client)
    pages = [r.path for r in server.requests if "/personal-access-tokens" in r.path]
    assert (len(inventory.credentials), len(pages), "per_page=100" in pages[0]) == (250, 3, True)


def test_the_grants_source_says_how_many_it_read(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all"), grant(id=2, selection="all")]))
    report = source(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert (report.status, report.detail, report.kinds) == (SourceStatus.READ, "2 grants", (CredentialKind.GITHUB_FINE_GRAINED_PAT,))


def test_grants_are_read_as_the_installation_not_the_app(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all")]))
    read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client)
    (listing,) = [r for r in server.requests if r.path.startswith("/orgs/acme/personal-access-tokens")]
    assert listing.authorization.removeprefix("Bearer ") in fake.issued


# -- holders that left ---------------------------------------------------------------------------------------


def test_a_holder_in_the_member_list_is_active(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all")], members=["Diego-Rocha"]))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert found.owner_state == HolderState.ACTIVE


def test_a_holder_missing_from_the_member_list_is_not_a_member(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all")], members=["alice"]))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert found.owner_state == HolderState.NOT_A_MEMBER


def test_a_concealed_member_the_list_leaves_out_is_confirmed_active(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all")], members=["alice"], concealed=["diego-rocha"]))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert found.owner_state == HolderState.ACTIVE


def test_a_membership_github_will_not_confirm_is_not_seen(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all")], members=["alice"], membership_check=302))
    found = only(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert found.owner_state is None


def test_only_holders_missing_from_the_list_are_asked_about(github, make_client):
    rows = [grant(selection="all"), grant(id=2, login="alice", selection="all")]
    fake, server = github(acme=OrgState(grants=rows, members=["alice"]))
    read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client)
    assert [r.path for r in server.requests if r.path.startswith("/orgs/acme/members/")] == ["/orgs/acme/members/diego-rocha"]


def test_the_members_source_counts_departed_holders(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all")], members=["alice"]))
    report = source(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.MEMBERS)
    assert report.detail == "1 member of acme; 1 holder no longer a member"


def test_an_unreadable_member_list_leaves_the_holder_state_unseen_and_says_which_permission(github, make_client):
    fake, server = github(acme=OrgState(grants=[grant(selection="all")], members=None))
    inventory = read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client)
    report = source(inventory, reader.MEMBERS)
    assert (only(inventory, reader.GRANTS).owner_state, report.status) == (None, SourceStatus.FAILED)
    assert '"Members" (read)' in report.detail


# -- pending requests ---------------------------------------------------------------------------------------


def test_pending_requests_are_counted_not_taken_for_credentials(github, make_client):
    fake, server = github(acme=OrgState(requests=[pat_request(), pat_request(id=8)]))
    inventory = read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client)
    assert (inventory.credentials, source(inventory, reader.REQUESTS).detail.split(" (")[0]) == ([], "2 pending requests")


# -- failures -----------------------------------------------------------------------------------------------


def test_an_org_without_the_app_fails_its_app_views_with_the_reason(github, make_client):
    fake, server = github(acme=OrgState(installation_id=None))
    report = source(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert report.status == SourceStatus.FAILED and "not installed on the organization acme" in report.detail


def test_an_org_without_the_app_leaves_the_other_orgs_read(github, make_client):
    fake, server = github(acme=OrgState(installation_id=None), beta=OrgState(installation_id=9, grants=[grant(selection="all")]))
    slots = [fine_grained_slot(), fine_grained_slot(connection="other", access=fine_grained_slot().access.model_copy(update={"org": "beta"}))]
    inventory = read_inventory(server.url, slots, APP_ENV, make_client)
    assert (source(inventory, reader.GRANTS, "beta").status, len(inventory.credentials)) == (SourceStatus.READ, 1)


def test_a_refused_grant_listing_names_the_permission_it_needs(github, make_client):
    fake, server = github(acme=OrgState(refuse={"grants": 403}))
    report = source(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.GRANTS)
    assert report.status == SourceStatus.FAILED and '"Personal access tokens" (read)' in report.detail


def test_a_refused_grant_listing_leaves_the_requests_read(github, make_client):
    fake, server = github(acme=OrgState(refuse={"grants": 403}, requests=[pat_request()]))
    report = source(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.REQUESTS)
    assert report.status == SourceStatus.READ


def test_without_the_app_the_grant_view_is_skipped_saying_how_to_enable_it(github, make_client):
    fake, server = github(acme=OrgState())
    report = source(read_inventory(server.url, [fine_grained_slot()], OWNER_ENV, make_client), reader.GRANTS)
    assert report.status == SourceStatus.SKIPPED and "SCM_ACCESS_GITHUB_APP_ID" in report.detail


def test_slots_without_an_org_read_nothing(github, make_client):
    fake, server = github(acme=OrgState())
    slot = fine_grained_slot(access=fine_grained_slot().access.model_copy(update={"org": None}))
    inventory = read_inventory(server.url, [slot], APP_ENV, make_client)
    assert (inventory.sources, server.requests) == ([], [])


# -- SAML credential authorizations ---------------------------------------------------------------------------


def test_an_authorized_classic_token_is_listed_with_its_scopes_and_last_eight(github, make_client):
    fake, server = github(acme=OrgState(credential_authorizations=[authorization(scopes=["repo", "read:org"])]))
    found = only(read_inventory(server.url, [fine_grained_slot()], OWNER_ENV, make_client), reader.CREDENTIAL_AUTHORIZATIONS)
    assert (found.kind, found.owner, found.scopes, found.token_last_eight, found.id) == (
        CredentialKind.GITHUB_CLASSIC_PAT, "alice", {"repo", "read:org"}, "71c3fc11", "161195"
    )


def test_an_authorized_token_shows_expiry_and_last_access(github, make_client):
    fake, server = github(acme=OrgState(credential_authorizations=[authorization()]))
    found = only(read_inventory(server.url, [fine_grained_slot()], OWNER_ENV, make_client), reader.CREDENTIAL_AUTHORIZATIONS)
    assert (found.expires_at, found.last_used_at, found.usage_shown) == (
        datetime(2027, 1, 10, 19, 6, 43, tzinfo=UTC), datetime(2026, 11, 20, 19, 6, 43, tzinfo=UTC), True
    )


def test_an_authorized_token_without_scopes_has_no_kind_and_says_why(github, make_client):
    fake, server = github(acme=OrgState(credential_authorizations=[authorization(scopes=[])]))
    found = only(read_inventory(server.url, [fine_grained_slot()], OWNER_ENV, make_client), reader.CREDENTIAL_AUTHORIZATIONS)
    assert found.kind is None and any("its kind" in text for text in found.unobservable)


def test_ssh_keys_and_oauth_tokens_are_counted_not_judged(github, make_client):
    rows = [authorization(), authorization(id=2, credential_type="SSH key"), authorization(id=3, credential_type="OAuth app token")]
    fake, server = github(acme=OrgState(credential_authorizations=rows))
    inventory = read_inventory(server.url, [fine_grained_slot()], OWNER_ENV, make_client)
    assert len(inventory.credentials) == 1 and "2 other credentials" in source(inventory, reader.CREDENTIAL_AUTHORIZATIONS).detail


def test_an_org_without_saml_is_a_skipped_source_saying_why(github, make_client):
    fake, server = github(acme=OrgState(credential_authorizations=None))
    report = source(read_inventory(server.url, [fine_grained_slot()], OWNER_ENV, make_client), reader.CREDENTIAL_AUTHORIZATIONS)
    assert report.status == SourceStatus.SKIPPED and "SAML" in report.detail


def test_without_an_owner_token_the_authorizations_are_skipped_naming_the_variable(github, make_client):
    fake, server = github(acme=OrgState())
    report = source(read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client), reader.CREDENTIAL_AUTHORIZATIONS)
    assert report.status == SourceStatus.SKIPPED and reader.ADMIN_TOKEN_VAR in report.detail


def test_the_owner_token_never_reaches_a_source_or_credential(github, make_client):
    fake, server = github(acme=OrgState(credential_authorizations=[authorization(note=f"echo {OWNER_TOKEN}")]))
    inventory = read_inventory(server.url, [fine_grained_slot()], OWNER_ENV, make_client)
    assert OWNER_TOKEN not in scrub(repr(inventory))


# -- deploy keys and Actions secrets ---------------------------------------------------------------------------


def test_deploy_keys_of_declared_repositories_are_listed_with_their_access(github, make_client):
    fake, server = github(acme=OrgState(deploy_keys={"app": [deploy_key(read_only=False, last_used="2026-11-01T00:00:00Z")]}))
    found = only(read_inventory(server.url, [deploy_key_slot()], APP_ENV, make_client), reader.DEPLOY_KEYS)
    assert (found.kind, found.scopes, found.repositories, found.owner, found.usage_shown) == (
        CredentialKind.GITHUB_DEPLOY_KEY, {"contents:write"}, {"acme/app"}, "acme/app", True
    )


def test_deploy_keys_are_read_only_where_a_deploy_key_is_declared(github, make_client):
    fake, server = github(acme=OrgState(deploy_keys={"app": [deploy_key()]}))
    read_inventory(server.url, [fine_grained_slot()], APP_ENV, make_client)
    assert not [r for r in server.requests if r.path.startswith("/repos/")]


def test_the_actions_secret_a_key_is_delivered_to_is_shown_with_its_update_date(github, make_client):
    slot = deploy_key_slot(delivery=SecretStore(store="github_actions_secret", name="DEPLOY_KEY", repository="app", holds="ssh_key"))
    title = f"CI (ci) [scm-access {slot.id}]"
    fake, server = github(
        acme=OrgState(
            deploy_keys={"app": [deploy_key(title=title)]},
            secrets={"app": [{"name": "DEPLOY_KEY", "created_at": "2026-10-01T00:00:00Z", "updated_at": "2026-11-02T00:00:00Z"}]},
        )
    )
    found = only(read_inventory(server.url, [slot], APP_ENV, make_client), reader.DEPLOY_KEYS)
    assert ("delivered_to", "acme/app Actions secret DEPLOY_KEY, updated 2026-11-02T00:00:00+00:00") in found.extra


def test_a_missing_delivered_secret_is_said(github, make_client):
    slot = deploy_key_slot(delivery=SecretStore(store="github_actions_secret", name="DEPLOY_KEY", repository="app", holds="ssh_key"))
    fake, server = github(acme=OrgState(deploy_keys={"app": [deploy_key(title=f"t [scm-access {slot.id}]")]}, secrets={"app": []}))
    inventory = read_inventory(server.url, [slot], APP_ENV, make_client)
    assert ("delivered_to", "acme/app Actions secret DEPLOY_KEY: not present") in only(inventory, reader.DEPLOY_KEYS).extra
    assert source(inventory, reader.ACTIONS_SECRETS).detail.startswith("0 of 1")
