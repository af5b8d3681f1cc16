"""A contract import-linter lacks: its graph knows external packages only by their top
level (``aiohttp``), so "only bot.web imports aiohttp.web" is read off the import lines."""

from __future__ import annotations

import re

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class ExternalSubmoduleContract(Contract):
    """No module outside ``allowed`` imports ``submodule`` (e.g. aiohttp.web) of an
    external package, whether as ``import a.b``, ``from a import b`` or ``from a.b import x``."""

    type_name = "external_submodule"

    submodule = fields.StringField()
    allowed = fields.SetField(subfield=fields.StringField())
    root = fields.StringField()

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        package, _, leaf = str(self.submodule).rpartition(".")
        pattern = re.compile(
            rf"^\s*(import\s+{re.escape(package)}\.{leaf}\b"
            rf"|from\s+{re.escape(package)}\.{leaf}\b"
            rf"|from\s+{re.escape(package)}\s+import\s+(\(?\s*|.*,\s*){leaf}\b)")
        allowed = {str(a) for a in self.allowed}  # type: ignore[attr-defined]
        top = package.split(".")[0]
        found: list[str] = []
        for importer in sorted(graph.find_modules_that_directly_import(top)):
            if not importer.startswith(str(self.root)):
                continue
            if any(importer == a or importer.startswith(a + ".") for a in allowed):
                continue
            for detail in graph.get_import_details(importer=importer, imported=top):
                if pattern.search(detail["line_contents"]):
                    found.append(f"{importer}:{detail['line_number']}: "
                                 f"{detail['line_contents'].strip()}")
        return ContractCheck(kept=not found, metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["found"]:
            output.print_error(line)
