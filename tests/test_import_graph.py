"""No import circles in relboard (issue 20 point 6): modules depend one way, including the
imports made inside functions (the start-up's lazy ones). ``__main__`` -> start-up (``launch``)
-> app; ``config`` (the schema) imports nothing of ``config_check`` (the loader
and its checks)."""

from __future__ import annotations

import ast
from pathlib import Path

import relboard

ROOT = Path(relboard.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _graph() -> dict[str, set[str]]:
    """Module -> the relboard modules it imports anywhere in its text."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(max(node.level - 1, 0)):
                    base = base.rpartition(".")[0]
                target = (f"{base}.{node.module}" if node.module else base) if node.level \
                    else node.module or ""
                if target in modules:
                    graph[name].add(target)
                graph[name].update(f"{target}.{a.name}" for a in node.names
                                   if f"{target}.{a.name}" in modules)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_circles():
    assert _circles(_graph()) == []


def test_the_graph_sees_lazy_imports():
    """The check reads imports inside functions too (else it could pass by not looking)."""
    graph = _graph()
    assert "relboard.launch" in graph["relboard.cli.run"]  # imported inside run()
    assert "relboard.config_check" in graph["relboard.cli.command"]
    assert _circles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
