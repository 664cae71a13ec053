"""What the commands print and write: one registry of output formats (terminal, Markdown, JSON, HTML) and
the renderers of plans, instructions and findings, sharing one way of making outside text safe."""

from scm_access.outputs.registry import FORMAT_ALIASES, OutputFormat, emit, formats_for, render

__all__ = ["FORMAT_ALIASES", "OutputFormat", "emit", "formats_for", "render"]
