"""scm-access: connections-as-code for source-control credentials."""

__version__ = "0.1.0"
