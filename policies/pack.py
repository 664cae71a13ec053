"""The scm-access CrossGuard policies: one ResourceValidationPolicy per rule in ``scm_access.rules``.

One source of truth with `scm-access plan`: each policy maps the resource's inputs to the same
``CredentialFacts`` a planned slot yields and calls the same rule check, against the same organisation policy
(``policies/credential_policy.py``). Importing this module has no side effects; the declarations and the
policy are read on first use.

Pack config, per policy (``pulumi preview --policy-pack policies --policy-pack-config cfg.json``):
``enforcementLevel`` (``advisory`` | ``mandatory`` | ``disabled``) and ``policy``, overrides of Policy
fields for that policy, e.g. ``{"token-lifetime-within-policy": {"policy": {"default_max_lifetime_days": 30}}}``.
Default levels: rules of severity ``error`` are mandatory, ``warning`` advisory.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)
from pulumi_policy import Severity as PolicySeverity

from scm_access.declarations.loader import Project, load_policy, load_project
from scm_access.declarations.policy import Policy
from scm_access.errors import DeclarationError
from scm_access.plan.planner import plan_project
from scm_access.plan.slot import Severity
from scm_access.provision.provisioner import provisioner_for
from scm_access.provision.resource_facts import facts_for
from scm_access.rules import ALL_RULES, Rule

PACK_NAME = "scm-access"
PACK_ENFORCEMENT = EnforcementLevel.ADVISORY
"""For policies that set none; every policy here sets its own (mandatory for errors, advisory for warnings)."""
PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The scm-access project whose declarations and policy the pack applies."""

CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        "policy": {
            "type": "object",
            "description": "Overrides of Policy fields for this policy (e.g. default_max_lifetime_days).",
        },
    },
)


@cache
def declared_project() -> Project | None:
    """The declarations and policy, read once; None when the declarations cannot be read."""
    try:
        return load_project(PROJECT_ROOT)
    except DeclarationError:
        return None


@cache
def declared_policy() -> Policy:
    project = declared_project()
    return project.policy if project is not None else load_policy(PROJECT_ROOT)


@cache
def declared_access_levels() -> dict[str, str]:
    """Slot id → the role its declaration needs, for resources that carry the slot's marker. Empty when the
    declarations cannot be read: rules then compare with the least role for the scopes."""
    project = declared_project()
    if project is None:
        return {}
    try:
        slots = plan_project(project).slots
    except DeclarationError:
        return {}
    levels = {}
    for slot in slots:
        provisioner = provisioner_for(slot.platform)
        level = provisioner.declared_level(slot) if provisioner else None
        if level is not None:
            levels[slot.id] = level
    return levels


def effective_policy(config: Mapping[str, Any] | None) -> Policy:
    overrides = dict((config or {}).get("policy") or {})
    if not overrides:
        return declared_policy()
    return _overridden(json.dumps(_plain(overrides), sort_keys=True))


@cache
def _overridden(overrides: str) -> Policy:
    """Config is the same for every resource a policy judges: validate each distinct override once."""
    return declared_policy().with_overrides(json.loads(overrides))


def violations(rule: Rule, args: ResourceValidationArgs) -> list[str]:
    """The rule's messages for one resource (empty when the resource holds no credential it judges)."""
    secret_outputs = list(args.opts.additional_secret_outputs or []) if args.opts else []
    found = facts_for(
        args.resource_type,
        args.props,
        secret_outputs=secret_outputs,
        # Read the declarations only for a resource that has a role to compare.
        declared_level=lambda slot: declared_access_levels().get(slot),
    )
    if found is None or (found.rules is not None and rule.code not in found.rules):
        return []
    return rule.check(found.facts, effective_policy(args.get_config()))


def policy_for(rule: Rule) -> ResourceValidationPolicy:
    def validate_resource(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        for message in violations(rule, args):
            report_violation(f"{message} ({rule.code})", None)

    blocking = rule.severity == Severity.ERROR
    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate_resource,
        enforcement_level=EnforcementLevel.MANDATORY if blocking else EnforcementLevel.ADVISORY,
        severity=PolicySeverity.HIGH if blocking else PolicySeverity.MEDIUM,
        config_schema=CONFIG_SCHEMA,
    )


POLICIES: list[ResourceValidationPolicy] = [policy_for(rule) for rule in ALL_RULES if rule.applies_to_provisioned]
BY_NAME: dict[str, ResourceValidationPolicy] = {p.name: p for p in POLICIES}


def _plain(value: Any) -> Any:
    """Pack config arrives as protobuf Struct values: numbers as floats, nested proxies."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
