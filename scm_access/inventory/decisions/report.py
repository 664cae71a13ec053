"""Every decision and act as one JSON-ready document, the same for every output format and the stack output.

Requests (``scm-access requests``)::

    {"date", "mode": {"apply", "review_token_requests"}, "sources": [{"platform", "source", "status", "detail", "scope"}],
     "requests": [{"platform", "org", "id", "requester", "token_name", "decision", "reason", "slot", "exceeds",
                   "link", "result", "result_detail"}],
     "counts": {"approve", "deny", "undecided", "done", "failed", "not_sent"}}

Revocations (``scm-access inventory --revoke``)::

    {"date", "mode": {"apply", "allow_revocation", "revoke_when", "max_revocations_per_run"},
     "revocations": [{"platform", "kind", "source", "id", "name", "affected", "cause", "detail", "slot",
                      "remedy", "result", "result_detail"}],
     "counts": {"proposed", "done", "failed", "not_sent"}}

``result`` is ``done`` (sent and accepted), ``failed`` (sent, refused or unanswered) or ``not_sent`` (the
detail says why: a dry run, the policy, the cap, an uncertain verdict). Nothing here is ever a credential:
what a server said is scrubbed of every credential this process knows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from scm_access.declarations.policy import Policy
from scm_access.inventory.decisions.model import ActResult, Decision, RequestDecision, RevocationProposal
from scm_access.inventory.model import SourceReport
from scm_access.judge.secrets import scrub


def requests_document(
    now: datetime,
    policy: Policy,
    apply: bool,
    sources: Sequence[SourceReport],
    acts: Sequence[tuple[RequestDecision, ActResult]],
) -> dict[str, Any]:
    rows = [
        {
            "platform": d.request.platform.value,
            "org": d.request.org,
            "id": d.request.id,
            "requester": d.request.requester,
            "token_name": d.request.token_name,
            "decision": d.decision.value,
            "reason": d.reason,
            "slot": d.slot,
            "exceeds": list(d.exceeds),
            "link": d.link,
            "result": r.outcome.value,
            "result_detail": scrub(r.detail),
        }
        for d, r in acts
    ]
    decisions = Counter(d.decision.value for d, _ in acts)
    results = Counter(r.outcome.value for _, r in acts)
    return {
        "date": now.isoformat(),
        "mode": {"apply": apply, "review_token_requests": policy.review_token_requests},
        "sources": [_source(s) for s in sources],
        "requests": rows,
        "counts": {
            **{d.value: decisions.get(d.value, 0) for d in Decision},
            **{o: results.get(o, 0) for o in ("done", "failed", "not_sent")},
        },
    }


def revocations_document(
    now: datetime, policy: Policy, apply: bool, acts: Sequence[tuple[RevocationProposal, ActResult]]
) -> dict[str, Any]:
    rows = [
        {
            "platform": p.credential.platform.value,
            "kind": p.credential.kind.value if p.credential.kind else p.credential.kind_label,
            "source": p.credential.source,
            "id": p.credential.id,
            "name": p.credential.name,
            "affected": p.affected,
            "cause": p.cause,
            "detail": p.detail,
            "slot": p.slot,
            "remedy": p.remedy,
            "result": r.outcome.value,
            "result_detail": scrub(r.detail),
        }
        for p, r in acts
    ]
    results = Counter(r.outcome.value for _, r in acts)
    allowed = policy.allow_revocation
    return {
        "date": now.isoformat(),
        "mode": {
            "apply": apply,
            "allow_revocation": allowed if isinstance(allowed, bool) else [str(a.value) for a in allowed],
            "revoke_when": list(policy.revoke_when),
            "max_revocations_per_run": policy.max_revocations_per_run,
        },
        "revocations": rows,
        "counts": {"proposed": len(rows), **{o: results.get(o, 0) for o in ("done", "failed", "not_sent")}},
    }


def _source(report: SourceReport) -> dict[str, Any]:
    return {
        "platform": report.platform,
        "source": report.source,
        "status": report.status.value,
        "detail": scrub(report.detail),
        "scope": report.scope,
    }
