"""GitLab provisioner: org-managed tokens through pulumi-gitlab.

- group or project access token, with ``rotation_configuration`` so `pulumi up` rotates it before expiry;
- group service account + its token (+ memberships that give it the declared role), when the policy
  prefers service accounts;
- deploy token, where the need is read-only repository or registry pulls (deploy tokens cannot rotate:
  they get an expiry date instead).

Also the manual equivalent of each, for stacks without GitLab credentials, and a CI/CD variable as a
delivery target.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import pulumi
import pulumi_gitlab as gitlab

from scm_access.platforms.gitlab.access import GitLabAccess
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.instruct.model import Step
from scm_access.plan.generations import rotation_window
from scm_access.plan.slot import Slot
from scm_access.platforms.gitlab.roles import least_access_level
from scm_access.provision.findings import observed_finding
from scm_access.provision.model import (
    CannotProvision,
    Credential,
    ProvisionContext,
    Provisioned,
    generation,
    secret_text,
    slot_marker,
)
from scm_access.provision.provisioner import Delivery, Provisioner, ResourceInput
from scm_access.provision.resource_facts import (
    DeclaredLevel,
    ResourceFacts,
    date_of,
    holds_credential,
    plain_properties,
    slot_of,
    store_facts,
)
from scm_access.provision.settings import ConfigSource, PlatformSettings, api_root, without_suffix
from scm_access.rules.facts import CredentialFacts

DESCRIPTION_LIMIT = 255


def gitlab_access(slot: Slot) -> GitLabAccess:
    """The slot's declaration; a GitLab slot always has one (anything else is a bug in the planner)."""
    if not isinstance(slot.access, GitLabAccess):
        raise TypeError(f"{slot.id}: a GitLab slot planned from a {type(slot.access).__name__}")
    return slot.access


def access_level(slot: Slot) -> str:
    return gitlab_access(slot).access_level or least_access_level(slot.scopes)


def description(slot: Slot) -> str:
    marker = slot_marker(slot)
    room = DESCRIPTION_LIMIT - len(marker) - 1
    purpose = slot.purpose if len(slot.purpose) <= room else slot.purpose[: room - 1] + "…"
    return f"{purpose} {marker}"


def rotation(slot: Slot, rotate_before_days: int) -> tuple[int, int]:
    """(expiration_days, rotate_before_days) of a token's rotation configuration.

    GitLab rotates only inside the window, so the window must be shorter than the lifetime."""
    return slot.lifetime_days, max(1, min(rotate_before_days, slot.lifetime_days - 1))


def deploy_token_generation(slot: Slot, rotate_before_days: int, today: date) -> tuple[date, date]:
    """Deploy tokens cannot rotate: (the day the current generation started, its token's expiry). The expiry
    comes from the generation, so it stays the same between runs; a new generation starts
    ``rotate_before_days`` before it, and the `pulumi up` after that replaces the token. It never lies
    further ahead than the slot's lifetime."""
    period = slot.lifetime_days - rotation_window(slot, rotate_before_days)
    _, started = generation(today, period)
    return started, started + timedelta(days=slot.lifetime_days)


def deploy_token_expiry(slot: Slot, rotate_before_days: int, today: date) -> date:
    return deploy_token_generation(slot, rotate_before_days, today)[1]


def group_page(web: str, group: str | int, settings: str) -> str:
    """A group's settings page; for a group declared by ID, GitLab's redirect to that group (the settings
    are one click away: web routes take a path, not an ID)."""
    if isinstance(group, int):
        return f"{web}/-/g/{group}"
    return f"{web}/groups/{group}/-/{settings}"


def group_label(group: str | int) -> str:
    return f"with ID **{group}**" if isinstance(group, int) else f"**{group}**"


def _observed(
    token: pulumi.CustomResource, target: str | None = None, owner: pulumi.Output[str] | None = None
) -> pulumi.Output[dict]:
    """What the provider reports about a token after apply, for its finding."""
    return pulumi.Output.all(
        scopes=token.scopes,  # type: ignore[attr-defined]
        expires_at=token.expires_at,  # type: ignore[attr-defined]
        active=getattr(token, "active", None),
        revoked=token.revoked,  # type: ignore[attr-defined]
        owner=owner,
    ).apply(lambda facts: {**facts, "target": target})


