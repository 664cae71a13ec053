"""Hold what the program sends to a provider against that provider's own Python SDK.

Pulumi's mocks accept any input, so a resource argument the real provider would refuse (a group path where
the provider wants a numeric group id) passes a mocked run unnoticed. These checks read the installed SDK
packages — each resource's ``*Args`` input type and each invoke function's signature — and report every
input name the SDK does not know, every required input left out, and every scalar of the wrong type.

Values are checked as they reach the mocks: camelCase wire names, numbers as floats, secrets in their
wire envelope, and values still unknown (during a preview) as Pulumi's unknown sentinel.
"""

from __future__ import annotations

import collections.abc
import importlib
import inspect
import re
import typing
from functools import cache
from typing import Any

from pulumi import _types as pulumi_types
from pulumi.runtime import rpc

_SECRET_KEY = rpc._special_sig_key
_SECRET = rpc._special_secret_sig
_WIRE_ARGUMENT = re.compile(r"__args__\['(\w+)'\] = (\w+)")


def _sdk_package(package: str) -> Any:
    return importlib.import_module(f"pulumi_{package}")


def _from_an_sdk(resource_type: str) -> bool:
    """Provider resources and providers; not this program's components or the stack."""
    return resource_type.startswith("pulumi:providers:") or "/" in resource_type.split(":")[1]


def _resource_class(resource_type: str) -> type | None:
    """``gitlab:index/groupMembership:GroupMembership`` → ``pulumi_gitlab.GroupMembership``;
    ``pulumi:providers:gitlab`` → ``pulumi_gitlab.Provider``."""
    parts = resource_type.split(":")
    if parts[:2] == ["pulumi", "providers"]:
        return getattr(_sdk_package(parts[2]), "Provider", None)
    package, module, name = parts
    sdk = _sdk_package(package)
    if module.split("/")[0] != "index":
        sdk = importlib.import_module(f"{sdk.__name__}.{module.split('/')[0].lower()}")
    return getattr(sdk, name, None)


@cache
def _args_class(resource_type: str) -> type | None:
    resource = _resource_class(resource_type)
    if resource is None:
        return None
    return getattr(importlib.import_module(resource.__module__), f"{resource.__name__}Args", None)


def _required(init: Any, wire_names: dict[str, str]) -> set[str]:
    """Wire names of the parameters that have no default."""
    return {
        wire_names.get(name, name)
        for name, parameter in inspect.signature(init).parameters.items()
        if name not in ("self", "__self__", "opts")
        and parameter.kind is parameter.KEYWORD_ONLY
        and parameter.default is inspect.Parameter.empty
    }


def _is_unknown(value: Any) -> bool:
    return value == rpc.UNKNOWN


def _unwrap(value: Any) -> Any:
    if isinstance(value, dict) and value.get(_SECRET_KEY) == _SECRET:
        return value.get("value")
    return value


def _type_problems(path: str, value: Any, expected: Any) -> list[str]:
    """Why ``value`` (as the mocks see it) does not fit the SDK's type for it; empty when it does."""
    value = _unwrap(value)
    if value is None or _is_unknown(value):
        return []
    expected = pulumi_types.unwrap_type(expected)
    origin = typing.get_origin(expected)
    if origin is typing.Union:
        members = [a for a in typing.get_args(expected) if a is not type(None)]
        if any(not _type_problems(path, value, member) for member in members):
            return []
        return [f"{path}: {value!r} fits none of {members}"]
    if origin in (collections.abc.Sequence, list, typing.Sequence):
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {value!r}"]
        (item,) = typing.get_args(expected) or (Any,)
        return [p for i, v in enumerate(value) for p in _type_problems(f"{path}[{i}]", v, item)]
    if origin in (collections.abc.Mapping, dict, typing.Mapping):
        if not isinstance(value, dict):
            return [f"{path}: expected a mapping, got {value!r}"]
        _, item = typing.get_args(expected) or (str, Any)
        return [p for k, v in value.items() for p in _type_problems(f"{path}.{k}", v, item)]
    if isinstance(expected, type) and pulumi_types.is_input_type(expected):
        if not isinstance(value, dict):
            return [f"{path}: expected an object ({expected.__name__}), got {value!r}"]
        return _object_problems(path, value, expected)
    if expected is bool:
        return [] if isinstance(value, bool) else [f"{path}: expected a bool, got {value!r}"]
    if expected is int:
        # Numbers cross the wire as floats: an int is a float without a fraction.
        whole = isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
        return [] if whole else [f"{path}: expected an integer, got {value!r}"]
    if expected is float:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return [] if number else [f"{path}: expected a number, got {value!r}"]
    if expected is str:
        return [] if isinstance(value, str) else [f"{path}: expected a string, got {value!r}"]
    return []  # Any, resource references, archives: nothing scalar to hold


