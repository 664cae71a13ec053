"""Bitbucket Cloud."""
