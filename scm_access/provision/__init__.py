"""The Pulumi side of scm-access: stack settings, explicit providers, one component per connection, the
program that assembles them, and the mapping from provider resources to rule facts the policy pack uses.

Platform knowledge (settings, providers, which resources make which credential, secret stores) lives in
``scm_access.platforms.<platform>.provision`` behind :class:`~scm_access.provision.provisioner.Provisioner`.
"""
