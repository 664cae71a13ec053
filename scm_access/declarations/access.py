"""The parts of a declaration every platform shares: who holds the credential, prerequisites, where the token
goes, and :class:`Access`, the base of each platform's entry (``scm_access/platforms/<p>/access.py``).

Structure is checked here (pydantic); meaning (scope names, lifetime against policy, duplicates) is checked
by :mod:`scm_access.validate`, which names the connection and the field in every message.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    HttpUrl,
    Tag,
    ValidationError,
    field_validator,
)

from scm_access.core.defaults import empty_list
from scm_access.core.kinds import CredentialKind
from scm_access.declarations import deferred
from scm_access.declarations.location import record_location

SLUG = r"^[a-z0-9][a-z0-9-]{0,62}$"


class DeclarationModel(BaseModel):
    """A part of a declaration: strict (unknown fields refused), frozen, and reported under its connection
    when the loader runs a file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def __init__(self, **data: Any) -> None:
        collector = deferred.active()
        # While the loader runs a file: validate the deferred models given here again, as part of this
        # one, and if this one fails keep going (the model holding it, or the loader, reports it).
        if collector is not None and collector.deferred:  # a model of this file failed so far
            data = deferred.claim_nested(data)
        try:
            # What BaseModel.__init__ does, without its frame and a second copy of the arguments (a large
            # project builds hundreds of thousands of models).
            self.__pydantic_validator__.validate_python(data, self_instance=self)
        except ValidationError as error:
            if collector is None:
                raise
            deferred.defer(self, data, error)

    # Models that pydantic builds inside another (from dicts) need none of the above: let it skip this
    # __init__ for them, as it does for its own (calling it there doubled the cost of a declaration).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


# -- who holds the credential ---------------------------------------------------------------------


class Person(DeclarationModel):
    """A named person who creates and holds a personal token."""

    name: Annotated[str, Field(pattern=SLUG, description="Identifier used in slot names and env variables.")]
    login: str | None = Field(None, description="Their user name on the platform; checked as the token owner.")
    email: str | None = Field(None, description="Account email (Bitbucket API tokens authenticate with it).")


class ServiceIdentity(DeclarationModel):
    """A non-human identity: the organisation mints and rotates its credential."""

    service: Annotated[str, Field(pattern=SLUG, description="Name of the service identity.")]
    origin_id: str | None = Field(
        None, description="Microsoft Entra object id of the service principal (Azure DevOps)."
    )
    login: str | None = Field(None, description="Machine user login, if the platform needs one.")
    email: str | None = Field(
        None, description="Account email of the machine user, where the platform authenticates with it (Bitbucket)."
    )


def _holder_tag(value: Any) -> str | None:
    if isinstance(value, ServiceIdentity) or (isinstance(value, dict) and "service" in value):
        return "service"
    if isinstance(value, list):
        return "people"
    return None


Holder = Annotated[
    Union[Annotated[list[Person], Tag("people")], Annotated[ServiceIdentity, Tag("service")]],
    Discriminator(
        _holder_tag,
        custom_error_type="holder",
        custom_error_message="give a list of people, [Person(...)], or one ServiceIdentity(...)",
    ),
]


# -- prerequisites --------------------------------------------------------------------------------


class SamlSsoAuthorization(DeclarationModel):
    """The token must be authorised for an organisation that enforces SAML single sign-on (GitHub)."""

    type: Literal["saml_sso"] = "saml_sso"
    org: str


class GroupMembership(DeclarationModel):
    """The holder must belong to a group, e.g. Azure DevOps 'Project Collection Administrators'."""

    type: Literal["group_membership"] = "group_membership"
    group: str


class PublicOrgMembership(DeclarationModel):
    """The holder's membership in the organisation must be public (GitHub)."""

    type: Literal["public_org_membership"] = "public_org_membership"
    org: str


class RepositoryPermission(DeclarationModel):
    """The holder must have at least this role on a repository."""

    type: Literal["repository_permission"] = "repository_permission"
    repository: str
    permission: Literal["read", "triage", "write", "maintain", "admin"] = "write"


Prerequisite = Annotated[
    Union[SamlSsoAuthorization, GroupMembership, PublicOrgMembership, RepositoryPermission],
    Field(discriminator="type"),
]


# -- where the token goes -------------------------------------------------------------------------


CredentialHeld = Literal["token", "ssh_key"]
"""What a delivery takes. A deploy key is planned on its own only where an SSH key goes."""


class IntegrationField(DeclarationModel):
    """The person pastes the token into a form of the integration itself."""

    type: Literal["integration_field"] = "integration_field"
    location: str = Field(description="Where the form is, as the integration's guide names it.")
    field: str = Field(description="The form field that takes the token.")
    steps: list[str] = Field(default_factory=empty_list, description="The guide's own steps to reach the form.")
    holds: CredentialHeld | None = Field(
        None, description="What the field takes: 'token' (the default reading) or 'ssh_key' (a private key)."
    )


