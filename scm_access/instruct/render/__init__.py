"""Renderers for instructions: terminal, Markdown, JSON and standalone HTML."""

from scm_access.instruct.render.html import render_html
from scm_access.instruct.render.json import render_json
from scm_access.instruct.render.markdown import render_markdown
from scm_access.instruct.render.terminal import render_terminal

__all__ = ["render_html", "render_json", "render_markdown", "render_terminal"]