# -- stack settings -------------------------------------------------------------------------------

CLOUD_API = "https://gitlab.com/api/v4/"


def api_url(value: str | None) -> str:
    """``https://host/api/v4/``: the GitLab provider needs the trailing slash."""
    return api_root(value, "/api/v4") if value else CLOUD_API


# -- what the policy pack reads -------------------------------------------------------------------

TOKEN_KINDS: dict[str, CredentialKind] = {
    resource_type: kind for kind in Platform.GITLAB.kinds for resource_type in kind.spec.pulumi_resource_types
}
VARIABLES = ("gitlab:index/projectVariable:ProjectVariable", "gitlab:index/groupVariable:GroupVariable")

# Tokens that carry a role besides their scopes; GitLab's default role is Maintainer.
_ROLE_DEFAULT = {
    CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN: "maintainer",
    CredentialKind.GITLAB_GROUP_ACCESS_TOKEN: "maintainer",
}


def token_facts(kind: CredentialKind, props: Mapping[str, Any], today: date,
                declared_level: DeclaredLevel | None) -> ResourceFacts:
    rotation_config = props.get("rotationConfiguration") or {}
    scopes = frozenset(props.get("scopes") or [])
    lifetime: int | None = None
    if rotation_config.get("expirationDays") is not None:
        lifetime = int(rotation_config["expirationDays"])
    elif props.get("expiresAt"):
        lifetime = (date_of(props["expiresAt"]) - today).days
    level = props.get("accessLevel") or _ROLE_DEFAULT.get(kind)
    slot = slot_of(props)
    needed = None
    if level is not None:
        needed = (declared_level(slot) if declared_level and slot else None) or least_access_level(scopes)
    rotate_before = rotation_config.get("rotateBeforeDays")
    return ResourceFacts(
        CredentialFacts(
            platform=Platform.GITLAB,
            kind=kind,
            scopes=scopes,
            lifetime_days=lifetime,
            holder_is_person=kind.is_personal,
            rotation_days=int(rotate_before) if rotate_before is not None else None,
            access_level=level,
            declared_access_level=needed,
        ),
    )


# -- the interface --------------------------------------------------------------------------------


