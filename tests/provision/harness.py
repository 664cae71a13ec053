"""Run the real ``__main__.py`` in-process under Pulumi mocks and record everything it registers.

The stock mock monitor drops ``additional_secret_outputs`` (the engine applies them), so
:class:`SecretAwareMonitor` passes them to the mocks, which mark those outputs secret like the engine.
Fake outputs emulate what each provider reports after create.

Every registered resource's inputs, every invoke's arguments, and every fake output are held against the
installed provider SDKs (:mod:`tests.provision.sdk_inputs`): a run that passes an argument the real
provider would refuse fails, however the test using it is written.
"""

from __future__ import annotations

import asyncio
import gc
import os
import runpy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pulumi
from pulumi.runtime import rpc as _rpc
from pulumi.runtime import settings as _settings
from pulumi.runtime.mocks import MockMonitor

from tests.provision.sdk_inputs import (
    invoke_problems,
    invoke_result_problems,
    output_problems,
    resource_input_problems,
)

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = ROOT / "__main__.py"
FIXTURE_PROJECT = ROOT / "tests" / "fixtures" / "project"
"""The declarations the program reads unless a test names its own (the examples in connections/ have a
smoke test of their own)."""
PROJECT = "scm-access"
STACK = "test"

_tls = threading.local()


def is_secret(value: Any) -> bool:
    """A secret input as the mocks see it: the wire envelope."""
    return isinstance(value, dict) and value.get(_rpc._special_sig_key) == _rpc._special_secret_sig


def unwrap(value: Any) -> Any:
    return value["value"] if is_secret(value) else value


def _days(days: Any) -> str:
    return (date.today() + timedelta(days=int(days))).isoformat()


def _token_outputs(prefix: str) -> Callable[[Any], dict]:
    def outputs(args: Any) -> dict:
        rotation = unwrap(args.inputs.get("rotationConfiguration")) or {}
        expires = args.inputs.get("expiresAt") or (_days(rotation["expirationDays"]) if rotation else None)
        return {
            "token": f"{prefix}FAKE{args.name}",
            "expiresAt": expires,
            "active": True,
            "revoked": False,
            "userId": 4242,
        }

    return outputs


FAKE_OUTPUTS: dict[str, Callable[[Any], dict]] = {
    "gitlab:index/projectAccessToken:ProjectAccessToken": _token_outputs("glpat-"),
    "gitlab:index/groupAccessToken:GroupAccessToken": _token_outputs("glpat-"),
    "gitlab:index/groupServiceAccountAccessToken:GroupServiceAccountAccessToken": _token_outputs("glpat-"),
    "gitlab:index/groupServiceAccount:GroupServiceAccount": lambda a: {
        "serviceAccountId": "4242",
        "username": f"service_account_group_1_{a.name}",
    },
    "gitlab:index/groupDeployToken:GroupDeployToken": lambda a: {
        "token": f"gldt-FAKE{a.name}",
        "username": "gitlab+deploy-token-1",
        "revoked": False,
        "expired": False,
    },
    "gitlab:index/projectDeployToken:ProjectDeployToken": lambda a: {
        "token": f"gldt-FAKE{a.name}",
        "username": "gitlab+deploy-token-2",
        "revoked": False,
        "expired": False,
    },
    "tls:index/privateKey:PrivateKey": lambda a: {
        "privateKeyOpenssh": f"-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE{a.name}\n-----END OPENSSH PRIVATE KEY-----\n",
        "privateKeyPem": f"-----BEGIN PRIVATE KEY-----\nFAKE{a.name}\n-----END PRIVATE KEY-----\n",
        "publicKeyOpenssh": f"ssh-ed25519 AAAAFAKE{a.name}",
    },
    "github:index/repositoryDeployKey:RepositoryDeployKey": lambda a: {"readOnly": a.inputs.get("readOnly", True)},
    "azuredevops:index/servicePrincipalEntitlement:ServicePrincipalEntitlement": lambda a: {
        "descriptor": "aadsp.FAKE",
        "displayName": "platform-deployer",
    },
    "azuredevops:index/serviceEndpointAzureRM:ServiceEndpointAzureRM": lambda a: {
        "workloadIdentityFederationIssuer": "https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000001",
        "workloadIdentityFederationSubject": f"sc://acme/Platform/{a.inputs.get('serviceEndpointName')}",
        "servicePrincipalId": "sp-FAKE",
    },
}

