"""Drive the policy pack without the CLI: constructed validation args, and the SDK's own analyzer servicer
(enforcement levels, pack config, preview unknowns) fed like the engine would."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs
from pulumi_policy.policy import _PolicyAnalyzerServicer

from policies.pack import BY_NAME, PACK_ENFORCEMENT, PACK_NAME, POLICIES


def rargs(typ: str, props: Mapping[str, Any], *, config: Mapping[str, Any] | None = None,
          secret_outputs: Iterable[str] = (), name: str = "r") -> ResourceValidationArgs:
    opts = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), list(secret_outputs))
    return ResourceValidationArgs(typ, props, f"urn:pulumi:test::p::{typ}::{name}", name, opts, None, config)


def validate(policy_name: str, typ: str, props: Mapping[str, Any], **kwargs: Any) -> list[str]:
    found: list[str] = []
    BY_NAME[policy_name].validate(rargs(typ, props, **kwargs), lambda message, urn=None: found.append(message))
    return found


def servicer(config: Mapping[str, Mapping[str, Any]] | None = None) -> _PolicyAnalyzerServicer:
    """The pack as the engine talks to it; ``config`` is pack config by policy name. Like the CLI, a policy
    configured without a level keeps its own (the engine always sends one)."""
    service = _PolicyAnalyzerServicer(PACK_NAME, "0.1.0", POLICIES, PACK_ENFORCEMENT)
    if config:
        request = proto.ConfigureAnalyzerRequest()
        for name, settings in config.items():
            entry = request.policyConfig[name]
            level = settings.get("enforcementLevel") or BY_NAME[name].enforcement_level.value
            entry.enforcementLevel = proto.EnforcementLevel.Value(level.upper())
            properties = {k: v for k, v in settings.items() if k != "enforcementLevel"}
            if properties:
                entry.properties.update(properties)
        service.Configure(request, None)
    return service


def analyze(service: _PolicyAnalyzerServicer, typ: str, props: Mapping[str, Any], *, name: str = "r",
            secret_outputs: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """(policy name, enforcement level, message) for every diagnostic."""
    properties = struct_pb2.Struct()
    properties.update(props)
    request = proto.AnalyzeRequest(
        type=typ,
        properties=properties,
        urn=f"urn:pulumi:test::p::{typ}::{name}",
        name=name,
        options=proto.AnalyzerResourceOptions(additionalSecretOutputs=list(secret_outputs)),
    )
    response = service.Analyze(request, None)
    return [(d.policyName, proto.EnforcementLevel.Name(d.enforcementLevel), d.message) for d in response.diagnostics]


def analyze_stack(service: _PolicyAnalyzerServicer) -> list[tuple[str, str, str]]:
    """(policy name, enforcement level, message) for every diagnostic of the stack policies."""
    response = service.AnalyzeStack(proto.AnalyzeStackRequest(), None)
    return [(d.policyName, proto.EnforcementLevel.Name(d.enforcementLevel), d.message) for d in response.diagnostics]