class GitLabProvisioner(Provisioner):
    platform = Platform.GITLAB
    provider_package = "gitlab"
    how_to_enable = (
        "set GITLAB_TOKEN, or `pulumi config set --secret gitlab:token` (it reads the token from standard"
        " input), to an `api` token of a group Owner; for self-managed GitLab also `pulumi config set"
        " scm-access:gitlabBaseUrl https://HOST/api/v4/`"
    )

    # -- configuration ---------------------------------------------------------------------------

    def read_settings(self, source: ConfigSource, requested: bool) -> PlatformSettings:
        return PlatformSettings(
            Platform.GITLAB,
            requested,
            source.secret(("gitlab", "token"), "GITLAB_TOKEN"),
            api_url(source.text("gitlabBaseUrl", ("gitlab", "baseUrl"), "GITLAB_BASE_URL")),
            source.text("gitlabGroup"),
        )

    def configured_web_url(self, endpoint: str) -> str:
        return without_suffix(endpoint, "/api/v4")

    def new_provider(self, key: str, settings: PlatformSettings) -> pulumi.ProviderResource:
        return gitlab.Provider("gitlab", base_url=settings.endpoint, token=settings.token)

    # -- making credentials ----------------------------------------------------------------------

    def provision(self, slot: Slot, ctx: ProvisionContext) -> Provisioned:
        access = gitlab_access(slot)
        projects = list(access.projects)
        group = self._group(slot, access, ctx.default_owner)
        kind = slot.kind
        if kind == CredentialKind.GITLAB_DEPLOY_TOKEN:
            return self._deploy_tokens(slot, ctx, group, projects)
        if kind == CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN:
            if group is None:
                raise CannotProvision("a GitLab service account needs a group (its top-level group owns it)")
            return self._service_account(slot, ctx, group, projects)
        if kind == CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN:
            if len(projects) != 1:
                raise CannotProvision("a project access token belongs to exactly one project")
            expiration_days, rotate_before_days = rotation(slot, ctx.policy.rotate_before_days)
            # With rotation_configuration the provider sets expires_at itself (today + expiration_days).
            project_token = gitlab.ProjectAccessToken(
                self.resource_name(slot, "token"),
                project=projects[0],
                name=slot.token_name,
                description=description(slot),
                scopes=list(slot.scopes),
                access_level=access_level(slot),
                rotation_configuration={
                    "expiration_days": expiration_days, "rotate_before_days": rotate_before_days
                },
                opts=ctx.opts(),
            )
            return self._access_token(slot, ctx, project_token)
        if kind == CredentialKind.GITLAB_GROUP_ACCESS_TOKEN:
            if group is None:
                raise CannotProvision("a group access token needs a group")
            expiration_days, rotate_before_days = rotation(slot, ctx.policy.rotate_before_days)
            group_token = gitlab.GroupAccessToken(
                self.resource_name(slot, "token"),
                group=str(group),
                name=slot.token_name,
                description=description(slot),
                scopes=list(slot.scopes),
                access_level=access_level(slot),
                rotation_configuration={
                    "expiration_days": expiration_days, "rotate_before_days": rotate_before_days
                },
                opts=ctx.opts(),
            )
            return self._access_token(slot, ctx, group_token)
        raise CannotProvision(f"GitLab cannot provision a {kind.label}")

    def _access_token(
        self,
        slot: Slot,
        ctx: ProvisionContext,
        token: gitlab.ProjectAccessToken | gitlab.GroupAccessToken,
    ) -> Provisioned:
        return Provisioned(
            resources=[token],
            credentials=[Credential("token", token.token)],
            finding=observed_finding(
                slot, [_observed(token)], policy=ctx.policy, today=ctx.today, required=("scopes", "expires_at")
            ),
            details={"access_level": access_level(slot)},
        )

    def _service_account(
        self, slot: Slot, ctx: ProvisionContext, group: str | int, projects: list[str]
    ) -> Provisioned:
        top_level = self._top_level_group(group, ctx)
        account = gitlab.GroupServiceAccount(
            self.resource_name(slot, "service-account"),
            group=top_level,
            name=slot.holder,
            opts=ctx.opts(),
        )
        user_id = account.service_account_id.apply(int)
        level = access_level(slot)
        # A service account reaches nothing until it is a member; the membership carries the role.
        memberships: list[pulumi.CustomResource] = [
            gitlab.ProjectMembership(
                self.resource_name(slot, "member", project),
                project=project,
                user_id=user_id,
                access_level=level,
                opts=ctx.opts(),
            )
            for project in projects
        ]
        if not projects:
            memberships.append(
                gitlab.GroupMembership(
                    self.resource_name(slot, "member"),
                    group_id=self._group_id(group, ctx),
                    user_id=user_id,
                    access_level=level,
                    opts=ctx.opts(),
                )
            )
        expiration_days, rotate_before_days = rotation(slot, ctx.policy.rotate_before_days)
        token = gitlab.GroupServiceAccountAccessToken(
            self.resource_name(slot, "token"),
            group=top_level,
            user_id=user_id,
            name=slot.token_name,
            description=description(slot),
            scopes=list(slot.scopes),
            rotation_configuration={"expiration_days": expiration_days, "rotate_before_days": rotate_before_days},
            opts=ctx.opts(),
        )
        return Provisioned(
            resources=[account, *memberships, token],
            credentials=[Credential("token", token.token, username=account.username)],
            finding=observed_finding(
                slot,
                [_observed(token, owner=account.username)],
                policy=ctx.policy,
                today=ctx.today,
                required=("scopes", "expires_at"),
            ),
            details={"service_account": account.username, "access_level": level},
        )

    def _deploy_tokens(
        self, slot: Slot, ctx: ProvisionContext, group: str | int | None, projects: list[str]
    ) -> Provisioned:
        started, expiry = deploy_token_generation(slot, ctx.policy.rotate_before_days, ctx.today)
        expires_at = f"{expiry.isoformat()}T00:00:00Z"
        tokens: list[tuple[str, gitlab.GroupDeployToken | gitlab.ProjectDeployToken]] = []
        if group is not None:
            tokens.append(
                (
                    str(group),
                    gitlab.GroupDeployToken(
                        self.resource_name(slot, "deploy-token"),
                        group=str(group),
                        name=slot.token_name,
                        scopes=list(slot.scopes),
                        expires_at=expires_at,
                        opts=ctx.replaceable_opts(started),
                    ),
                )
            )
        else:
            tokens += [
                (
                    project,
                    gitlab.ProjectDeployToken(
                        self.resource_name(slot, "deploy-token", project),
                        project=project,
                        name=slot.token_name,
                        scopes=list(slot.scopes),
                        expires_at=expires_at,
                        opts=ctx.replaceable_opts(started),
                    ),
                )
                for project in projects
            ]
        if not tokens:
            raise CannotProvision("a deploy token belongs to a project or a group: name one")
        several = len(tokens) > 1
        return Provisioned(
            resources=[t for _, t in tokens],
            credentials=[
                Credential("token", t.token, username=t.username, target=where if several else None)
                for where, t in tokens
            ],
            finding=observed_finding(
                slot,
                [_observed(t, where) for where, t in tokens],
                policy=ctx.policy,
                today=ctx.today,
                required=("scopes",),
            ),
        )

    @staticmethod
    def _group(slot: Slot, access: GitLabAccess, default_group: str | None) -> str | int | None:
        """The group a slot's credential belongs to: the declared one; else the stack's default group
        where the declaration names no project, and always for a service account (its top-level group
        owns it)."""
        if access.group is not None:
            return access.group
        if not access.projects or slot.kind == CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN:
            return default_group
        return None

    @staticmethod
    def _group_id(group: str | int, ctx: ProvisionContext) -> pulumi.Input[int]:
        """The numeric ID the provider's membership resources want: as declared, or looked up by path."""
        if isinstance(group, int):
            return group
        found = gitlab.get_group_output(full_path=group, opts=ctx.invoke_opts())
        return found.group_id

    @staticmethod
    def _top_level_group(group: str | int, ctx: ProvisionContext) -> pulumi.Input[str]:
        """Service accounts belong to the top-level group: the path's first segment (looked up for an ID)."""
        if isinstance(group, str):
            return group.split("/")[0]
        found = gitlab.get_group_output(group_id=group, opts=ctx.invoke_opts())
        return found.full_path.apply(lambda path: path.split("/")[0])

    # -- by hand, when the stack cannot provision --------------------------------------------------

    def manual(self, slot: Slot, default_owner: str | None) -> tuple[str | None, list[Step]]:
        access = gitlab_access(slot)
        group = self._group(slot, access, default_owner)
        web = self.target_web_url(slot)
        link = self._manual_link(slot, web, group, access.projects)
        return link, self._manual_steps(slot, link, group, access.projects)

    @staticmethod
    def _manual_link(slot: Slot, web: str, group: str | int | None, projects: list[str]) -> str | None:
        if slot.kind == CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN and projects:
            return f"{web}/{projects[0]}/-/settings/access_tokens"
        if slot.kind == CredentialKind.GITLAB_GROUP_ACCESS_TOKEN and group:
            return group_page(web, group, "settings/access_tokens")
        if slot.kind == CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN and group:
            top = group.split("/")[0] if isinstance(group, str) else group
            return group_page(web, top, "settings/service_accounts")
        if slot.kind == CredentialKind.GITLAB_DEPLOY_TOKEN:
            if group:
                return group_page(web, group, "settings/repository#js-deploy-tokens")
            if projects:
                return f"{web}/{projects[0]}/-/settings/repository#js-deploy-tokens"
        return None

    @staticmethod
    def _manual_steps(slot: Slot, link: str | None, group: str | int | None, projects: list[str]) -> list[Step]:
        scopes = [f"`{s}`" for s in slot.scopes]
        expiry = slot.expires_at.isoformat()
        if slot.kind == CredentialKind.GITLAB_DEPLOY_TOKEN:
            where = f"group {group_label(group)}" if group else "project " + ", ".join(f"**{p}**" for p in projects)
            return [
                Step(text=f"Open the {where} → **Settings** → **Repository** → **Deploy tokens** → **Add token**.",
                     link=link),
                Step(text=f"**Name** `{slot.token_name}`, **Expiration date** **{expiry}**; tick only:", items=scopes),
                Step(text="Click **Create deploy token**; copy the user name and the token (shown once)."),
            ]
        if slot.kind == CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN:
            top = (
                f"**{group.split('/')[0]}**" if isinstance(group, str)
                else f"the top-level group of the group with ID **{group}**"
            )
            members_of = (
                ", ".join(f"**{p}**" for p in projects) if projects else f"the group {group_label(group or '')}"
            )
            return [
                Step(text=f"As an Owner of {top}: **Settings** → **Service accounts** → **Add service account**"
                     f" named `{slot.holder}`.", link=link),
                Step(text=f"Add it as a member with the role **{access_level(slot).capitalize()}** to {members_of}."),
                Step(text=f"On the service account, **Add new token**: name `{slot.token_name}`, expiry **{expiry}**,"
                     " scopes:", items=scopes),
                Step(text="Copy the token (shown once); set a reminder to rotate it before it expires."),
            ]
        target = (
            f"project **{projects[0]}**" if slot.kind == CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN and projects
            else f"group {group_label(group or '')}"
        )
        return [
            Step(text=f"Open the {target} → **Settings** → **Access tokens** → **Add new token**.", link=link),
            Step(text=f"**Token name** `{slot.token_name}`, **Description** `{description(slot)}`."),
            Step(text=f"**Expiration date** **{expiry}**; **Select a role** **{access_level(slot).capitalize()}**."),
            Step(text="Tick exactly these scopes:", items=scopes),
            Step(text="Click **Create token** and copy it: GitLab shows it only once. Rotate it before it expires."),
        ]

    # -- delivery ----------------------------------------------------------------------------------

    def deliver(self, delivery: Delivery) -> pulumi.Resource | str:
        """A protected CI/CD variable holding the credential. Key material cannot be masked, so it is a
        file variable instead; the provider does not mark ``value`` secret in state, the options here do."""
        provider, reason = delivery.provider_for(Platform.GITLAB, "")
        if provider is None:
            return reason
        if not delivery.store.repository:
            return "no project named"
        masked = not delivery.credential.multiline
        return gitlab.ProjectVariable(
            delivery.resource_name,
            project=delivery.store.repository,
            key=delivery.name,
            value=secret_text(delivery.credential.value),
            masked=masked,
            protected=True,
            raw=True,
            variable_type="env_var" if masked else "file",
            description=f"{delivery.slot.token_name} {slot_marker(delivery.slot)}"[:DESCRIPTION_LIMIT],
            opts=pulumi.ResourceOptions.merge(
                delivery.opts(provider), pulumi.ResourceOptions(additional_secret_outputs=["value"])
            ),
        )

    # -- policy pack -------------------------------------------------------------------------------

    def declared_level(self, slot: Slot) -> str | None:
        return access_level(slot)

    def resource_facts(self, resource: ResourceInput) -> ResourceFacts | None:
        resource_type, props = resource.type, resource.props
        if resource_type in TOKEN_KINDS:
            return token_facts(TOKEN_KINDS[resource_type], props, resource.today, resource.declared_level)
        if resource_type in VARIABLES:
            plain = plain_properties(props, ("value",), resource.secret_outputs)
            if plain and not holds_credential(props.get("key"), props.get("value")):
                plain = ()  # an ordinary CI variable (a feature flag, a URL) need not be secret
            # Stores stand in with a kind of their platform: only the plaintext rule judges them.
            return store_facts(Platform.GITLAB, CredentialKind.GITLAB_DEPLOY_TOKEN, plain, props)
        return None


PROVISIONER = GitLabProvisioner()
