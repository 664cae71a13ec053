from __future__ import annotations

import json

from scm_access.instruct.model import Instructions


def render_json(instructions: list[Instructions]) -> str:
    return json.dumps([i.to_dict() for i in instructions], indent=2)
