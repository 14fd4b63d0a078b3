"""No import circle between the project's own modules.

The graph is built from the source with `ast`, not by importing it: every
project .py file outside `.venv`, `var` and migrations is a module (tests
included), and an edge runs from a module to each project module it imports.
`from x import y` counts as an import of `x.y` when that is a module, of `x`
otherwise; relative imports are resolved; a package's `__init__` is not
counted as imported along with its submodules.

Imports inside functions count as much as those at the top of a module: a
function-level import is how a circle is usually hidden (the
`dashboards.services` ⇄ `dashboards.tasks` and `notifications.services` →
`tasks` → `reminders` circles of issue 13 were both made of them), and it is
still a dependency each way. Imports under `if TYPE_CHECKING:` do not count
(they never run), nor do names handed to `importlib` (a service queues its
app's task by name through `guanwei.queue.on_commit_task`).
"""

from __future__ import annotations

import ast
import os
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "var", ".git", "__pycache__", "node_modules", "test-artifacts", "migrations"}


def project_modules(root: Path) -> dict[str, Path]:
    modules = {}
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS and not d.startswith("."))
        for file in sorted(f for f in files if f.endswith(".py")):
            path = Path(directory) / file
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if parts:
                modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST):
    """Every import statement below `node`, at any depth, except under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _import_nodes(ast.Module(body=[other], type_ignores=[]))
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _import_nodes(child)


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
            continue
        if node.level:
            base = package[: len(package) - (node.level - 1)]
            source = ".".join([*base, *([node.module] if node.module else [])])
        else:
            source = node.module or ""
        for alias in node.names:
            submodule = f"{source}.{alias.name}"
            if submodule in modules:
                found.add(submodule)
            elif source in modules:
                found.add(source)
    found.discard(name)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = project_modules(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def _components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def circles(graph: dict[str, set[str]]) -> list[str]:
    """One shortest circle per tangle of modules, from its first module by name: "a -> b -> a"."""
    named = []
    for component in _components(graph):
        members = set(component)
        start = component[0]
        came_from: dict[str, str] = {}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if start in graph[node]:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                named.append(" -> ".join([*reversed(path), start]))
                break
            for child in sorted(graph[node] & members):
                if child not in came_from and child != start:
                    came_from[child] = node
                    queue.append(child)
    return sorted(named)


def test_no_import_circle_between_project_modules():
    found = circles(import_graph(ROOT))
    assert found == [], "Import circles:\n" + "\n".join(found)


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_circle_through_a_function_level_import_is_named(tmp_path):
    root = _write(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/services.py": "from shop import tasks\n",
            "shop/tasks.py": "def run():\n    from shop.services import notify\n",
            "shop/views.py": "from . import services\n",
            "shop/migrations/0001_initial.py": "from shop import views\n",
        },
    )
    graph = import_graph(root)
    assert graph["shop.views"] == {"shop.services"}  # relative import resolved; migrations left out
    assert circles(graph) == ["shop.services -> shop.tasks -> shop.services"]


def test_a_longer_circle_is_named_in_order_and_type_checking_imports_do_not_count(tmp_path):
    root = _write(
        tmp_path,
        {
            "mail/__init__.py": "",
            "mail/reminders.py": "from mail.services import notify\n",
            "mail/services.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from mail import views\n"
            "def notify():\n    import mail.tasks\n",
            "mail/tasks.py": "from mail import reminders\n",
            "mail/views.py": "from mail import services\n",
        },
    )
    assert circles(import_graph(root)) == ["mail.reminders -> mail.services -> mail.tasks -> mail.reminders"]
