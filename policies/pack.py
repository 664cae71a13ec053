"""The scm-access CrossGuard policies: one ResourceValidationPolicy per rule in ``scm_access.rules``.

One source of truth with `scm-access plan`: each policy maps the resource's inputs to the same
``CredentialFacts`` a planned slot yields and calls the same rule check, against the same organisation policy
(``policies/credential_policy.py``). Importing this module has no side effects; the declarations and the
policy are read on first use.

Pack config, per policy (``pulumi preview --policy-pack policies --policy-pack-config cfg.json``):
``enforcementLevel`` (``advisory`` | ``mandatory`` | ``disabled``) and ``policy``, overrides of Policy
fields for that policy, e.g. ``{"lifetime-exceeds-policy": {"policy": {"default_max_lifetime_days": 30}}}``.
Default levels: rules of severity ``error`` are mandatory, ``warning`` advisory.

Declarations that cannot be read or planned are never passed over in silence: the stack policy
``declarations-valid`` (mandatory) reports each problem, naming the connection and the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import Severity as PolicySeverity

from scm_access.declarations.loader import load_policy
from scm_access.declarations.policy import Policy
from scm_access.errors import DeclarationError
from scm_access.plan.planner import plan_folder
from scm_access.plan.slot import Slot
from scm_access.provision.provisioner import provisioner_for
from scm_access.provision.resource_facts import facts_for
from scm_access.rules import Rule, Severity, Stage, rules_for

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


@dataclass(frozen=True)
class Declared:
    """The project's declarations as the pack reads them: the plan, or the error that stopped it."""

    policy: Policy | None
    slots: list[Slot]
    error: DeclarationError | None = None


@cache
def declared() -> Declared:
    """Load, validate and plan the declarations once. A declaration error is kept, never dropped: the
    ``declarations-valid`` policy reports it, and the rules judge with what could still be read."""
    try:
        project, plan = plan_folder(PROJECT_ROOT)
    except DeclarationError as error:
        return Declared(_policy_alone(), [], error)
    return Declared(project.policy, plan.slots)


def _policy_alone() -> Policy | None:
    """The organisation's policy when the declarations around it cannot be read; None when it cannot
    either (its error is part of what ``declarations-valid`` reports)."""
    try:
        return load_policy(PROJECT_ROOT)
    except DeclarationError:
        return None


def declared_policy() -> Policy | None:
    return declared().policy


@cache
def declared_access_levels() -> dict[str, str]:
    """Slot id → the role its declaration needs, for resources that carry the slot's marker. Without a
    plan (``declarations-valid`` reports why), rules compare with the least role for the scopes."""
    levels = {}
    for slot in declared().slots:
        provisioner = provisioner_for(slot.platform)
        level = provisioner.declared_level(slot) if provisioner else None
        if level is not None:
            levels[slot.id] = level
    return levels


def effective_policy(config: Mapping[str, Any] | None) -> Policy | None:
    """The policy a rule judges with; None when the organisation's policy cannot be read."""
    overrides = dict((config or {}).get("policy") or {})
    if not overrides:
        return declared_policy()
    return _overridden(json.dumps(_plain(overrides), sort_keys=True))


@cache
def _overridden(overrides: str) -> Policy | None:
    """Config is the same for every resource a policy judges: validate each distinct override once."""
    policy = declared_policy()
    return policy.with_overrides(json.loads(overrides)) if policy is not None else None


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
    policy = effective_policy(args.get_config())
    if policy is None:
        return []  # no policy to judge by: `declarations-valid` stops the run and says why
    return rule.check(found.facts, policy)


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


def validate_declarations(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    error = declared().error
    if error is not None:
        for line in error.lines():
            report_violation(f"the declarations are not valid: {line}", None)


DECLARATIONS_POLICY = StackValidationPolicy(
    name="declarations-valid",
    description="The declarations and the credential policy the pack judges by can be read and planned.",
    validate=validate_declarations,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=PolicySeverity.HIGH,
)

RULE_POLICIES: list[ResourceValidationPolicy] = [policy_for(rule) for rule in rules_for(Stage.PROVISIONED)]
POLICIES: list[ResourceValidationPolicy | StackValidationPolicy] = [*RULE_POLICIES, DECLARATIONS_POLICY]
BY_NAME: dict[str, ResourceValidationPolicy | StackValidationPolicy] = {p.name: p for p in POLICIES}


def _plain(value: Any) -> Any:
    """Pack config arrives as protobuf Struct values: numbers as floats, nested proxies."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
