"""GitHub's credential kinds."""

from scm_access.core.kinds import KindSpec

KINDS = (
    KindSpec(
        value="github_classic_pat",
        label="GitHub personal access token (classic)",
        short_label="classic PAT",
        personal=True,
        lifetime_ceiling_days=None,  # GitHub accepts a classic token that never expires
        token_prefixes=("ghp_",),
        verification="It reports missing or excess scopes, the expiry, the owner, and the single sign-on"
        " authorization and memberships the declaration asks for.",
    ),
    KindSpec(
        value="github_fine_grained_pat",
        label="GitHub fine-grained personal access token",
        short_label="fine-grained PAT",
        personal=True,
        lifetime_ceiling_days=366,
        token_prefixes=("github_pat_",),
        verification="It checks the owner, the expiry, that each declared repository can be reached and that"
        " each declared permission can read there. GitHub does not show a fine-grained token's other"
        " permissions, nor write access, to the token: at best the result is `partially_verified`, and the"
        " rest is settled in the organization's list of fine-grained tokens, which `verify` reads itself when"
        " the GitHub App is configured (then a right token is `ok`).",
    ),
    KindSpec(
        value="github_deploy_key",
        label="GitHub deploy key",
        short_label="deploy key",
        personal=False,
        form="ssh_key",
        expires=False,  # a key has no expiry: the stack replaces it with a new one every lifetime
        api_access=False,
        pulumi_resource_types=("github:index/repositoryDeployKey:RepositoryDeployKey",),
    ),
    KindSpec(
        value="github_app_installation_token",
        label="GitHub App installation token",
        short_label="app installation token",
        personal=False,
        token_prefixes=("ghs_",),
    ),
)
