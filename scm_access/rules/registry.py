"""Finds the rules: every module under this package and under a platform folder's ``rules`` package that
exposes ``RULE``. A rule's code is its module's name, so there is one name per rule."""

from __future__ import annotations

import pkgutil
from functools import cache
from importlib import import_module
from types import ModuleType

from scm_access.core.discovery import load_platform_module, platform_folders
from scm_access.rules.rule import Rule, Stage


def _rule_modules(package: ModuleType) -> list[str]:
    return sorted(f"{package.__name__}.{info.name}" for info in pkgutil.iter_modules(package.__path__))


@cache
def all_rules() -> tuple[Rule, ...]:
    import scm_access.rules as generic  # this package: its modules are the generic rules

    names = _rule_modules(generic)
    for folder in platform_folders():
        package = load_platform_module(folder, "rules")
        if package is not None:
            names += _rule_modules(package)
    found: list[Rule] = []
    for name in names:
        rule = getattr(import_module(name), "RULE", None)
        if rule is None:
            continue  # the rule machinery itself (rule, facts, registry)
        if rule.code != name.rsplit(".", 1)[-1]:
            raise RuntimeError(f"rule {rule.code!r} lives in {name}: a rule's module is named after its code")
        if any(r.code == rule.code for r in found):
            raise RuntimeError(f"two rules have the code {rule.code!r}")
        found.append(rule)
    return tuple(found)


def rules_for(stage: Stage) -> tuple[Rule, ...]:
    return tuple(rule for rule in all_rules() if rule.applies_to(stage))
