"""`scm-access schema`: the JSON Schema of the declarations."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from scm_access.declarations.connection import Connection
from scm_access.declarations.policy import Policy


class SchemaModel(StrEnum):
    connection = "connection"
    policy = "policy"


def schema_command(
    model: Annotated[SchemaModel, typer.Argument(help="Which declaration: connection or policy.")] = SchemaModel.connection,
) -> None:
    """Print the JSON Schema of the declarations (for editors and reviews)."""
    schema_of = Connection if model == SchemaModel.connection else Policy
    typer.echo(json.dumps(schema_of.model_json_schema(), indent=2))
