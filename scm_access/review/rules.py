"""The review's own findings: one stable rule per kind of change (policy verdicts bring the policy's rules)."""

from __future__ import annotations

from dataclasses import dataclass

from scm_access.review.model import Level, RuleInfo


@dataclass(frozen=True)
class ReviewRule:
    name: str
    level: Level
    description: str
    help: str

    @property
    def id(self) -> str:
        return f"review/{self.name}"

    def info(self) -> RuleInfo:
        return RuleInfo(id=self.id, name=self.name, description=self.description, level=self.level, help=self.help)


def _rule(name: str, level: Level, description: str, help: str) -> ReviewRule:
    return ReviewRule(name=name, level=level, description=description, help=help)


CONNECTION_ADDED = _rule(
    "connection-added",
    Level.NOTE,
    "A new integration gets access.",
    "The change declares a new connection: each of its slots is a credential that will be provisioned or that"
    " a person will be asked to create. Check that the integration needs every scope it asks for.",
)
CONNECTION_REMOVED = _rule(
    "connection-removed",
    Level.NOTE,
    "An integration loses its access.",
    "The connection is no longer declared. Provisioned credentials are deleted by the next `pulumi up`;"
    " personal tokens must be revoked by their holders. The integration stops working unless it no longer"
    " needs the access.",
)
CREDENTIAL_ADDED = _rule(
    "credential-added",
    Level.NOTE,
    "A new credential (slot) is declared.",
    "A new platform or holder for an existing connection: one more credential will exist.",
)
CREDENTIAL_REMOVED = _rule(
    "credential-removed",
    Level.NOTE,
    "A credential (slot) is no longer declared.",
    "A platform or holder was removed from a connection. A personal token should be revoked by its holder.",
)
PROVISIONED_DELETED = _rule(
    "provisioned-credential-deleted",
    Level.WARNING,
    "The stack would delete a credential it provisioned.",
    "A provisioned credential is no longer declared, or is replaced by another kind: the next `pulumi up`"
    " deletes it and whatever uses it stops authenticating. Make sure the integration has moved on first.",
)
SCOPE_ADDED = _rule(
    "scope-added",
    Level.NOTE,
    "A credential gains a scope.",
    "The credential can do more after this change. The finding lists what the scope grants through"
    " implication (a scope can contain others).",
)
HIGH_PRIVILEGE_SCOPE_ADDED = _rule(
    "high-privilege-scope-added",
    Level.WARNING,
    "A credential gains a scope the platform flags as high-privilege.",
    "High-privilege scopes reach administration of the organisation, its members or its settings. Confirm the"
    " integration's documentation asks for it and that nothing narrower would do.",
)
SCOPE_REMOVED = _rule(
    "scope-removed",
    Level.NOTE,
    "A credential loses a scope.",
    "Least privilege improves; existing personal tokens keep the scope until recreated.",
)
KIND_CHANGED = _rule(
    "kind-changed",
    Level.NOTE,
    "A credential changes kind (for example classic to fine-grained token).",
    "A different kind of credential will be needed: provisioned ones are replaced by the stack, personal ones"
    " must be created again by their holders.",
)
BECAME_PERSONAL = _rule(
    "became-personal",
    Level.WARNING,
    "An org-managed credential becomes a personal token.",
    "The organisation no longer mints and rotates this credential: a person creates it by hand, it is tied to"
    " their account and leaves with them.",
)
BECAME_PROVISIONED = _rule(
    "became-provisioned",
    Level.NOTE,
    "A personal token becomes an org-managed credential.",
    "The stack will mint and rotate this credential; the personal token it replaces should be revoked.",
)
LIFETIME_EXTENDED = _rule(
    "lifetime-extended",
    Level.WARNING,
    "A credential lives longer.",
    "A longer lifetime means a leaked token is useful for longer. Keep lifetimes as short as the integration's"
    " rotation allows.",
)
LIFETIME_SHORTENED = _rule(
    "lifetime-shortened", Level.NOTE, "A credential lives shorter.", "Tokens will need rotating sooner."
)
PREREQUISITES_CHANGED = _rule(
    "prerequisites-changed",
    Level.NOTE,
    "A credential's prerequisites change (SSO authorisation, group membership, repository role).",
    "Prerequisites give the holder access beyond the token's scopes (a group membership is access too).",
)
DELIVERY_CHANGED = _rule(
    "delivery-changed",
    Level.NOTE,
    "Where a credential is delivered changes.",
    "The credential will be written to, or pasted into, another place: check who can read it there.",
)
RESOURCES_CHANGED = _rule(
    "resources-changed",
    Level.NOTE,
    "The organisations, groups, projects or repositories a credential reaches change.",
    "A credential that reaches more resources can do more, even with the same scopes.",
)
HOLDER_CHANGED = _rule(
    "holder-changed",
    Level.NOTE,
    "A credential's holder account changes.",
    "Another account will own the credential; the previous one's token should be revoked.",
)
POLICY_RELAXED = _rule(
    "policy-relaxed",
    Level.WARNING,
    "The credential policy is relaxed.",
    "A rule of the organisation's credential policy allows more after this change (a longer lifetime, a scope"
    " no longer forbidden, classic tokens allowed...). The finding lists every slot it affects.",
)
POLICY_TIGHTENED = _rule(
    "policy-tightened",
    Level.NOTE,
    "The credential policy is tightened.",
    "A rule allows less after this change; slots it affects may now break it.",
)
POLICY_WRITES_WIDENED = _rule(
    "policy-writes-widened",
    Level.WARNING,
    "The policy lets scm-access revoke, delete or deny more.",
    "After this change scm-access itself may revoke or delete more credentials (allow_revocation, revoke_when,"
    " max_revocations_per_run) or send denials of token requests (review_token_requests: enforce). The finding"
    " lists the slots whose credentials become revocable.",
)
POLICY_CHANGED = _rule(
    "policy-changed", Level.NOTE, "A credential policy setting changes.", "A policy setting changes."
)

REVIEW_RULES: tuple[ReviewRule, ...] = (
    CONNECTION_ADDED,
    CONNECTION_REMOVED,
    CREDENTIAL_ADDED,
    CREDENTIAL_REMOVED,
    PROVISIONED_DELETED,
    SCOPE_ADDED,
    HIGH_PRIVILEGE_SCOPE_ADDED,
    SCOPE_REMOVED,
    KIND_CHANGED,
    BECAME_PERSONAL,
    BECAME_PROVISIONED,
    LIFETIME_EXTENDED,
    LIFETIME_SHORTENED,
    PREREQUISITES_CHANGED,
    DELIVERY_CHANGED,
    RESOURCES_CHANGED,
    HOLDER_CHANGED,
    POLICY_RELAXED,
    POLICY_TIGHTENED,
    POLICY_WRITES_WIDENED,
    POLICY_CHANGED,
)


def policy_rule_id(code: str) -> str:
    return f"policy/{code}"


def policy_rule_info(code: str, name: str, description: str, severity: str) -> RuleInfo:
    level = Level.ERROR if severity == "error" else Level.WARNING
    return RuleInfo(
        id=policy_rule_id(code),
        name=name,
        description=description,
        level=level,
        help=f"{description} Policy rule `{code}` of the organisation's credential policy"
        f" (`policies/credential_policy.py`); the plan (`scm-access plan`) shows it for every slot.",
    )