GROUP_IDS = {"acme": 100, "acme/platform": 101}
"""What the fake GitLab reports as the numeric ID of a group path."""


def _gitlab_group(args: Any) -> dict:
    path = args.args.get("fullPath") or next(p for p, i in GROUP_IDS.items() if i == args.args.get("groupId"))
    return {"groupId": GROUP_IDS[path], "fullPath": path, "id": str(GROUP_IDS[path])}


FAKE_CALLS: dict[str, Callable[[Any], dict]] = {
    "gitlab:index/getGroup:getGroup": _gitlab_group,
    "azuredevops:index/getProject:getProject": lambda a: {
        "id": f"project-{a.args.get('name')}",
        "name": a.args.get("name"),
        "projectId": f"project-{a.args.get('name')}",
    },
    "azuredevops:index/getGroup:getGroup": lambda a: {
        "descriptor": f"vssgp.{a.args.get('name')}",
        "name": a.args.get("name"),
        "id": f"group-{a.args.get('name')}",
    },
}


class SecretAwareMonitor(MockMonitor):
    """Hands ``additionalSecretOutputs``, the parent URN and the deletion options (``protect``,
    ``retainOnDelete``) to the mocks (the stock monitor drops them)."""

    def RegisterResource(self, request):  # noqa: N802 - gRPC method name
        _tls.secret_outputs, _tls.parent = list(request.additionalSecretOutputs), request.parent
        _tls.protect, _tls.retain_on_delete = request.protect, request.retainOnDelete
        try:
            return super().RegisterResource(request)
        finally:
            _tls.secret_outputs, _tls.parent = [], ""
            _tls.protect, _tls.retain_on_delete = False, False


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self, check_sdk: bool = True, previous_outputs: Mapping[str, Any] | None = None) -> None:
        self.check_sdk = check_sdk
        self.previous_outputs = dict(previous_outputs or {})
        """What a StackReference reads: the stack's outputs at its last update (none before the first)."""
        self.resources: list[Any] = []
        self.calls: list[Any] = []
        self.sdk_problems: list[str] = []
        """Inputs, invoke arguments or fake outputs the provider SDKs would not accept."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        args.parent = getattr(_tls, "parent", "")
        args.secret_outputs = list(getattr(_tls, "secret_outputs", []))
        args.protect = bool(getattr(_tls, "protect", False))
        args.retain_on_delete = bool(getattr(_tls, "retain_on_delete", False))
        self.resources.append(args)
        if args.typ == "pulumi:pulumi:StackReference":
            fake = {"outputs": self.previous_outputs, "secretOutputNames": []}
        else:
            fake = FAKE_OUTPUTS.get(args.typ, lambda a: {})(args)
        if self.check_sdk:
            self.sdk_problems += resource_input_problems(args.typ, args.name, args.inputs)
            self.sdk_problems += output_problems(args.typ, args.name, fake)
        outputs = {**args.inputs, **fake}
        for key in args.secret_outputs:  # what the engine does with additional_secret_outputs
            if outputs.get(key) is not None and not is_secret(outputs[key]):
                outputs[key] = {_rpc._special_sig_key: _rpc._special_secret_sig, "value": outputs[key]}
        return [f"{args.name}_id", outputs]

    def call(self, args: pulumi.runtime.MockCallArgs):
        self.calls.append(args)
        result = FAKE_CALLS.get(args.token, lambda a: {})(args)
        if self.check_sdk:
            self.sdk_problems += invoke_problems(args.token, dict(args.args))
            self.sdk_problems += invoke_result_problems(args.token, result)
        return result


@dataclass
class Run:
    mocks: RecordingMocks
    outputs: dict[str, tuple[Any, bool, bool]]
    """Stack output name → (value, is_secret, is_known)."""
    warnings: list[str] = field(default_factory=list)

    @property
    def resources(self) -> list[Any]:
        return self.mocks.resources

    def of_type(self, typ: str) -> list[Any]:
        return [r for r in self.resources if r.typ == typ]

    def named(self, name: str) -> Any:
        return next(r for r in self.resources if r.name == name)

    def urn_of(self, resource: Any) -> str:
        """The URN the mock monitor gave a registered resource (how children name their parent)."""
        monitor = _settings.SETTINGS.monitor
        for urn in monitor.get_registered_resources():
            if urn.endswith(f"::{resource.name}") and f"{resource.typ}::" in urn:
                return urn
        raise KeyError(resource.name)

    def children_of(self, component_name: str) -> list[Any]:
        suffix = f"scm-access:index:Connection::{component_name}"
        return [r for r in self.resources if r.parent and r.parent.endswith(suffix)]

    def value(self, name: str) -> Any:
        return self.outputs[name][0]


GITHUB_TOKEN = "ghp_FAKEPROVIDERTOKEN0000000000000000000000"
GITLAB_TOKEN = "glpat-FAKEPROVIDERTOKEN000"
AZDO_TOKEN = "azdoFAKEPROVIDERTOKEN0000000000000000000000000000000"

ALL_CREDENTIALS = {
    "GITHUB_TOKEN": GITHUB_TOKEN,
    "GITLAB_TOKEN": GITLAB_TOKEN,
    "AZDO_PERSONAL_ACCESS_TOKEN": AZDO_TOKEN,
    "AZDO_ORG_SERVICE_URL": "https://dev.azure.com/acme",
}

PROVIDER_ENV = (
    "GITHUB_TOKEN", "GITHUB_BASE_URL", "GITHUB_OWNER", "GITLAB_TOKEN", "GITLAB_BASE_URL",
    "AZDO_PERSONAL_ACCESS_TOKEN", "AZDO_ORG_SERVICE_URL",
)


def _ensure_event_loop() -> None:
    """The Pulumi runtime uses the thread's current loop; `asyncio.run` elsewhere in the suite leaves none."""
    try:
        loop = asyncio.get_event_loop()
    except RuntimeError:
        loop = None
    if loop is None or loop.is_closed():
        asyncio.set_event_loop(asyncio.new_event_loop())


