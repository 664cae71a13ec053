"""A standalone HTML page per connection: no external assets, readable in any browser and in print."""

from __future__ import annotations

import re
from html import escape

from scm_access.instruct.model import Instructions, Step

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_ITALIC = re.compile(r"(?<![*\w])\*([^*]+)\*(?!\*)")

_STYLE = """
:root { --ink:#1f2328; --muted:#59636e; --line:#d1d9e0; --accent:#0b5fff; --warn:#9a6700; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: var(--bg); }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
header h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
header p { margin: .2rem 0; color: var(--muted); }
section.slot { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1.25rem 1.5rem;
               margin-top: 1.5rem; }
section.slot h2 { font-size: 1.2rem; margin: 0 0 .75rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
dt { color: var(--muted); } dd { margin: 0; }
a.button { display: inline-block; background: var(--accent); color: #fff; text-decoration: none;
           padding: .55rem 1rem; border-radius: 6px; font-weight: 600; margin: .25rem 0 1rem; }
ol.steps > li { margin: .45rem 0; } ol.steps ul { margin: .3rem 0; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg);
       border: 1px solid var(--line); border-radius: 4px; padding: 0 .3em; word-break: break-all; }
.chips { display: flex; flex-wrap: wrap; gap: .35rem; list-style: none; padding: 0; margin: 0; }
.chips li { border: 1px solid var(--line); border-radius: 999px; padding: .1rem .6rem; background: var(--bg);
            font-size: .9rem; }
.prereq { border-left: 4px solid var(--warn); background: #fff8c5; padding: .5rem .9rem; margin: .75rem 0;
          border-radius: 0 6px 6px 0; }
.notes { color: var(--muted); font-size: .93rem; }
ul.toc { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; list-style: none; padding: 0; margin: .8rem 0 0; }
ul.toc a { color: var(--accent); }
@media print { body { background: #fff; } a.button { color: var(--accent); background: none; border: 1px solid; } }
"""


def inline(text: str) -> str:
    """The Markdown subset the steps use, as HTML (input escaped first)."""
    text = escape(text, quote=False)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    return _CODE.sub(r"<code>\1</code>", text)


def render_html(instructions: list[Instructions], *, title: str, subtitle: str = "") -> str:
    sections = "\n".join(_section(item) for item in instructions)
    if not instructions:
        sections = '<section class="slot"><p>No personal token to create: every credential of this'
        sections += " connection is provisioned by the organisation.</p></section>"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<header>
<h1>{escape(title)}</h1>
{f"<p>{escape(subtitle)}</p>" if subtitle else ""}
<p>Each section below is one token and names the account that creates it (a person, or a machine user to sign in as): follow the steps of yours. A token is shown only once: paste it only where the steps say.</p>
{_contents(instructions)}
</header>
{sections}
</main>
</body>
</html>
"""


def _contents(instructions: list[Instructions]) -> str:
    if len(instructions) < 2:
        return ""
    links = "".join(
        f'<li><a href="#{escape(i.slot)}">{escape(i.platform_name)} — {escape(i.holder)}</a></li>' for i in instructions
    )
    return f'<nav aria-label="Tokens on this page"><ul class="toc">{links}</ul></nav>'


def _section(item: Instructions) -> str:
    link = (
        f'<a class="button" href="{escape(item.creation_link)}" rel="noreferrer">Open the pre-filled form</a>'
        if item.creation_link
        else ""
    )
    prerequisites = "".join(f'<p class="prereq">{inline(p)}</p>' for p in item.prerequisites)
    scopes = "".join(
        f"<li><code>{escape(s.name)}</code></li>" if s.label == s.name
        else f"<li>{escape(s.label)} <code>{escape(s.name)}</code></li>"
        for s in item.scopes
    )
    steps = "".join(_step(step, item.creation_link) for step in item.steps)
    notes = "".join(f"<li>{inline(n)}</li>" for n in item.notes)
    return f"""<section class="slot" id="{escape(item.slot)}">
<h2>{escape(item.title)}</h2>
<dl>
<dt>Token name</dt><dd><code>{escape(item.token_name)}</code></dd>
<dt>Expires</dt><dd>{item.expires_at.isoformat()} ({item.lifetime_days} days)</dd>
<dt>Host</dt><dd>{escape(item.host)}</dd>
<dt>Scopes</dt><dd><ul class="chips">{scopes}</ul></dd>
</dl>
{prerequisites}
{link}
<ol class="steps">{steps}</ol>
{f'<ul class="notes">{notes}</ul>' if notes else ""}
</section>"""


def _step(step: Step, creation_link: str | None) -> str:
    body = inline(step.text)
    if step.link and step.link != creation_link:
        body += f' <a href="{escape(step.link)}" rel="noreferrer">{escape(step.link)}</a>'
    elif step.link:
        body += f' <a href="{escape(step.link)}" rel="noreferrer">(link)</a>'
    if step.items:
        body += "<ul>" + "".join(f"<li>{inline(i)}</li>" for i in step.items) + "</ul>"
    return f"<li>{body}</li>"
