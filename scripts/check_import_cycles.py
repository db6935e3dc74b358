"""Refuse import cycles in a package (deferred imports included) and private cross-imports.

import-linter (grimp) sees imports inside functions too, but its contracts are about
layers; none of them says "no cycles between two modules of the same app". This script
does, over every module of the package (tests excluded by default):

- every `import x` / `from x import y` anywhere in a module counts, at module level or
  inside a function or class: a deferred import still runs, so it still makes a cycle;
- imports under `if TYPE_CHECKING:` do not count: they never run;
- `from pkg import name` counts as importing `pkg.name` when that is a module;
- importing `a.b.c` from outside `a.b` also runs `a/b/__init__.py`, so it counts as
  importing `a.b` too (a package's `__init__` that re-exports its modules is a module
  like any other).

It also refuses a module using another module's `_private` name (`from m import _x`,
`m._x`): what other modules build on is public.

Usage: python scripts/check_import_cycles.py [ROOT_DIR] [--include-tests]
Exit status 1 and the cycles on stdout when there is one.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def discover(root: Path, *, include_tests: bool = False) -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        if "migrations" in rel:
            continue
        if not include_tests and any(p == "tests" or p.startswith("test_") for p in rel):
            continue
        if not include_tests and path.name == "conftest.py":
            continue
        modules[module_name(root, path)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def _runtime_nodes(tree: ast.AST, *, type_checking: bool = False) -> Iterator[ast.AST]:
    """Every node that can run: the bodies of `if TYPE_CHECKING:` are skipped (unless asked)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        if not type_checking and isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            stack.append(node.test)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _import_base(name: str, node: ast.ImportFrom, *, is_package: bool) -> str:
    """The absolute module a `from ... import` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    parts = name.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _targets(name: str, target: str, modules: dict[str, Path]) -> list[str]:
    """The modules importing `target` from `name` runs: the module and the packages above it
    that `name` is not inside (their `__init__` runs first)."""
    # The module itself, or the nearest enclosing module when `target` names an object.
    while target and target not in modules:
        target = target.rpartition(".")[0]
    if not target or target == name:
        return []
    found = [target]
    parent = target.rpartition(".")[0]
    while parent in modules and not (name == parent or name.startswith(parent + ".")):
        found.append(parent)
        parent = parent.rpartition(".")[0]
    return found


def imports_of(
    name: str, path: Path, modules: dict[str, Path], *, type_checking: bool = False
) -> dict[str, int]:
    """The package's modules that `name` imports at run time, with the first line of each."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: dict[str, int] = {}
    for node in _runtime_nodes(tree, type_checking=type_checking):
        named: list[str] = []
        if isinstance(node, ast.Import):
            named = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _import_base(name, node, is_package=is_package)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                named.append(candidate if candidate in modules else base)
        for target in named:
            for module in _targets(name, target, modules):
                found.setdefault(module, node.lineno)
    return found


def graph(
    root: Path, *, include_tests: bool = False, type_checking: bool = False
) -> dict[str, dict[str, int]]:
    modules = discover(root, include_tests=include_tests)
    return {
        name: imports_of(name, path, modules, type_checking=type_checking)
        for name, path in modules.items()
    }


class _Tarjan:
    """Strongly connected components, iteratively (no recursion limit on deep chains)."""

    def __init__(self, edges: dict[str, dict[str, int]]) -> None:
        self.edges = edges
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()
        self.components: list[list[str]] = []

    def _enter(self, node: str) -> tuple[str, Iterator[str]]:
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        return node, iter(sorted(self.edges.get(node, {})))

    def _close(self, node: str) -> None:
        if self.low[node] != self.index[node]:
            return
        component: list[str] = []
        while True:
            member = self.stack.pop()
            self.on_stack.discard(member)
            component.append(member)
            if member == node:
                break
        if len(component) > 1:
            self.components.append(sorted(component))

    def visit(self, start: str) -> None:
        work = [self._enter(start)]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    self.low[parent] = min(self.low[parent], self.low[node])
                self._close(node)
            elif child not in self.index:
                work.append(self._enter(child))
            elif child in self.on_stack:
                self.low[node] = min(self.low[node], self.index[child])


def find_cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module, sorted: each a cycle."""
    tarjan = _Tarjan(edges)
    for name in sorted(edges):
        if name not in tarjan.index:
            tarjan.visit(name)
    return sorted(tarjan.components)


def describe(component: list[str], edges: dict[str, dict[str, int]]) -> list[str]:
    members = set(component)
    return [
        f"  {source} -> {target} (line {line})"
        for source in component
        for target, line in sorted(edges[source].items())
        if target in members
    ]


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_aliases(
    name: str, tree: ast.AST, modules: dict[str, Path]
) -> tuple[dict[str, str], list[str]]:
    """Names bound to the package's modules in `tree`, and `from m import _private` uses."""
    aliases: dict[str, str] = {}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if target in modules:
                    aliases[alias.asname or alias.name] = target
                elif node.module in modules and _private(alias.name):
                    found.append(f"{name}:{node.lineno} imports {node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            aliases.update({a.asname: a.name for a in node.names if a.asname and a.name in modules})
    return aliases, found


def private_uses(root: Path, *, include_tests: bool = False) -> list[str]:
    """Where a module uses another module's `_private` name.

    `from srmt.x import _name`, and `alias._name` where `alias` was bound by importing
    one of the package's modules (`from srmt import x as alias`, `import srmt.x as alias`).
    """
    modules = discover(root, include_tests=include_tests)
    found: list[str] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        aliases, imported = _module_aliases(name, tree, modules)
        found += imported
        found += [
            f"{name}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and _private(node.attr)
            and aliases[node.value.id] != name
        ]
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default="srmt", type=Path)
    parser.add_argument("--include-tests", action="store_true")
    parser.add_argument(
        "--include-type-checking",
        action="store_true",
        help="count imports under `if TYPE_CHECKING:` too (annotation-only cycles; informative)",
    )
    args = parser.parse_args(argv)
    edges = graph(
        args.root.resolve(),
        include_tests=args.include_tests,
        type_checking=args.include_type_checking,
    )
    cycles = find_cycles(edges)
    out: list[str] = []
    for number, component in enumerate(cycles, 1):
        out.append(f"cycle {number}: {', '.join(component)}")
        out += describe(component, edges)
    out.append(f"{len(edges)} modules, {len(cycles)} import cycle(s)")
    privates = private_uses(args.root.resolve(), include_tests=args.include_tests)
    out += [f"private name used across modules: {line}" for line in privates]
    out.append(f"{len(privates)} use(s) of another module's private name")
    sys.stdout.write("\n".join(out) + "\n")
    return 1 if cycles or privates else 0


if __name__ == "__main__":
    sys.exit(main())
