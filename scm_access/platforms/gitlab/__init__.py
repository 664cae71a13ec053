"""GitLab.com and self-managed GitLab."""
