"""The lowest layer: what every other layer speaks of. Platforms and credential kinds are open vocabularies,
built from the platform folders found under :mod:`scm_access.platforms`."""

from scm_access.core.kinds import CredentialKind, KindSpec, Platform

__all__ = ["CredentialKind", "KindSpec", "Platform"]
