"""Provider resource inputs → :class:`~scm_access.rules.facts.CredentialFacts`, so the CrossGuard pack judges
a resource with the very rules `scm-access plan` applies to a slot.

Inputs arrive as the engine sends them to analyzers: camelCase keys, secrets already unwrapped. Python
policy packs cannot tell a secret input from a plain one, so "no plaintext secret" is judged on what they
can see: whether the credential-bearing property is declared a secret output (``additional_secret_outputs``,
which keeps it encrypted in state) and whether a variable is marked secret on the platform itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from scm_access.declarations.kinds import CredentialKind, Platform
from scm_access.platforms import all_platforms
from scm_access.platforms.gitlab.provision import least_access_level
from scm_access.rules.facts import CredentialFacts

PLAINTEXT_RULE = "plaintext_secret"

TOKEN_KINDS: dict[str, CredentialKind] = {
    "gitlab:index/projectAccessToken:ProjectAccessToken": CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN,
    "gitlab:index/groupAccessToken:GroupAccessToken": CredentialKind.GITLAB_GROUP_ACCESS_TOKEN,
    "gitlab:index/groupServiceAccountAccessToken:GroupServiceAccountAccessToken":
        CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN,
    "gitlab:index/personalAccessToken:PersonalAccessToken": CredentialKind.GITLAB_PAT,
    "gitlab:index/projectDeployToken:ProjectDeployToken": CredentialKind.GITLAB_DEPLOY_TOKEN,
    "gitlab:index/groupDeployToken:GroupDeployToken": CredentialKind.GITLAB_DEPLOY_TOKEN,
    "gitlab:index/deployToken:DeployToken": CredentialKind.GITLAB_DEPLOY_TOKEN,
}
DEPLOY_KEY = "github:index/repositoryDeployKey:RepositoryDeployKey"

# Tokens that carry a role besides their scopes; GitLab's default role is Maintainer.
_ROLE_DEFAULT = {
    CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN: "maintainer",
    CredentialKind.GITLAB_GROUP_ACCESS_TOKEN: "maintainer",
}

# Resources that hold a credential in a property the provider does not keep secret by itself.
SECRET_PROPERTIES: dict[str, tuple[Platform, tuple[str, ...]]] = {
    "azuredevops:index/serviceEndpointGitHub:ServiceEndpointGitHub": (Platform.AZURE_DEVOPS, ("authPersonal",)),
    "azuredevops:index/serviceEndpointGitHubEnterprise:ServiceEndpointGitHubEnterprise": (
        Platform.AZURE_DEVOPS, ("authPersonal",)),
    "azuredevops:index/serviceEndpointGenericGit:ServiceEndpointGenericGit": (Platform.AZURE_DEVOPS, ("password",)),
    "azuredevops:index/serviceEndpointBitBucket:ServiceEndpointBitBucket": (Platform.AZURE_DEVOPS, ("password",)),
    "azuredevops:index/serviceEndpointPipeline:ServiceEndpointPipeline": (Platform.AZURE_DEVOPS, ("authPersonal",)),
    "gitlab:index/projectVariable:ProjectVariable": (Platform.GITLAB, ("value",)),
    "gitlab:index/groupVariable:GroupVariable": (Platform.GITLAB, ("value",)),
}
VARIABLE_GROUP = "azuredevops:index/variableGroup:VariableGroup"

# The credential kind a store's platform stands in with: only the plaintext rule judges stores, and it
# does not look at the kind.
_STORE_KIND = {
    Platform.AZURE_DEVOPS: CredentialKind.AZURE_DEVOPS_SERVICE_CONNECTION,
    Platform.GITLAB: CredentialKind.GITLAB_DEPLOY_TOKEN,
}

_MARKER = re.compile(r"\[scm-access ([^\]]+)\]")
_CREDENTIAL_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|PAT\b|_KEY\b|^KEY\b|PRIVATE", re.IGNORECASE)

DeclaredLevel = Callable[[str], "str | None"]
"""Slot id → the access level its declaration needs (None when the slot is unknown)."""


@dataclass(frozen=True)
class ResourceFacts:
    facts: CredentialFacts
    rules: frozenset[str] | None = None
    """Codes of the rules that judge this resource; None for all rules that apply to provisioned ones."""
    slot: str | None = None
    """The declared slot the resource serves, from its marker."""


def slot_of(props: Mapping[str, Any]) -> str | None:
    for key in ("description", "title"):
        value = props.get(key)
        if isinstance(value, str):
            found = _MARKER.search(value)
            if found:
                return found.group(1)
    return None


def facts_for(
    resource_type: str,
    props: Mapping[str, Any],
    *,
    secret_outputs: Iterable[str] = (),
    today: date | None = None,
    declared_level: DeclaredLevel | None = None,
) -> ResourceFacts | None:
    """The facts for a credential-bearing resource; None for every other resource."""
    today = today or date.today()
    if resource_type in TOKEN_KINDS:
        return _token(TOKEN_KINDS[resource_type], props, today, declared_level)
    if resource_type == DEPLOY_KEY:
        writable = props.get("readOnly") is False
        return ResourceFacts(
            CredentialFacts(
                platform=Platform.GITHUB,
                kind=CredentialKind.GITHUB_DEPLOY_KEY,
                scopes=frozenset({"contents:write" if writable else "contents:read"}),
                holder_is_person=False,
            ),
            slot=slot_of(props),
        )
    if resource_type in SECRET_PROPERTIES:
        platform, properties = SECRET_PROPERTIES[resource_type]
        declared_secret = set(secret_outputs)
        plain = tuple(p for p in properties if props.get(p) not in (None, "", {}) and p not in declared_secret)
        ordinary = resource_type.startswith("gitlab:") and not _holds_credential(props.get("key"), props.get("value"))
        if ordinary:
            plain = ()  # an ordinary CI variable (a feature flag, a URL) need not be secret
        return _store(platform, plain, props)
    if resource_type == VARIABLE_GROUP:
        plain = tuple(
            f"variables[{i}].value"
            for i, variable in enumerate(props.get("variables") or [])
            if variable.get("value") and _holds_credential(variable.get("name"), variable.get("value"))
        )
        return _store(Platform.AZURE_DEVOPS, plain, props)
    return None


def _token(kind: CredentialKind, props: Mapping[str, Any], today: date,
           declared_level: DeclaredLevel | None) -> ResourceFacts:
    rotation = props.get("rotationConfiguration") or {}
    scopes = frozenset(props.get("scopes") or [])
    lifetime: int | None = None
    if rotation.get("expirationDays") is not None:
        lifetime = int(rotation["expirationDays"])
    elif props.get("expiresAt"):
        lifetime = (_date(props["expiresAt"]) - today).days
    level = props.get("accessLevel") or _ROLE_DEFAULT.get(kind)
    slot = slot_of(props)
    needed = None
    if level is not None:
        needed = (declared_level(slot) if declared_level and slot else None) or least_access_level(scopes)
    return ResourceFacts(
        CredentialFacts(
            platform=Platform.GITLAB,
            kind=kind,
            scopes=scopes,
            lifetime_days=lifetime,
            holder_is_person=kind == CredentialKind.GITLAB_PAT,
            rotation_days=int(rotation["rotateBeforeDays"]) if rotation.get("rotateBeforeDays") is not None else None,
            access_level=level,
            declared_access_level=needed,
        ),
        slot=slot,
    )


def _store(platform: Platform, plain: tuple[str, ...], props: Mapping[str, Any]) -> ResourceFacts:
    return ResourceFacts(
        CredentialFacts(
            platform=platform,
            kind=_STORE_KIND.get(platform, CredentialKind.AZURE_DEVOPS_SERVICE_CONNECTION),
            holder_is_person=False,
            plaintext_secret_fields=plain,
        ),
        rules=frozenset({PLAINTEXT_RULE}),
        slot=slot_of(props),
    )


def _holds_credential(name: Any, value: Any) -> bool:
    if isinstance(name, str) and _CREDENTIAL_NAME.search(name):
        return True
    if not isinstance(value, str):
        return False
    if "PRIVATE KEY-----" in value:
        return True
    return any(spec.recognize_token(value) is not None for spec in all_platforms())


def _date(value: str) -> date:
    text = str(value)
    if len(text) == 10:
        return date.fromisoformat(text)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).date()
