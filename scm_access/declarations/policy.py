"""The organisation's credential rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from scm_access.core.defaults import empty_dict
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.location import record_location


DeliverableProblem = Literal[
    "expires_soon", "expires_too_late", "no_expiry", "excess_scope", "membership_not_public", "not_observable"
]
"""Problems of a token that still works as declared. Those that mean it does not (invalid, expired, revoked,
missing scopes, wrong owner, no SSO authorisation) or that nothing was concluded (API error, rate limit) can
never let a token through."""
_DELIVERABLE_BY_DEFAULT: list[DeliverableProblem] = ["expires_soon"]

TokenRequestReview = Literal["off", "advise", "enforce"]
"""What scm-access does with pending fine-grained token requests: ``off`` reads none; ``advise`` decides
each and shows the decisions (nothing is sent); ``enforce`` also sends them when a run is told to apply."""

RevocationCause = Literal["undeclared", "expired", "holder_departed", "excess_scope"]
"""Why a credential the inventory found may be revoked: nobody declared it (an organisation's grant only),
it expired, its holder left, or it grants more than its declaration (the holder must first get the right one)."""
_REVOKE_WHEN_BY_DEFAULT: list[RevocationCause] = ["undeclared", "expired", "holder_departed"]


class Policy(BaseModel):
    """Credential rules applied by `scm-access plan`, by `verify`, and by the CrossGuard policy pack."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_max_lifetime_days: StrictInt = Field(90, ge=1, description="Ceiling for kinds not listed below.")
    max_lifetime_days: dict[CredentialKind, StrictInt] = Field(
        default_factory=empty_dict, description="Maximum lifetime per credential kind, in days."
    )
    forbidden_scopes: dict[Platform, list[str]] = Field(
        default_factory=empty_dict, description="Scopes no credential may carry, per platform."
    )
    allow_classic_pats: bool = Field(
        True, description="Whether GitHub personal access tokens (classic) may be used at all."
    )
    prefer_org_managed: bool = Field(
        True, description="Provision an org-managed credential wherever the platform can mint an equivalent."
    )
    require_expiry: bool = Field(True, description="Every credential must have an expiry date.")
    expiry_warning_days: StrictInt = Field(14, ge=0, description="Warn this many days before a credential expires.")
    rotate_before_days: StrictInt = Field(
        7, ge=1, description="Rotate provisioned tokens this many days before they expire."
    )
    stale_after_days: StrictInt = Field(
        90, ge=1,
        description="The admin inventory calls a credential stale when it was not used for this many days, and"
        " one never used once it is this old (`scm-access inventory --stale-days` overrides it for a run).",
    )
    gitlab_prefer_service_accounts: bool = Field(
        False, description="Provision GitLab service-account tokens instead of group or project access tokens."
    )
    allow_revocation: bool | list[Platform | CredentialKind] = Field(
        False,
        description="Which credentials scm-access may delete or revoke: True for every platform and kind, or a"
        " list of platforms (each of its kinds) and credential kinds. `pulumi up` deletes the credentials of a"
        " removed declaration only for these (the others are protected from deletion), and `inventory --revoke"
        " --apply` revokes only these. False (the default): nothing is deleted or revoked.",
    )
    revoke_when: list[RevocationCause] = Field(
        default_factory=lambda: _REVOKE_WHEN_BY_DEFAULT.copy(),
        description="The causes on which `inventory --revoke --apply` may revoke a credential it is allowed to"
        " (allow_revocation). excess_scope is left out by default: revoking an over-scoped token stops its"
        " integration until the holder has created the right one.",
    )
    max_revocations_per_run: StrictInt = Field(
        5, ge=0, description="At most this many revocations in one run; the rest wait for the next run."
    )
    review_token_requests: TokenRequestReview = Field(
        "advise",
        description="Pending fine-grained token requests: off (not read), advise (decided and shown, nothing"
        " sent), enforce (approvals and denials sent by `scm-access requests --apply`).",
    )
    deliver_tokens_with: list[DeliverableProblem] = Field(
        default_factory=lambda: _DELIVERABLE_BY_DEFAULT.copy(),
        description="Problems a verified personal token may have and still be written into the secret store its"
        " declaration names; with any other problem, or no verdict, it is held back.",
    )

    def model_post_init(self, context: Any) -> None:
        record_location(self)  # reviews point at the policy's line

    def lifetime_ceiling(self, kind: CredentialKind) -> int:
        """Longest lifetime the policy allows for this kind, never beyond what the platform accepts."""
        ceiling = self.max_lifetime_days.get(kind, self.default_max_lifetime_days)
        platform_ceiling = CredentialKind(kind).spec.lifetime_ceiling_days
        return min(ceiling, platform_ceiling) if platform_ceiling else ceiling

    def revocation_allowed(self, platform: Platform | str, kind: CredentialKind | None) -> bool:
        """Whether the policy lets scm-access delete or revoke a credential of this platform and kind (a
        credential of no known kind only when the whole platform is allowed)."""
        if isinstance(self.allow_revocation, bool):
            return self.allow_revocation
        allowed = set(self.allow_revocation)
        return Platform(platform) in allowed or (kind is not None and kind in allowed)

    def forbidden(self, platform: Platform | str) -> frozenset[str]:
        return frozenset(self.forbidden_scopes.get(Platform(platform), ()))

    def with_overrides(self, overrides: Mapping[str, Any]) -> Policy:
        """This policy with a stack's or a policy pack's overrides, validated like the original.

        Mappings merge key by key (overriding one kind's lifetime keeps the others), and forbidden scopes
        add to the declared ones: an override can forbid more, never allow what the organisation forbade.
        """
        merged = self.model_dump(mode="json")
        for key, value in overrides.items():
            current = merged.get(key)
            if key == "forbidden_scopes" and isinstance(value, Mapping) and isinstance(current, dict):
                merged[key] = {
                    platform: sorted({*current.get(platform, []), *(value.get(platform) or [])})
                    for platform in {*current, *value}
                }
            elif isinstance(value, Mapping) and isinstance(current, dict):
                merged[key] = {**current, **value}
            else:
                merged[key] = value
        return Policy.model_validate(merged)