def _object_problems(path: str, value: dict, input_type: type) -> list[str]:
    types = pulumi_types.input_type_types(input_type)
    wire_names = pulumi_types.input_type_py_to_pulumi_names(input_type)
    problems = [f"{path}.{key}: not an input of {input_type.__name__}" for key in value if key not in types]
    problems += [
        f"{path}.{key}: required by {input_type.__name__} but not given"
        for key in sorted(_required(input_type.__init__, wire_names))
        if value.get(key) is None
    ]
    problems += [p for key, v in value.items() if key in types for p in _type_problems(f"{path}.{key}", v, types[key])]
    return problems


def resource_input_problems(resource_type: str, name: str, inputs: dict[str, Any]) -> list[str]:
    """What the provider SDK would not accept in a registered resource's inputs."""
    if not _from_an_sdk(resource_type):
        return []  # a component of this program (scm-access:index:Connection): no SDK to hold it against
    args = _args_class(resource_type)
    if args is None:
        return [f"{name}: the SDK has no resource type {resource_type}"]
    return _object_problems(f"{name} ({resource_type})", inputs, args)


@cache
def _invoke_function(token: str) -> tuple[Any, dict[str, str]] | None:
    """``azuredevops:index/getProject:getProject`` → (``get_project``, wire name → parameter name)."""
    package, module, name = token.split(":")
    sdk = _sdk_package(package)
    if module.split("/")[0] != "index":
        sdk = importlib.import_module(f"{sdk.__name__}.{module.split('/')[0].lower()}")
    function = getattr(sdk, re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(), None)
    if function is None:
        return None
    source = inspect.getsource(function)
    if f"'{token}'" not in source:
        return None
    return function, dict(_WIRE_ARGUMENT.findall(source))


def invoke_problems(token: str, args: dict[str, Any]) -> list[str]:
    """What the provider SDK's invoke function would not accept in the arguments of an invoke."""
    found = _invoke_function(token)
    if found is None:
        return [f"the SDK has no function for the invoke {token}"]
    function, parameters = found
    hints = typing.get_type_hints(function)
    problems = [f"{token}: {key} is not an argument" for key in args if key not in parameters]
    for key, value in args.items():
        if key in parameters:
            problems += _type_problems(f"{token}: {key}", value, hints.get(parameters[key], Any))
    return problems


def output_problems(resource_type: str, name: str, outputs: dict[str, Any]) -> list[str]:
    """Fake outputs the resource class does not declare (the program would read nothing there)."""
    resource = _resource_class(resource_type) if _from_an_sdk(resource_type) else None
    if resource is None:
        return []
    declared = set(pulumi_types.resource_pulumi_to_py_names(resource)) | {"id", "urn"}
    return [f"{name}: the fake output {key} is not an output of {resource_type}" for key in outputs if key not in declared]



def invoke_result_problems(token: str, result: dict[str, Any]) -> list[str]:
    """Fake invoke results the SDK's result type does not declare (the program would read nothing there)."""
    found = _invoke_function(token)
    if found is None:
        return []
    function, _ = found
    result_type = typing.get_type_hints(function).get("return")
    awaited = getattr(importlib.import_module(function.__module__), result_type.__name__.replace("Awaitable", ""), None)
    if awaited is None or not pulumi_types.is_output_type(awaited):
        return []
    declared = set(pulumi_types.output_type_types(awaited))
    return [f"{token}: the fake result {key} is not a field of {awaited.__name__}" for key in result if key not in declared]
