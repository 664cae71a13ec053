"""GitLab-specific credential rules (discovered by scm_access.rules)."""
