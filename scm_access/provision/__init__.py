"""The Pulumi side of scm-access: stack settings, explicit providers, one component per connection, the
program that assembles them, and the mapping from provider resources to rule facts the policy pack uses.

Platform knowledge (which resources make which credential) lives in
``scm_access.platforms.<platform>.provision``.
"""