def run_program(
    env: Mapping[str, str] | None = None,
    config: Mapping[str, str] | None = None,
    secret_keys: tuple[str, ...] = (),
    preview: bool = False,
    program: Path = PROGRAM,
    check_sdk: bool = True,
    previous_outputs: Mapping[str, Any] | None = None,
) -> Run:
    """Run the program with exactly ``env`` as the provider/verify environment (the caller's own provider
    and token variables are hidden) and ``config`` as stack config (keys without a namespace get the
    project's; the declarations are the tests' fixture project unless ``config`` names others;
    ``previous_outputs``: the stack's outputs at its last update, as the program reads them back). Fails when the program gave a provider SDK an input it would not accept (``check_sdk``: off
    only for benchmarks, which measure the program alone)."""
    full_config = {(k if ":" in k else f"{PROJECT}:{k}"): v for k, v in (config or {}).items()}
    full_config.setdefault(f"{PROJECT}:declarations", str(FIXTURE_PROJECT))
    secrets = [k if ":" in k else f"{PROJECT}:{k}" for k in secret_keys]
    clean = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV and not k.startswith("SCM_ACCESS_TOKEN")}
    _ensure_event_loop()
    _settings.ROOT.set(None)  # else the previous run's stack and exports are reused
    pulumi.runtime.set_all_config(full_config, secrets)
    mocks = RecordingMocks(check_sdk=check_sdk, previous_outputs=previous_outputs)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=STACK, preview=preview, monitor=SecretAwareMonitor(mocks))
    outputs: dict[str, tuple[Any, bool, bool]] = {}
    warnings: list[str] = []

    @pulumi.runtime.test
    def _run():
        runpy.run_path(str(program), run_name="__main__")
        exported = _settings.get_root_resource().outputs

        async def collect():
            for key, value in exported.items():
                out = pulumi.Output.from_input(value)
                outputs[key] = (await out.future(), await out.is_secret(), await out.is_known())

        return pulumi.Output.from_input(collect())

    def _warn(message, *args, **kwargs):
        warnings.append(message)

    collecting = gc.isenabled()  # the program turns the cyclic collector off for its run: not for the tests'
    with mock.patch.dict(os.environ, {**clean, **(env or {})}, clear=True), mock.patch.object(
        pulumi.log, "warn", _warn
    ):
        try:
            _run()
        finally:
            if collecting:
                gc.enable()
    assert not mocks.sdk_problems, "inputs the provider SDKs would refuse:\n" + "\n".join(mocks.sdk_problems)
    return Run(mocks, outputs, warnings)
