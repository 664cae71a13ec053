from __future__ import annotations

from scm_access.instruct.model import Instructions, Step


def render_markdown(instructions: list[Instructions]) -> str:
    return "\n\n".join(render_one(i) for i in instructions) + ("\n" if instructions else "")


def render_one(item: Instructions) -> str:
    lines = [
        f"## {item.title}",
        "",
        f"- **Token name:** `{item.token_name}`",
        f"- **Host:** {item.host}",
        f"- **Expires:** {item.expires_at.isoformat()} ({item.lifetime_days} days)",
    ]
    if item.creation_link:
        lines.append(f"- **Pre-filled creation link:** <{item.creation_link}>")
    lines.append("- **Scopes:** " + ", ".join(f"`{s.name}`" if s.label == s.name else f"{s.label} (`{s.name}`)"
                                              for s in item.scopes))
    if item.prerequisites:
        lines += ["", "**Before you start**", ""]
        lines += [f"- {p}" for p in item.prerequisites]
    lines += ["", "**Steps**", ""]
    for number, step in enumerate(item.steps, start=1):
        lines += _step(number, step)
    if item.notes:
        lines += ["", "**Notes**", ""]
        lines += [f"- {n}" for n in item.notes]
    return "\n".join(lines)


def _step(number: int, step: Step) -> list[str]:
    text = f"{number}. {step.text}"
    if step.link:
        text += f" <{step.link}>"
    return [text, *(f"   - {item}" for item in step.items)]
