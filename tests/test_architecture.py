"""The package map holds: no two packages under src/resurskurs import each other, directly or through a chain.

Every import counts, also one inside a function or behind TYPE_CHECKING, since each is a dependency a
reader has to hold in their head. A top-level module (cli.py, files.py, paths.py) is a package of its own.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "resurskurs"
Graph = dict[str, dict[str, list[str]]]


def package_of(file: Path, root: Path) -> str:
    parts = file.relative_to(root).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def imported_packages(file: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), str(file))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "resurskurs" and len(parts) > 1:
                yield parts[1]


def import_graph(root: Path) -> Graph:
    """Package → the packages it imports → the files that do it."""
    graph: Graph = {}
    for file in sorted(root.rglob("*.py")):
        source = package_of(file, root)
        for target in imported_packages(file):
            if target != source:
                graph.setdefault(source, {}).setdefault(target, []).append(str(file.relative_to(root)))
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """Every strongly connected group of two or more packages (Tarjan's algorithm), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


class DescribeThePackageMap:
    def it_has_no_import_cycle_between_packages(self) -> None:
        graph = import_graph(PACKAGE)
        explained = [
            f"{' ↔ '.join(group)}: "
            + "; ".join(
                f"{source} → {target} in {', '.join(graph[source][target])}"
                for source in group
                for target in group
                if target in graph.get(source, {})
            )
            for group in cycles(graph)
        ]
        assert explained == []

    def it_keeps_the_core_and_the_schema_below_every_consumer(self) -> None:
        graph = import_graph(PACKAGE)
        below = {"schema": {"schema"}, "core": {"schema", "catalog", "core"}}
        for package, allowed in below.items():
            assert set(graph.get(package, {})) - allowed - {"files", "paths"} == set(), package


KNOWS_WHERE_IT_RUNS = {"backend", "hub", "cli", "testing"}
"""The seam to shared state, the hub's own processes (user server, service), the command line that starts
them (`resurskurs hub try`) and the test harness that starts a hub (`testing/hub.py`); `server/` starts either
without asking."""
IMPLEMENTATIONS = (
    "resurskurs.backend.hub",
    "resurskurs.backend.local",
    "resurskurs.backend.service_call",
    "resurskurs.backend.settings",
    "resurskurs.hub",
)
HUB_VARIABLES = re.compile(r"JUPYTERHUB_API_TOKEN|RESURSKURS_GRADER_URL|JUPYTERHUB_SERVICE")


def full_imports(file: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), str(file))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def where_it_runs_is_asked(root: Path) -> list[str]:
    """Files outside KNOWS_WHERE_IT_RUNS that import an implementation of the seam or read the hub's variables."""
    found = []
    for file in sorted(root.rglob("*.py")):
        if package_of(file, root) in KNOWS_WHERE_IT_RUNS:
            continue
        named = [name for name in full_imports(file) if name.startswith(IMPLEMENTATIONS)]
        if named or HUB_VARIABLES.search(file.read_text(encoding="utf-8")):
            found.append(f"{file.relative_to(root)}: {named or 'reads a hub variable'}")
    return found


class DescribeTheSeamToSharedState:
    """Only `backend` (and the hub's own processes) know which implementation runs; pages hold a `Backend`."""

    def it_lets_no_page_ask_whether_it_runs_under_the_hub(self) -> None:
        assert where_it_runs_is_asked(PACKAGE) == []

    def it_would_see_a_page_that_asks(self, tmp_path: Path) -> None:
        root = tmp_path / "resurskurs"
        (root / "player").mkdir(parents=True)
        (root / "player" / "a.py").write_text("from resurskurs.backend.hub import call\n")
        (root / "player" / "b.py").write_text("import os\nos.environ.get('RESURSKURS_GRADER_URL')\n")
        (root / "player" / "c.py").write_text("from resurskurs.backend import backend_for\n")
        assert [line.split(":")[0] for line in where_it_runs_is_asked(root)] == ["player/a.py", "player/b.py"]


class DescribeTheCycleFinder:
    """The checker itself must see a cycle, or a green result above would mean nothing."""

    def it_finds_a_cycle_through_a_chain_of_three(self) -> None:
        graph: Graph = {"a": {"b": ["a/x.py"]}, "b": {"c": ["b/y.py"]}, "c": {"a": ["c/z.py"]}, "d": {"a": ["d.py"]}}
        assert cycles(graph) == [["a", "b", "c"]]

    def it_reads_imports_inside_functions_and_type_checking_blocks(self, tmp_path: Path) -> None:
        root = tmp_path / "resurskurs"
        (root / "one").mkdir(parents=True)
        (root / "two").mkdir()
        (root / "one" / "m.py").write_text(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from resurskurs.two.n import X\n"
        )
        (root / "two" / "n.py").write_text("def f():\n    import resurskurs.one.m\n")
        assert cycles(import_graph(root)) == [["one", "two"]]

    @pytest.mark.parametrize("line", ["from resurskurs.core import answers", "import resurskurs.core.answers"])
    def it_names_the_package_an_import_reaches(self, tmp_path: Path, line: str) -> None:
        file = tmp_path / "m.py"
        file.write_text(line + "\n")
        assert list(imported_packages(file)) == ["core"]
