"""The package's structure, read from its source: no import circle, and one module that reads
document files (fastscratch/data/reader.py)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules() -> dict[str, Path]:
    """Module name -> file, for the package (``kernels/`` installs as ``fastscratch.kernels``)."""
    found = {}
    for top, package in (("fastscratch", "fastscratch"), ("kernels", "fastscratch.kernels")):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT / top).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` but those under ``if TYPE_CHECKING:`` (never run)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                stack.extend(child.orelse)
            else:
                stack.append(child)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports, wherever the import stands (in a function too:
    a circle closed by an import inside a function is a circle all the same)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                           for alias in node.names]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "fastscratch.app.cluster" in graph["fastscratch.app.cli"]  # imported inside cmd_score
    assert "fastscratch.kernels.embed" in graph["fastscratch.text.vectors"]


def test_no_module_imports_one_that_imports_it_back():
    found = circles(import_graph())
    assert not found, f"import circles in the package: {found}"


# Calls that read a file of documents (pandas' and Arrow's readers). The GloVe package's word
# index (a Parquet file of the vectors, not of documents) is read by the vectors' own store.
READERS = {"read_csv", "read_json", "read_excel", "read_parquet", "ExcelFile", "ParquetFile", "iter_batches",
           "read_table"}
VECTOR_INDEX = {"fastscratch/text/vectors.py": {"read_table"}, "fastscratch/benchmarks/workloads.py": {"read_table"}}


def test_only_the_reader_reads_document_files():
    readers = {}
    for path in sorted((ROOT / "fastscratch").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == "fastscratch/data/reader.py":
            continue
        called = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                  for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Call)}
        extra = (called & READERS) - VECTOR_INDEX.get(name, set())
        if extra:
            readers[name] = sorted(extra)
    assert not readers, f"document files read outside fastscratch/data/reader.py: {readers}"