class SecretStore(DeclarationModel):
    """The credential is written into a secret store the integration reads."""

    type: Literal["secret_store"] = "secret_store"
    store: Literal[
        "github_actions_secret",
        "gitlab_ci_variable",
        "azure_devops_variable_group",
        "azure_devops_service_connection",
        "external",
    ] = Field(
        description="Where the credential goes; azure_devops_service_connection is an Azure DevOps GitHub"
        " service connection, for a GitHub token."
    )
    name: str = Field(description="Secret or variable name (the service connection's name).")
    repository: str | None = Field(
        None, description="Repository holding the secret (GitHub, GitLab), or the Azure DevOps project."
    )
    holds: CredentialHeld | None = Field(
        None, description="What the secret holds: 'token' (the default reading) or 'ssh_key' (a private key)."
    )


Delivery = Annotated[Union[IntegrationField, SecretStore], Field(discriminator="type")]


# -- per-platform needs ---------------------------------------------------------------------------


class Access(DeclarationModel):
    """One platform's entry in a connection. Each platform folder's ``access.py`` subclasses it with a literal
    ``platform`` (its folder name) and the resources it names (an org, a group, a workspace...)."""

    scopes: list[str] = Field(
        description="Scope strings or UI labels the integration needs (labels are resolved to strings)."
    )
    holder: Holder = Field(description="Named people, or one service identity.")
    kind: CredentialKind | None = Field(
        None, description="Credential kind wanted; chosen by the planner when omitted."
    )
    max_lifetime_days: int | Literal["longest"] = Field(
        90,
        description="Longest lifetime acceptable for the integration; 'longest' means the policy maximum.",
    )
    prerequisites: list[Prerequisite] = Field(default_factory=empty_list)
    delivery: Delivery | None = None
    base_url: HttpUrl | None = Field(
        None, description="Web root of a self-hosted instance; the cloud service when omitted."
    )
    guide_asked_for: list[str] = Field(
        default_factory=empty_list,
        description="What the integration's guide asks for where this entry declares something else (a retired"
        " credential kind, a broader scope such as 'Full access'): the instructions say why it was replaced.",
    )
    platform: str = Field(description="The platform this entry is for: its folder's name, fixed by each subclass.")

    def model_post_init(self, context: Any) -> None:
        record_location(self)  # reviews point at the entry's line

    @field_validator("holder", mode="before")
    @classmethod
    def _people_from_names(cls, value: Any) -> Any:
        if type(value) is list and all(type(v) is Person for v in value):
            return value  # the usual declaration: nothing to convert, nothing to refuse
        if isinstance(value, str):
            value = [value]
        if isinstance(value, Person) or (isinstance(value, dict) and "name" in value):
            raise ValueError("people go in a list: write holder=[Person(...)]")
        if isinstance(value, list):
            if any(isinstance(v, ServiceIdentity) or (isinstance(v, dict) and "service" in v) for v in value):
                raise ValueError(
                    "a service identity holds the credential alone, not in a list:"
                    " write holder=ServiceIdentity(...)"
                )
            return [{"name": v, "login": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("base_url")
    @classmethod
    def _credentials_travel_encrypted(cls, value: HttpUrl | None) -> HttpUrl | None:
        if value is not None and value.scheme != "https" and not _is_loopback(value.host or ""):
            raise ValueError(
                f"{value.scheme}:// would send the token in clear text: use https://"
                " (plain http is allowed only for a loopback address, in tests)"
            )
        return value

    @field_validator("max_lifetime_days", mode="before")
    @classmethod
    def _whole_days_or_longest(cls, value: Any) -> Any:
        # Strict: True would otherwise count as 1 day, "90" or 90.5 as 90.
        if isinstance(value, bool) or not (isinstance(value, int) or value == "longest"):
            raise ValueError(f"give a whole number of days or 'longest', not {value!r}")
        return value

    @field_validator("max_lifetime_days")
    @classmethod
    def _positive(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 1:
            raise ValueError("must be at least 1 day")
        return value

    @field_validator("holder")
    @classmethod
    def _someone_holds_it(cls, value: Holder) -> Holder:
        if isinstance(value, list):
            if not value:
                raise ValueError("name at least one person, or a service identity")
            names = [p.name for p in value]
            duplicate = len(set(names)) < len(names) and next((n for n in names if names.count(n) > 1), None)
            if duplicate:
                raise ValueError(f"person {duplicate!r} is listed twice")
        return value

    @property
    def people(self) -> list[Person]:
        return self.holder if isinstance(self.holder, list) else []

    @property
    def service(self) -> ServiceIdentity | None:
        return self.holder if isinstance(self.holder, ServiceIdentity) else None


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name, not an address
        return False
