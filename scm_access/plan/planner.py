"""Declarations + policy → slots, each with least-privilege scopes, a strategy and its reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.access import Access
from scm_access.declarations.connection import Connection
from scm_access.declarations.loader import Project, load_project
from scm_access.declarations.policy import Policy
from scm_access.errors import DeclarationError, PolicyOverridesError
from scm_access.plan.slot import Slot, Strategy, declaration_groups, slots_for_holders
from scm_access.platforms.registry import get_platform
from scm_access.rules import CredentialFacts, Severity, Stage, Violation, rules_for
from scm_access.validate import validate


@dataclass(frozen=True)
class Plan:
    slots: list[Slot]
    today: date

    @property
    def violations(self) -> list[tuple[Slot, Violation]]:
        return [(slot, v) for slot in self.slots for v in slot.violations]

    @property
    def action_required(self) -> bool:
        """Anything for a person to do: a token to create, or a rule broken."""
        return any(s.strategy == Strategy.USER_PAT or s.violations for s in self.slots)

    def by_connection(self) -> dict[str, list[Slot]]:
        """Slots grouped by connection in one pass (a scan per connection would be quadratic)."""
        grouped: dict[str, list[Slot]] = {}
        for slot in self.slots:
            grouped.setdefault(slot.connection, []).append(slot)
        return grouped

    def counts(self) -> dict[str, int]:
        """How many slots, by strategy, and how many policy violations, by severity (counted once: a large
        plan's terminal, plan.json and index each ask; nobody changes a plan's slots)."""
        return dict(self._counts)

    @cached_property
    def _counts(self) -> dict[str, int]:
        strategies = {strategy: 0 for strategy in Strategy}
        violations = errors = 0
        # The holders of a declaration share its strategy and violations: counted once for the run of them.
        for leader, run in declaration_groups(self.slots):
            holders = len(run)
            strategies[leader.strategy] += holders
            if leader.violations:
                violations += holders * len(leader.violations)
                errors += holders * sum(1 for v in leader.violations if v.severity == Severity.ERROR)
        return {
            "slots": len(self.slots),
            "provision": strategies[Strategy.PROVISION],
            "user_pat": strategies[Strategy.USER_PAT],
            "errors": errors,
            "warnings": violations - errors,
        }


@dataclass(frozen=True)
class Choice:
    kind: CredentialKind
    strategy: Strategy
    reason: str
    alternative: str | None = None
    """For personal tokens: the org-managed kind that could replace them, if any."""


def plan(connections: list[Connection], policy: Policy, today: date | None = None) -> Plan:
    """Plan validated connections (see :func:`scm_access.validate.validate`)."""
    today = today or date.today()
    slots: list[Slot] = []
    shapes = _Shapes()
    for connection in connections:
        for access in connection.access:
            slots.extend(_slots_for(connection, access, policy, today, shapes))
    return Plan(slots=slots, today=today)


@dataclass
class _Shapes:
    """What declarations of one shape share within a plan: many declare the same scopes on a platform and
    end up with the same kind and facts, so the scope algebra and the rules run once per shape."""

    covers: dict[tuple[Platform, frozenset[str], CredentialKind | None], frozenset[str]] = field(default_factory=dict)
    orders: dict[tuple[Platform, frozenset[str]], list[str]] = field(default_factory=dict)
    violations: dict[CredentialFacts, list[Violation]] = field(default_factory=dict)

    def cover(self, platform: Platform, catalog: Any, scopes: frozenset[str], kind: CredentialKind | None) -> frozenset[str]:
        key = (platform, scopes, kind)
        found = self.covers.get(key)
        if found is None:
            found = self.covers[key] = catalog.minimal_cover(scopes, kind)
        return found

    def ordered(self, platform: Platform, catalog: Any, scopes: frozenset[str]) -> list[str]:
        """The scopes in catalog order: one list per shape, shared by its slots (nobody edits a slot's scopes)."""
        key = (platform, scopes)
        found = self.orders.get(key)
        if found is None:
            found = self.orders[key] = catalog.sorted(scopes)
        return found

    def judged(self, facts: CredentialFacts, policy: Policy) -> list[Violation]:
        found = self.violations.get(facts)
        if found is None:
            found = self.violations[facts] = _violations(facts, policy)
        return found


def plan_project(project: Project, today: date | None = None) -> Plan:
    """Validate a loaded project's declarations against its policy, then plan them."""
    return plan(validate(project.connections, project.policy), project.policy, today)


def plan_folder(
    root: Path,
    *,
    policy_overrides: Mapping[str, Any] | None = None,
    overrides_from: str = "policy overrides",
    today: date | None = None,
) -> tuple[Project, Plan]:
    """The pipeline, load → validate → plan, as the CLI, the Pulumi program and the policy pack run it:
    the declarations and policy under ``root``, the policy with a stack's or a pack's overrides (which
    merge as :meth:`Policy.with_overrides` says), and the plan. The project returned carries the policy in
    force. Raises :class:`~scm_access.errors.DeclarationError` for anything wrong in the declarations
    (:class:`~scm_access.errors.PolicyOverridesError` for the overrides)."""
    project = load_project(root)
    if policy_overrides:
        try:
            policy = project.policy.with_overrides(policy_overrides)
        except ValidationError as error:
            problems = DeclarationError.from_validation(error, None, model=overrides_from).problems
            raise PolicyOverridesError(problems, error) from None
        project = replace(project, policy=policy)
    return project, plan_project(project, today)


def choose(access: Access, scopes: frozenset[str], policy: Policy) -> Choice:
    spec = get_platform(access.platform)
    service = access.service
    if access.kind is not None and not access.kind.is_personal:
        return Choice(access.kind, Strategy.PROVISION, f"the declaration asks for {article(access.kind.label)}")
    equivalent, why = spec.org_managed_equivalent(access, scopes, policy)
    if service is not None:
        if equivalent is not None and policy.prefer_org_managed and access.kind is None:
            return Choice(equivalent, Strategy.PROVISION, f"org-managed: {why}")
        kind = access.kind or spec.default_kind(access)
        if access.kind is not None:
            reason = f"the declaration asks for {article(kind.label)}, held by service user {service.service!r}"
        elif not policy.prefer_org_managed:
            reason = f"the policy does not prefer org-managed credentials; {article(kind.label)} for the service user"
        else:
            reason = f"{why}; {article(kind.label)} for the service user {service.service!r}"
        return Choice(kind, Strategy.USER_PAT, reason)
    kind = access.kind or spec.default_kind(access)
    alternative = f"{equivalent.label} ({why})" if equivalent is not None else None
    return Choice(
        kind,
        Strategy.USER_PAT,
        f"the integration acts as each named person; only they can create {article(kind.label)}",
        alternative,
    )


def article(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _slots_for(connection: Connection, access: Access, policy: Policy, today: date, shapes: _Shapes) -> list[Slot]:
    spec = get_platform(access.platform)
    catalog = spec.catalog
    declared = frozenset(access.scopes)
    # What contains what can depend on the kind (GitLab's api includes Git over HTTP on a personal token
    # only): the kind is chosen on what holds for every kind, then the scopes are folded for that kind.
    choice = choose(access, shapes.cover(spec.platform, catalog, declared, None), policy)
    scopes = shapes.cover(spec.platform, catalog, declared, choice.kind)
    folded = {s: _container(catalog, s, scopes, choice.kind) for s in access.scopes if s not in scopes}
    longest = access.max_lifetime_days == "longest"
    lifetime = policy.lifetime_ceiling(choice.kind) if longest else int(access.max_lifetime_days)
    ordered_scopes = shapes.ordered(spec.platform, catalog, scopes)
    base_url = str(access.base_url).rstrip("/") if access.base_url else None
    holder_is_person = access.service is None
    granted_level, needed_level = spec.access_levels(access, choice.kind, scopes)
    facts = CredentialFacts(
        platform=spec.platform,
        kind=choice.kind,
        scopes=scopes,
        lifetime_days=lifetime,
        requested_longest_lifetime=longest,
        holder_is_person=holder_is_person,
        org_managed_alternative=choice.alternative,
        rotation_days=policy.rotate_before_days if choice.strategy == Strategy.PROVISION else None,
        access_level=granted_level,
        declared_access_level=needed_level,
    )
    violations = shapes.judged(facts, policy)
    service = access.service
    holders: list[tuple[str, str | None, str | None]] = (
        [(service.service, service.login, service.email)]
        if service is not None
        else [(p.name, p.login, p.email) for p in access.people]
    )
    reason = choice.reason
    if granted_level is not None:
        # The role is part of what the credential can do: say which one, and where it comes from.
        origin = "declared" if granted_level != needed_level else "the least its scopes need"
        reason = f"{reason}; role {granted_level} ({origin})"
    # The inputs are validated declarations: the holders' slots are built without validating them again,
    # sharing every value but the holder's own (the same objects).
    shared = dict(
        connection=connection.name,
        integration=connection.integration,
        purpose=connection.purpose,
        platform=spec.platform,
        holder_is_person=holder_is_person,
        guide=connection.guide,
        role=granted_level,
        kind=choice.kind,
        scopes=ordered_scopes,
        folded_scopes=folded,
        strategy=choice.strategy,
        reason=reason,
        lifetime_days=lifetime,
        expires_at=today + timedelta(days=lifetime),
        prerequisites=access.prerequisites,
        violations=violations,
        base_url=base_url,
        delivery=access.delivery,
        access=access,
    )
    return slots_for_holders(shared, holders)


def _container(catalog, scope: str, cover: frozenset[str], kind: CredentialKind) -> str:
    return next(c for c in catalog.sorted(cover) if scope in catalog.closure([c], kind))


def _violations(facts: CredentialFacts, policy: Policy) -> list[Violation]:
    found = []
    for rule in rules_for(Stage.PLAN):
        for message in rule.check(facts, policy):
            found.append(Violation(code=rule.code, severity=rule.severity, message=message))
    # Errors first: they are what blocks.
    return sorted(found, key=lambda v: v.severity != Severity.ERROR)
