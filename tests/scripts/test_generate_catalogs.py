"""The generated catalog data modules are exactly what scripts/generate_catalogs.py makes from the pinned inputs."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("generate_catalogs", ROOT / "scripts" / "generate_catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = _generator()


@pytest.mark.parametrize("output", sorted(generator.OUTPUTS), ids=lambda p: p.name)
def test_committed_module_is_byte_identical_to_what_the_pinned_inputs_give(output: Path) -> None:
    assert output.read_bytes() == generator.OUTPUTS[output]().encode("utf-8")


def test_check_mode_reports_a_stale_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "permissions_data.py"
    stale.write_text("# edited by hand\n", encoding="utf-8")
    monkeypatch.setattr(generator, "OUTPUTS", {stale: generator.render_github})
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    assert generator.main(["--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "# edited by hand\n"
    assert generator.main([]) == 0
    assert generator.main(["--check"]) == 0


def test_a_scope_in_the_specifications_but_not_in_microsofts_table_is_refused(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    (sources / "azure_devops").mkdir(parents=True)
    pinned = ROOT / "scripts" / "catalog_sources" / "azure_devops"
    spec = json.loads((pinned / "oauth-scopes-7.1.json").read_text(encoding="utf-8"))
    spec["scopes"]["vso.newthing"] = {"areas": [], "description": ""}
    (sources / "azure_devops" / "oauth-scopes-7.1.json").write_text(json.dumps(spec), encoding="utf-8")
    (sources / "azure_devops" / "scope-table.json").write_bytes((pinned / "scope-table.json").read_bytes())
    with pytest.raises(SystemExit, match="vso.newthing"):
        generator.render_azure_devops(sources)


def test_every_pinned_input_names_where_it_came_from_and_its_licence() -> None:
    for path in sorted((ROOT / "scripts" / "catalog_sources").rglob("*.json")):
        source = json.loads(path.read_text(encoding="utf-8"))["source"]
        assert source, path
    notice = (ROOT / "scripts" / "catalog_sources" / "NOTICE").read_text(encoding="utf-8")
    for licence in ("CC-BY-4.0", "MIT"):
        assert licence in notice
