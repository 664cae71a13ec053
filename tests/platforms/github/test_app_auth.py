"""GitHub App authentication: the JWT, the installation lookup, the installation token and its cache."""

from __future__ import annotations

import asyncio
import logging

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from scm_access.http import ApiError
from scm_access.judge.secrets import REDACTED, scrub
from scm_access.platforms.github.app_auth import (
    APP_ID_VAR,
    PRIVATE_KEY_FILE_VAR,
    PRIVATE_KEY_VAR,
    AppAccessError,
    GitHubApp,
    GitHubAppConfigError,
)
from tests.support.fake_github_admin import FakeGitHubAdmin, OrgState

APP_ID = 123456


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def app(pem, fake_time) -> GitHubApp:
    return GitHubApp.from_env({APP_ID_VAR: str(APP_ID), PRIVATE_KEY_VAR: pem}, clock=fake_time.clock)


@pytest.fixture
def github(serve, key, fake_time):
    def start(**orgs: OrgState):
        fake = FakeGitHubAdmin(APP_ID, key.public_key(), orgs, clock=fake_time.clock)
        return fake, serve(fake)

    return start


def install(app, client, server, org):
    async def run():
        async with client:
            return await app.installation(client, server.url, org)

    return asyncio.run(run())


# -- the JWT ------------------------------------------------------------------------------------------


def test_the_jwt_verifies_with_the_apps_public_key(app, key, fake_time):
    claims = jwt.decode(
        app.jwt().reveal(), key.public_key(), algorithms=["RS256"], options={"verify_exp": False, "verify_iat": False}
    )
    assert claims["iss"] == str(APP_ID)


def test_the_jwt_is_signed_rs256(app):
    assert jwt.get_unverified_header(app.jwt().reveal())["alg"] == "RS256"


def test_the_jwt_is_backdated_for_clock_drift(app, key, fake_time):
    claims = jwt.decode(app.jwt().reveal(), key.public_key(), algorithms=["RS256"], options={"verify_exp": False, "verify_iat": False})
    assert claims["iat"] == int(fake_time.clock()) - 60


def test_the_jwt_lives_at_most_ten_minutes(app, key):
    claims = jwt.decode(app.jwt().reveal(), key.public_key(), algorithms=["RS256"], options={"verify_exp": False, "verify_iat": False})
    assert claims["exp"] - claims["iat"] <= 600


def test_the_jwt_is_signed_again_before_it_expires(app, fake_time):
    first = app.jwt()
    fake_time.now += 500
    assert app.jwt() != first


def test_the_jwt_is_a_registered_secret(app):
    value = app.jwt().reveal()
    assert scrub(f"Authorization: Bearer {value}") == f"Authorization: Bearer {REDACTED}"


def test_the_private_key_is_a_registered_secret(app, pem):
    body_line = pem.splitlines()[1]
    assert body_line not in scrub(f"key line {body_line}")


def test_the_app_shows_only_its_id(app):
    assert repr(app) == f"GitHubApp(app_id={APP_ID})"


# -- reading the settings -------------------------------------------------------------------------------


def test_the_key_is_read_from_a_file(pem, tmp_path, fake_time):
    path = tmp_path / "app.pem"
    path.write_text(pem)
    app = GitHubApp.from_env({APP_ID_VAR: "7", PRIVATE_KEY_FILE_VAR: str(path)}, clock=fake_time.clock)
    assert app.app_id == 7


def test_a_key_with_escaped_newlines_is_read(pem, fake_time):
    app = GitHubApp.from_env({APP_ID_VAR: "7", PRIVATE_KEY_VAR: pem.replace("\n", "\\n")}, clock=fake_time.clock)
    assert app.jwt().reveal().count(".") == 2


def test_a_missing_app_id_names_the_variable(pem):
    with pytest.raises(GitHubAppConfigError, match=APP_ID_VAR):
        GitHubApp.from_env({PRIVATE_KEY_VAR: pem})


def test_an_app_id_that_is_not_a_number_is_refused(pem):
    with pytest.raises(GitHubAppConfigError, match="numeric App ID"):
        GitHubApp.from_env({APP_ID_VAR: "Iv1.abc", PRIVATE_KEY_VAR: pem})


def test_a_missing_key_names_both_variables():
    with pytest.raises(GitHubAppConfigError, match=f"{PRIVATE_KEY_VAR}.*{PRIVATE_KEY_FILE_VAR}"):
        GitHubApp.from_env({APP_ID_VAR: "7"})


def test_an_unreadable_key_is_one_line_without_the_key():
    garbage = "-----BEGIN RSA PRIVATE KEY-----\nTm90QUtleUF0QWxsU2VjcmV0TGluZQ==\n-----END RSA PRIVATE KEY-----"
    with pytest.raises(GitHubAppConfigError) as caught:
        GitHubApp.from_env({APP_ID_VAR: "7", PRIVATE_KEY_VAR: garbage})
    message = str(caught.value)
    assert "\n" not in message and "Tm90QUtleUF0" not in message and PRIVATE_KEY_VAR in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_key_that_is_not_rsa_is_refused():
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(GitHubAppConfigError, match="not an RSA private key"):
        GitHubApp.from_env({APP_ID_VAR: "7", PRIVATE_KEY_VAR: other.decode()})


def test_a_key_file_that_cannot_be_read_names_the_variable(tmp_path):
    with pytest.raises(GitHubAppConfigError, match=PRIVATE_KEY_FILE_VAR):
        GitHubApp.from_env({APP_ID_VAR: "7", PRIVATE_KEY_FILE_VAR: str(tmp_path / "absent.pem")})


