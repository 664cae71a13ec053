"""The interface between the verification runner and each platform's verifier.

A platform verifier lives in ``scm_access/platforms/<platform>/verify.py`` and exposes::

    def api_root(slot: Slot) -> str
        # API root for the slot's host (cloud or self-hosted), e.g. https://api.github.com

    async def verify(ctx: VerifyContext) -> Finding
        # observe the token with read-only requests, then `return ctx.conclude(observation)`

The verifier only *observes*: token kind, owner, scopes, expiry and the platform-specific facts (SSO,
group membership...), adding platform-specific problems to its :class:`~scm_access.judge.Observation`.
:meth:`VerifyContext.conclude` hands it to the judge (:func:`scm_access.judge.judge`), which applies the
checks every platform shares and decides the status. Errors from :mod:`scm_access.http` may simply
propagate: the runner turns them into an ``unknown`` finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scm_access.declarations.policy import Policy
from scm_access.http import Api, ApiClient, ApiError, RateLimited
from scm_access.judge import Finding, Observation, ProblemCode, judge
from scm_access.plan.slot import Slot
from scm_access.verify.token import Token

if TYPE_CHECKING:
    from collections.abc import Mapping


def code_for(error: ApiError) -> ProblemCode:
    """The problem code of a request that gave no usable answer."""
    return ProblemCode.RATE_LIMITED if isinstance(error, RateLimited) else ProblemCode.API_ERROR


def failed(observation: Observation, error: ApiError) -> None:
    """A request gave no usable answer: keep what was observed so far, and make the verdict unknown."""
    observation.add(code_for(error), error.reason)


@dataclass
class VerifyContext:
    slot: Slot
    token: Token
    policy: Policy
    http: ApiClient
    api_root: str
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def api(
        self, headers: Mapping[str, str], root: str | None = None, *, rate_limit_phrases: tuple[str, ...] = ()
    ) -> Api:
        """The HTTP layer rooted at ``root`` (default: the slot's API), sending ``headers`` (the credential)
        on each request; ``rate_limit_phrases``: the platform's wording for a refusal for rate."""
        return self.http.at(root or self.api_root, headers, rate_limit_phrases=rate_limit_phrases)

    def conclude(self, observation: Observation) -> Finding:
        return conclude(self, observation)


def conclude(ctx: VerifyContext, observation: Observation) -> Finding:
    """The finding on what the verifier saw with the token in hand."""
    observation.token_last_four = ctx.token.last_four or None
    return judge(ctx.slot, observation, ctx.policy, ctx.now)
