"""GitLab token verification against a local server answering with GitLab's documented responses."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.fake_time import FakeTime
from platforms.local_server import NoAnswer, Reply, Request, Reset
from platforms.verify_helpers import ATTEMPTS, CANARY, codes, run_verify, slot_for
from scm_access.declarations import CredentialKind, ServiceIdentity
from scm_access.platforms.gitlab.access import GitLabAccess
from scm_access.declarations.access import Person
from scm_access.http import MalformedResponse
from scm_access.platforms.gitlab.responses import classify_unauthorized, parse_token_self, parse_user
from scm_access.platforms.gitlab.verify import api_root, with_api_path
from scm_access.judge import Status

TOKEN = "glpat-" + "x" * 20 + "AbCd"
SELF = "/api/v4/personal_access_tokens/self"
USER = "/api/v4/user"


def person_slot(scopes: list[str], login: str | None = "john_smith", **extra):
    holder = [Person(name="john", login=login)]
    return slot_for(GitLabAccess(scopes=scopes, holder=holder, **extra))


def gitlab(self_reply: Reply, user_reply: Reply | None = None) -> Callable[[Request], Reply]:
    def route(request: Request) -> Reply:
        if request.path == SELF:
            return self_reply
        if request.path == USER and user_reply is not None:
            return user_reply
        return Reply.json(404, {"message": "404 Not Found"})

    return route


# -- a good token ---------------------------------------------------------------------------------


def test_a_personal_token_with_exactly_the_declared_scopes_and_owner_is_ok(server):
    gl = server(gitlab(Reply.recorded("gitlab/personal_access_token_self.json"), Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.OK, finding.problems
    assert finding.facts.scopes_granted == ["api"]
    assert finding.facts.owner_login == "john_smith"
    assert finding.facts.token_kind == CredentialKind.GITLAB_PAT
    assert finding.facts.expires_at is not None and finding.facts.expires_at.date().isoformat() == "2027-01-15"


def test_the_token_goes_in_the_private_token_header_of_get_requests_only(server):
    gl = server(gitlab(Reply.recorded("gitlab/personal_access_token_self.json"), Reply.recorded("gitlab/user.json")))
    run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert gl.methods == {"GET"}
    assert all(r.headers.get("private-token") == TOKEN for r in gl.requests)
    assert all("authorization" not in r.headers for r in gl.requests)


def test_the_facts_show_only_the_last_four_characters_of_the_token(server):
    gl = server(gitlab(Reply.recorded("gitlab/personal_access_token_self.json"), Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.facts.token_last_four == "AbCd"


def test_the_base_url_is_the_instance_root_and_the_api_path_is_added():
    assert with_api_path("https://gitlab.example.com/") == "https://gitlab.example.com/api/v4"
    assert with_api_path("https://gitlab.example.com/api/v4") == "https://gitlab.example.com/api/v4"
    assert api_root(person_slot(["api"])) == "https://gitlab.com/api/v4"


# -- the 401 body tells expired from revoked from unknown -----------------------------------------


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("gitlab/unauthorized_expired.json", "expired"),
        ("gitlab/unauthorized_revoked.json", "revoked"),
        ("gitlab/unauthorized_unknown_token.json", "invalid_token"),
    ],
)
def test_a_rejected_token_says_why_from_the_401_body(server, fixture, code):
    gl = server(gitlab(Reply.recorded(fixture)))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.ACTION_REQUIRED
    assert codes(finding) == [code]


def test_a_rejected_token_is_told_to_be_created_again(server):
    gl = server(gitlab(Reply.recorded("gitlab/unauthorized_revoked.json")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.problems[0].remediation, "a rejected token needs the steps to create a new one"


def test_a_rejected_token_is_not_asked_about_its_owner(server):
    gl = server(gitlab(Reply.recorded("gitlab/unauthorized_expired.json")))
    run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert gl.count(USER) == 0


# -- scopes and expiry compared with the declaration and the policy -------------------------------


def test_a_broader_scope_than_declared_is_excess(server):
    gl = server(gitlab(Reply.recorded("gitlab/personal_access_token_self.json"), Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["read_api"]), TOKEN, gl.url)
    assert codes(finding) == ["excess_scope"]


def test_a_declared_scope_the_token_lacks_is_missing(server):
    token_self = Reply.recorded("gitlab/personal_access_token_self.json", scopes=["read_user", "read_repository"])
    gl = server(gitlab(token_self, Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["read_user", "write_repository"]), TOKEN, gl.url)
    assert codes(finding) == ["missing_scope"]
    assert "write_repository" in finding.problems[0].detail


def test_an_expiry_beyond_the_policy_is_too_late(server):
    token_self = Reply.recorded("gitlab/personal_access_token_self.json", expires_at="2027-11-01")
    gl = server(gitlab(token_self, Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert codes(finding) == ["expires_too_late"]


def test_a_token_without_expiry_breaks_the_policy(server):
    token_self = Reply.recorded("gitlab/personal_access_token_self.json", expires_at=None)
    gl = server(gitlab(token_self, Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert codes(finding) == ["no_expiry"]
    assert finding.facts.never_expires is True


def test_a_token_expiring_within_the_warning_window_expires_soon(server):
    token_self = Reply.recorded("gitlab/personal_access_token_self.json", expires_at="2026-11-30")
    gl = server(gitlab(token_self, Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert codes(finding) == ["expires_soon"]


def test_a_revoked_flag_in_the_self_answer_is_revoked(server):
    token_self = Reply.recorded("gitlab/personal_access_token_self.json", revoked=True, active=False)
    gl = server(gitlab(token_self, Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert codes(finding) == ["revoked"]


# -- owner and kind ---------------------------------------------------------------------------------


def test_a_token_of_another_user_has_the_wrong_owner(server):
    gl = server(gitlab(Reply.recorded("gitlab/personal_access_token_self.json"), Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["api"], login="jane_doe"), TOKEN, gl.url)
    assert codes(finding) == ["wrong_owner"]


def test_without_a_scope_that_reads_the_user_the_owner_is_not_observable_and_not_asked(server):
    token_self = Reply.recorded("gitlab/personal_access_token_self.json", scopes=["read_repository"])
    gl = server(gitlab(token_self, Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["read_repository"]), TOKEN, gl.url)
    assert gl.count(USER) == 0
    assert finding.status == Status.PARTIALLY_VERIFIED
    assert codes(finding) == []
    assert any("owner" in item for item in finding.facts.unobservable)


def test_a_user_endpoint_refusing_the_scope_leaves_the_owner_not_observable(server):
    gl = server(gitlab(Reply.recorded("gitlab/personal_access_token_self.json"),
                       Reply.recorded("gitlab/forbidden_insufficient_scope.json")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.PARTIALLY_VERIFIED
    assert finding.facts.owner_login is None


def test_a_group_access_token_is_recognised_by_its_bot_user(server):
    token_self = Reply.recorded("gitlab/group_access_token_self.json", scopes=["read_api"])
    gl = server(gitlab(token_self, Reply.recorded("gitlab/group_bot_user.json")))
    slot = slot_for(GitLabAccess(scopes=["read_api"], holder=ServiceIdentity(service="icr"), group="acme",
                                 kind=CredentialKind.GITLAB_GROUP_ACCESS_TOKEN))
    finding = run_verify(slot, TOKEN, gl.url)
    assert finding.facts.token_kind == CredentialKind.GITLAB_GROUP_ACCESS_TOKEN
    assert finding.status == Status.OK, finding.problems


def test_a_project_access_token_from_an_older_instance_is_read(server):
    gl = server(gitlab(Reply.recorded("gitlab/project_access_token_self.json"),
                       Reply.recorded("gitlab/project_bot_user.json")))
    # On a project token api does not include Git over HTTP (GitLab's scope table), so read_repository is
    # part of what is declared, not an excess.
    slot = slot_for(GitLabAccess(scopes=["api", "read_repository"], holder=ServiceIdentity(service="icr"),
                                 projects=["acme/app"], kind=CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN))
    finding = run_verify(slot, TOKEN, gl.url)
    assert finding.facts.token_kind == CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN
    assert finding.facts.scopes_granted == ["api", "read_repository"]
    assert finding.status == Status.OK, finding.problems


def test_a_project_token_where_a_personal_token_is_declared_is_the_wrong_kind(server):
    token_self = Reply.recorded("gitlab/project_access_token_self.json", scopes=["api"])
    gl = server(gitlab(token_self, Reply.recorded("gitlab/project_bot_user.json")))
    finding = run_verify(person_slot(["api"], login=None), TOKEN, gl.url)
    assert codes(finding) == ["wrong_token_kind"]


def test_a_fine_grained_token_is_the_wrong_kind_for_declared_scopes(server):
    token_self = Reply.recorded("gitlab/personal_access_token_self.json", scopes=[], granular=True)
    gl = server(gitlab(token_self, Reply.recorded("gitlab/user.json")))
    finding = run_verify(person_slot(["api"], login=None), TOKEN, gl.url)
    assert "wrong_token_kind" in codes(finding)


def test_a_deploy_token_is_not_sent_to_the_api(server):
    gl = server(gitlab(Reply.recorded("gitlab/personal_access_token_self.json")))
    slot = slot_for(GitLabAccess(scopes=["read_repository"], holder=ServiceIdentity(service="icr"),
                                 projects=["acme/app"], kind=CredentialKind.GITLAB_DEPLOY_TOKEN))
    finding = run_verify(slot, "gldt-" + "y" * 20, gl.url)
    assert gl.requests == []
    assert finding.status == Status.PARTIALLY_VERIFIED
    assert finding.facts.token_kind == CredentialKind.GITLAB_DEPLOY_TOKEN
    assert any("Deploy tokens" in item for item in finding.facts.unobservable)


# -- faults: each gives unknown with a reason, retries stay bounded --------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_gives_unknown_after_bounded_retries(server, status):
    gl = server(gitlab(Reply.text(status, "upstream trouble")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.UNKNOWN
    assert codes(finding) == ["api_error"]
    assert str(status) in (finding.reason or "")
    assert gl.count(SELF) == ATTEMPTS


def test_a_rate_limit_with_retry_after_is_waited_out_then_gives_unknown(server):
    gl = server(gitlab(Reply.recorded("gitlab/rate_limited.json")))
    clock = FakeTime()
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url, clock=clock)
    assert finding.status == Status.UNKNOWN
    assert codes(finding) == ["rate_limited"]
    assert gl.count(SELF) == ATTEMPTS
    assert sum(clock.sleeps) >= (ATTEMPTS - 1) * 1.0, "each retry waits the second Retry-After asks for"


def test_a_rate_limit_that_clears_gives_a_verdict(server):
    answers = [Reply.recorded("gitlab/rate_limited.json")]

    def route(request: Request) -> Reply:
        if request.path == SELF and answers:
            return answers.pop()
        return gitlab(Reply.recorded("gitlab/personal_access_token_self.json"), Reply.recorded("gitlab/user.json"))(request)

    gl = server(route)
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.OK, finding.problems


def test_a_failing_user_lookup_gives_unknown_and_keeps_what_the_token_said(server):
    gl = server(gitlab(Reply.recorded("gitlab/personal_access_token_self.json"), Reply.text(503, "down")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.UNKNOWN
    assert "api_error" in codes(finding)
    assert finding.facts.scopes_granted == ["api"]


def test_a_timeout_gives_unknown(server):
    gl = server(lambda request: NoAnswer())
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url, timeout=0.05)
    assert finding.status == Status.UNKNOWN
    assert "no answer within" in (finding.reason or "")


def test_a_reset_connection_gives_unknown(server):
    gl = server(lambda request: Reset())
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.UNKNOWN
    assert "connection failed" in (finding.reason or "")
    assert len(gl.requests) == ATTEMPTS


def test_malformed_json_gives_unknown(server):
    gl = server(gitlab(Reply.text(200, '{"id": 42, "scopes": ["api"', "application/json")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.UNKNOWN
    assert "not valid JSON" in (finding.reason or "")


def test_an_answer_missing_documented_fields_gives_unknown(server):
    gl = server(gitlab(Reply.json(200, {"id": 42, "name": "no scopes here"})))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.UNKNOWN
    assert "scopes" in (finding.reason or "")


def test_an_html_page_instead_of_the_api_gives_unknown(server):
    gl = server(gitlab(Reply.text(200, "<html><body>Sign in</body></html>", "text/html")))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.UNKNOWN


def test_an_instance_without_the_self_endpoint_gives_unknown(server):
    gl = server(gitlab(Reply.json(404, {"message": "404 Not Found"})))
    finding = run_verify(person_slot(["api"]), TOKEN, gl.url)
    assert finding.status == Status.UNKNOWN
    assert "15.5" in (finding.reason or "")


# -- the token never leaks --------------------------------------------------------------------------

CANARY_ROUTES = {
    "ok": gitlab(Reply.recorded("gitlab/personal_access_token_self.json"), Reply.recorded("gitlab/user.json")),
    "revoked": gitlab(Reply.recorded("gitlab/unauthorized_revoked.json")),
    "server_error": gitlab(Reply.text(503, "down")),
    "rate_limited": gitlab(Reply.recorded("gitlab/rate_limited.json")),
    "reset": lambda request: Reset(),
    "malformed": gitlab(Reply.text(200, "{", "application/json")),
    # A server echoing the credential back must not make it appear anywhere.
    "echo": lambda request: Reply.json(500, {"message": request.headers.get("private-token", "")}),
}


@pytest.mark.parametrize("scenario", sorted(CANARY_ROUTES))
def test_the_token_appears_in_no_finding_and_no_log(server, caplog, scenario):
    caplog.set_level(logging.DEBUG)
    gl = server(CANARY_ROUTES[scenario])
    finding = run_verify(person_slot(["api"]), CANARY, gl.url)
    assert CANARY not in finding.model_dump_json()
    assert CANARY not in repr(finding)
    assert CANARY not in caplog.text


# -- the readers take any JSON without crashing ------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=20,
)
SELF_LIKE = st.fixed_dictionaries(
    {},
    optional={"id": JSON, "scopes": JSON, "expires_at": JSON | st.dates().map(str), "active": JSON,
              "revoked": JSON, "user_id": JSON, "granular": JSON, "expired": JSON},
)


@settings(max_examples=300, deadline=None)
@given(JSON | SELF_LIKE)
def test_any_json_is_read_as_documented_or_refused_as_malformed(data):
    for parse in (parse_token_self, parse_user):
        try:
            parse(data)
        except MalformedResponse:
            pass
    assert classify_unauthorized(data).code in {"expired", "revoked", "invalid_token"}