def test_key_text_and_key_file_together_are_refused(pem, tmp_path):
    with pytest.raises(GitHubAppConfigError, match="only one"):
        GitHubApp.from_env({APP_ID_VAR: "7", PRIVATE_KEY_VAR: pem, PRIVATE_KEY_FILE_VAR: str(tmp_path / "k.pem")})


# -- installations --------------------------------------------------------------------------------------


def test_the_installation_is_found_then_exchanged_for_a_token(app, github, make_client):
    fake, server = github(acme=OrgState(installation_id=42))
    install(app, make_client(), server, "acme")
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/orgs/acme/installation"),
        ("POST", "/app/installations/42/access_tokens"),
    ]


def test_the_lookup_and_the_exchange_carry_a_jwt_github_accepts(app, github, make_client):
    fake, server = github(acme=OrgState(installation_id=42))
    install(app, make_client(), server, "acme")
    assert [claims["iss"] for claims in fake.jwt_claims] == [str(APP_ID), str(APP_ID)]


def test_the_installation_api_sends_the_installation_token(app, github, make_client):
    fake, server = github(acme=OrgState(installation_id=42, members=["alice"]))

    async def run():
        async with make_client() as client:
            api = await app.installation_api(client, server.url, "acme")
            return await api.get("/orgs/acme/members")

    assert asyncio.run(run()).status_code == 200
    assert server.requests[-1].authorization.removeprefix("Bearer ") in fake.issued


def test_the_installation_token_is_a_registered_secret(app, github, make_client):
    fake, server = github(acme=OrgState())
    install(app, make_client(), server, "acme")
    (token,) = fake.issued
    assert scrub(token) == REDACTED


def test_the_installations_permissions_are_kept(app, github, make_client):
    fake, server = github(acme=OrgState(app_permissions={"organization_personal_access_tokens": "read"}))
    installation = install(app, make_client(), server, "acme")
    assert dict(installation.permissions) == {"organization_personal_access_tokens": "read"}


def test_the_installation_token_is_reused_while_it_lives(app, github, make_client):
    fake, server = github(acme=OrgState())

    async def run():
        async with make_client() as client:
            await app.installation(client, server.url, "acme")
            await app.installation(client, server.url, "acme")

    asyncio.run(run())
    assert len(server.requests) == 2


def test_the_installation_token_is_exchanged_again_shortly_before_it_expires(app, github, make_client, fake_time):
    fake, server = github(acme=OrgState())

    async def run():
        async with make_client(run_time_limit=None) as client:
            await app.installation(client, server.url, "acme")
            fake_time.now += 3600 - 299
            await app.installation(client, server.url, "acme")

    asyncio.run(run())
    assert len(fake.issued) == 2


def test_concurrent_readers_of_one_org_share_one_exchange(app, github, make_client):
    fake, server = github(acme=OrgState())

    async def run():
        async with make_client() as client:
            await asyncio.gather(*(app.installation(client, server.url, "acme") for _ in range(5)))

    asyncio.run(run())
    assert len(fake.issued) == 1


def test_an_org_without_the_app_is_refused_with_its_name(app, github, make_client):
    fake, server = github(acme=OrgState(installation_id=None))
    with pytest.raises(AppAccessError, match="not installed on the organization acme"):
        install(app, make_client(), server, "acme")


def test_an_org_without_the_app_leaves_the_others_readable(app, github, make_client):
    fake, server = github(acme=OrgState(installation_id=None), beta=OrgState(installation_id=7))

    async def run():
        async with make_client() as client:
            outcomes = await asyncio.gather(
                app.installation(client, server.url, "acme"),
                app.installation(client, server.url, "beta"),
                return_exceptions=True,
            )
            return outcomes

    refused, beta = asyncio.run(run())
    assert isinstance(refused, AppAccessError) and beta.id == 7


def test_a_refusal_is_not_asked_again_in_the_same_run(app, github, make_client):
    fake, server = github(acme=OrgState(installation_id=None))

    async def run():
        async with make_client() as client:
            for _ in range(3):
                with pytest.raises(AppAccessError):
                    await app.installation(client, server.url, "acme")

    asyncio.run(run())
    assert len(server.requests) == 1


def test_a_suspended_installation_says_so(app, github, make_client):
    fake, server = github(acme=OrgState(suspended_at="2026-11-01T00:00:00Z"))
    with pytest.raises(AppAccessError, match="suspended"):
        install(app, make_client(), server, "acme")


def test_a_jwt_github_rejects_points_at_the_app_id_and_the_clock(pem, github, make_client, fake_time):
    fake, server = github(acme=OrgState())
    stranger = GitHubApp.from_env({APP_ID_VAR: "99", PRIVATE_KEY_VAR: pem}, clock=fake_time.clock)
    with pytest.raises(AppAccessError, match=f"HTTP 401.*{APP_ID_VAR}.*clock"):
        install(stranger, make_client(), server, "acme")


def test_refusals_are_api_errors_a_reader_turns_into_a_failed_source(app, github, make_client):
    fake, server = github()
    with pytest.raises(ApiError):
        install(app, make_client(), server, "acme")


def test_no_credential_reaches_the_log(app, github, make_client, caplog):
    fake, server = github(acme=OrgState())
    with caplog.at_level(logging.DEBUG):
        install(app, make_client(), server, "acme")
    (token,) = fake.issued
    assert token not in caplog.text and app.jwt().reveal() not in caplog.text
