"""A connection: one integration's declared need, across the platforms it connects to.

Each platform folder declares the model of its entries in ``access.py`` (``ACCESS``, a subclass of
:class:`~scm_access.declarations.access.Access` whose ``platform`` is the folder's name); a connection's
``access`` list takes any of them, told apart by ``platform``. Adding a platform is adding its folder: nothing
here names one.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Field, ValidationError, model_validator

from scm_access.core.discovery import load_platform_module
from scm_access.core.kinds import Platform
from scm_access.declarations.access import (
    SLUG,
    Access,
    Delivery,
    DeclarationModel,
    GroupMembership,
    Holder,
    IntegrationField,
    Person,
    Prerequisite,
    PublicOrgMembership,
    RepositoryPermission,
    SamlSsoAuthorization,
    SecretStore,
    ServiceIdentity,
)
from scm_access.declarations.location import record_location
from scm_access.errors import DeclarationError

# Shared parts, importable from here as before the platform entries moved to their folders.
__all__ = [
    "SLUG",
    "Access",
    "Connection",
    "DeclarationModel",
    "Delivery",
    "GroupMembership",
    "Holder",
    "IntegrationField",
    "Person",
    "Prerequisite",
    "PublicOrgMembership",
    "RepositoryPermission",
    "SamlSsoAuthorization",
    "SecretStore",
    "ServiceIdentity",
]


def _access_modules() -> dict[str, ModuleType]:
    modules: dict[str, ModuleType] = {}
    for platform in Platform:
        module = load_platform_module(platform.value, "access")
        if module is None:
            raise RuntimeError(
                f"platform folder {platform.value!r} has kinds.py but no access.py: declarations cannot name it"
            )
        modules[platform.value] = module
    return modules


def _access_model(folder: str, module: ModuleType) -> type[Access]:
    model = getattr(module, "ACCESS", None)
    if not (isinstance(model, type) and issubclass(model, Access)):
        raise RuntimeError(f"{module.__name__}.ACCESS must be a subclass of scm_access.declarations.access.Access")
    declared = model.model_fields["platform"].default
    if declared != folder:
        raise RuntimeError(f"{model.__name__}.platform defaults to {declared!r}; it must be its folder's name, {folder!r}")
    return model


_ACCESS_MODULES = _access_modules()
ACCESS_MODELS: dict[str, type[Access]] = {
    folder: _access_model(folder, module) for folder, module in _ACCESS_MODULES.items()
}
"""Each platform's entry model, by platform value."""


def declared_names() -> dict[str, Any]:
    """What each platform folder's ``access.py`` offers declaration files (its ``__all__``), by name."""
    names: dict[str, Any] = {}
    for folder, module in _ACCESS_MODULES.items():
        for name in getattr(module, "__all__", [ACCESS_MODELS[folder].__name__]):
            if name in names and names[name] is not getattr(module, name):
                raise RuntimeError(f"{name!r} is offered by two platform folders' access.py")
            names[name] = getattr(module, name)
    return names


def _entry_type() -> Any:
    models = tuple(ACCESS_MODELS.values())
    if len(models) == 1:  # a union of one cannot be discriminated: the model is the whole choice
        return models[0]
    return Annotated[Union[models], Field(discriminator="platform")]


if TYPE_CHECKING:
    PlatformAccess = Access
else:
    PlatformAccess = _entry_type()
    """Any platform's entry, chosen by its ``platform`` value."""


class Connection(DeclarationModel):
    """One integration's declared need, across the platforms it connects to."""

    name: Annotated[str, Field(pattern=SLUG, description="Unique connection name (lowercase, dashes).")]
    integration: str = Field(description="The external system, e.g. 'StackSpot'.")
    owner: str = Field(description="Team accountable for this connection.")
    purpose: str = Field(description="Why the integration needs access, in one sentence.")
    guide: str | None = Field(None, description="The integration's setup guide (title or URL).")
    access: list[PlatformAccess] = Field(min_length=1)

    def __init__(self, **data: Any) -> None:
        # Name the connection in every structural error, so a bad declaration reads as one clear line.
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise DeclarationError.from_validation(error, connection=data.get("name")) from None

    def model_post_init(self, context: Any) -> None:
        record_location(self)  # reviews point at the declaration's line

    @model_validator(mode="after")
    def _one_entry_per_platform_and_host(self) -> Connection:
        seen: dict[tuple[str, str], int] = {}
        for index, entry in enumerate(self.access):
            key = (entry.platform, str(entry.base_url or ""))
            if key in seen:
                raise ValueError(
                    f"access[{index}] repeats platform {entry.platform!r} (first at access[{seen[key]}]);"
                    " merge them"
                )
            seen[key] = index
        return self

    def access_for(self, platform: Platform | str) -> list[Access]:
        return [a for a in self.access if a.platform == str(platform)]


def __getattr__(name: str) -> Any:
    # A platform's entry model by its old address (``from scm_access.declarations.connection import
    # GitHubAccess``); it lives in the platform's folder.
    offered = declared_names()
    if name in offered:
        return offered[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
