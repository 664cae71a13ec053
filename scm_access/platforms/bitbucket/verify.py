"""Verify a Bitbucket Cloud credential in hand: an API token (or a legacy app password).

``GET /2.0/user`` with HTTP Basic authentication: the Atlassian account email and the API token (app
passwords used the Bitbucket username instead). A 401 means the pair was refused; a 403 means the token
authenticated but lacks ``read:user:bitbucket``, so the account's username cannot be read.

Bitbucket shows neither an API token's scopes nor its expiry to the token itself, so those stay
unobservable and the finding is never ``ok`` from the token alone.

App passwords stopped working on 2026-07-28: from that day on, a slot declared as an app password is
reported as the wrong kind of token, with the steps to create an API token, and the password is not sent.
"""

from __future__ import annotations

import base64
from datetime import date

from scm_access.core.kinds import CredentialKind
from scm_access.http import read_json
from scm_access.judge import Fact, Finding, Observation, Problem, ProblemCode
from scm_access.judge.finding import RemediationStep
from scm_access.judge.remediation import as_remediation, sentence
from scm_access.plan.slot import Slot
from scm_access.platforms.bitbucket.spec import SPEC
from scm_access.platforms.bitbucket.responses import parse_user
from scm_access.platforms.bitbucket.scopes import CATALOG
from scm_access.verify.context import VerifyContext

CLOUD_API = "https://api.bitbucket.org"
API_VERSION_PATH = "/2.0"
APP_PASSWORDS_REMOVED = date(2026, 7, 28)
SCOPES_UNOBSERVABLE = (
    "scopes: Bitbucket does not show an API token's scopes to the token; the owner sees them on the"
    " Atlassian account page (id.atlassian.com > Security > API tokens)"
)
EXPIRY_UNOBSERVABLE = (
    "expiry: shown only on the owner's Atlassian account page (id.atlassian.com > Security > API tokens)"
)


def api_root(slot: Slot) -> str:
    return with_api_version(CLOUD_API)


def with_api_version(root: str) -> str:
    root = root.rstrip("/")
    return root if root.endswith(API_VERSION_PATH) else root + API_VERSION_PATH


def basic_user(slot: Slot) -> str | None:
    """Who the credential authenticates as: the account email for an API token, the Bitbucket username
    for an app password; None when the declaration does not name it."""
    if slot.kind == CredentialKind.BITBUCKET_APP_PASSWORD:
        return slot.holder_login
    person = next((p for p in slot.access.people if p.name == slot.holder), None)
    if person is not None and person.email:
        return person.email
    service = slot.access.service
    if service is not None and service.email:
        return service.email
    if slot.holder_login and "@" in slot.holder_login:
        return slot.holder_login
    return None


async def verify(ctx: VerifyContext) -> Finding:
    slot = ctx.slot
    obs = Observation()
    app_password = slot.kind == CredentialKind.BITBUCKET_APP_PASSWORD
    if app_password:
        obs.problems.append(_app_password_problem(slot, ctx.now.date()))
        if ctx.now.date() >= APP_PASSWORDS_REMOVED:
            # Nothing to learn from sending a credential Bitbucket no longer accepts.
            obs.problems.append(
                Problem(
                    code=ProblemCode.INVALID_TOKEN,
                    detail="Bitbucket no longer accepts app passwords (since 2026-07-28)",
                    remediation=["Replace it with an API token, as the wrong_token_kind remediation says."],
                )
            )
            return ctx.conclude(obs)

    user = basic_user(slot)
    if user is None:
        obs.add(
            ProblemCode.NOT_OBSERVABLE,
            f"a Bitbucket API token authenticates with the Atlassian account email, and the declaration names"
            f" none for {slot.holder!r}: add `email` to the person or the service identity",
        )
        return ctx.conclude(obs)

    credential = base64.b64encode(f"{user}:{ctx.token.reveal()}".encode()).decode()
    api = ctx.api({"Authorization": ctx.token.derive(f"Basic {credential}")}, with_api_version(ctx.api_root))
    response = await api.get("user")
    if response.status_code == 401:
        obs.add(
            ProblemCode.INVALID_TOKEN,
            f"Bitbucket refused {user} with this token (HTTP 401): the token is wrong, expired or revoked,"
            " or it belongs to another account",
        )
        return ctx.conclude(obs)

    # Authenticated: an email only works with an API token, a username only with an app password.
    obs.kind = CredentialKind.BITBUCKET_APP_PASSWORD if app_password else CredentialKind.BITBUCKET_API_TOKEN
    if response.status_code == 200:
        account = parse_user(read_json(response))
        obs.owner_login = account.username
        if account.username is None:
            obs.add(ProblemCode.NOT_OBSERVABLE, "owner: Bitbucket did not send the account's username")
    elif response.status_code == 403:
        obs.cannot_show(
            f"owner's username: GET /2.0/user needs read:user:bitbucket; the token did authenticate as {user}",
            Fact.OWNER,
        )
    else:
        obs.add(ProblemCode.API_ERROR, f"Bitbucket answered HTTP {response.status_code} for /2.0/user")
        return ctx.conclude(obs)

    obs.cannot_show(SCOPES_UNOBSERVABLE, Fact.SCOPES)
    obs.cannot_show(EXPIRY_UNOBSERVABLE, Fact.EXPIRY)
    return ctx.conclude(obs)


def _app_password_problem(slot: Slot, today: date) -> Problem:
    removed = today >= APP_PASSWORDS_REMOVED
    when = "stopped working on 2026-07-28" if removed else "stop working on 2026-07-28"
    # The scope step would list app-password scopes: name their API-token replacements instead.
    steps = [step for step in SPEC.instruction_steps(slot, slot.token_name, None) if not step.items]
    replacements = [
        f"{scope}: {CATALOG[scope].deprecated}" if scope in CATALOG and CATALOG[scope].deprecated else scope
        for scope in slot.scopes
    ]
    return Problem(
        code=ProblemCode.WRONG_TOKEN_KIND,
        detail=f"this is a Bitbucket app password; app passwords {when}: an API token is needed",
        remediation=[
            sentence("Create a Bitbucket API token instead, and declare the slot as kind bitbucket_api_token:"),
            *[as_remediation(step) for step in steps],
            RemediationStep(text="Tick these scopes in place of the app-password ones:", items=replacements),
        ],
    )
