"""The organisation's credential rules, applied by `scm-access plan`, `verify` and the CrossGuard pack."""

from scm_access.declarations import CredentialKind, Platform, Policy

POLICY = Policy(
    default_max_lifetime_days=90,
    max_lifetime_days={
        CredentialKind.GITHUB_FINE_GRAINED_PAT: 90,
        CredentialKind.AZURE_DEVOPS_PAT: 180,
        CredentialKind.GITLAB_GROUP_ACCESS_TOKEN: 90,
        CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN: 90,
    },
    forbidden_scopes={
        Platform.GITHUB: ["delete_repo", "admin:enterprise", "site_admin"],
        Platform.GITLAB: ["sudo", "admin_mode"],
        # Full access tokens reach every organization resource the user can.
        Platform.AZURE_DEVOPS: ["app_token"],
    },
    allow_classic_pats=True,
    prefer_org_managed=True,
    expiry_warning_days=14,
    rotate_before_days=7,
)
