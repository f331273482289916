"""The structure a newcomer reads: no import cycle in the package, and rule stages that
keep no state between documents (what they compile lives on `Resources`, what they
find on the `Document`)."""

from __future__ import annotations

import ast
import copy
import importlib
import itertools
from pathlib import Path

import pytest

from conftest import COMMUNIQUE_TXT, FICHE_TXT, ROOT

SRC = ROOT / "src"
PACKAGE = SRC / "fiche_extract"


# ------------------------------------------------------------------ import graph

def _modules() -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return out


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def import_graph() -> dict[str, dict[str, bool]]:
    """module -> {imported module of the package: True when the import is only inside a
    function (run when called, not when imported)}. Relative imports are resolved;
    `from . import x` names the submodule `x` when there is one, else the package;
    imports under `if TYPE_CHECKING:` are left out (never run)."""
    modules = _modules()
    graph: dict[str, dict[str, bool]] = {name: {} for name in modules}

    def add(source: str, target: str, lazy: bool) -> None:
        graph[source][target] = graph[source].get(target, True) and lazy

    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rpartition(".")[0]

        def visit(node: ast.AST, lazy: bool, name=name, package=package) -> None:
            for child in ast.iter_child_nodes(node):
                if _is_type_checking(child):
                    continue
                if isinstance(child, ast.Import):
                    for alias in child.names:
                        if alias.name.split(".")[0] == "fiche_extract":
                            add(name, alias.name, lazy)
                elif isinstance(child, ast.ImportFrom):
                    if child.level:
                        base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                        target = ".".join(base + ([child.module] if child.module else []))
                    else:
                        target = child.module or ""
                    if target.split(".")[0] != "fiche_extract":
                        continue
                    for alias in child.names:
                        submodule = f"{target}.{alias.name}"
                        add(name, submodule if submodule in modules else target, lazy)
                visit(child, lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

        visit(ast.parse(path.read_text(encoding="utf-8")), False)
    unknown = {t for targets in graph.values() for t in targets if t not in modules}
    assert not unknown, f"imports of modules that do not exist: {sorted(unknown)}"
    return graph


def cycles(graph: dict[str, dict[str, bool]], *, with_lazy: bool) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing
    itself): each is at least one cycle."""
    edges = {m: [t for t, lazy in targets.items() if with_lazy or not lazy] for m, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = itertools.count()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = next(counter)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges[v]:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return found


def test_import_graph_sees_the_package():
    graph = import_graph()
    assert "fiche_extract.pipeline" in graph["fiche_extract.cli"] or "fiche_extract.api" in graph["fiche_extract.cli"]
    assert graph["fiche_extract.rules.places"]["fiche_extract.stages"] is False  # `from ..stages import stage`
    assert cycles({"a": {"b": True}, "b": {"a": False}}, with_lazy=True) == [["a", "b"]]
    assert cycles({"a": {"b": True}, "b": {"a": False}}, with_lazy=False) == []


def test_no_import_cycle():
    """No cycle among the imports run when a module is imported, nor once the imports
    made inside functions are counted (those are allowed, for heavy or optional
    dependencies, but none may close a loop)."""
    graph = import_graph()
    assert cycles(graph, with_lazy=False) == [], "import cycle at module level"
    assert cycles(graph, with_lazy=True) == [], "import cycle through an import inside a function"


# Import rules (docs/architecture.md): each part of the package imports only parts of
# a lower layer (or its own modules). A new top-level module or subpackage takes a layer here.
LAYERS = [
    {"errors", "models", "rx", "version"},  # plain records and helpers, nothing of the package
    {"folding", "stages"},
    {"resources"},  # patterns, gazetteer, spaCy, official lists: read-only knowledge
    {"reading", "storage"},  # file -> pages of lines -> normalised text; SQLite
    {"document"},  # the context every stage receives
    {"rules"},  # the extraction stages
    {"checks"},  # the finding stages (may reuse helpers of rules)
    {"pipeline"},  # one document through the configured stages
    {"batch", "review"},  # many documents into a database; diff, eval, review pages
    {"api"},  # one function per command
    {"cli"},
    {"__init__", "__main__"},
]


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_imports_go_down_the_layers():
    rank = {part: i for i, layer in enumerate(LAYERS) for part in layer}
    graph = import_graph()
    unplaced = sorted({_part(m) for m in graph} - set(rank))
    assert not unplaced, f"place these parts of the package in LAYERS (tests/test_structure.py): {unplaced}"
    upward = [f"{m} -> {t}" + (" (inside a function)" if lazy else "")
              for m, targets in graph.items() for t, lazy in targets.items()
              if _part(m) != _part(t) and rank[_part(t)] >= rank[_part(m)]]
    assert not upward, "imports against the layers of docs/architecture.md:\n" + "\n".join(sorted(upward))


# ------------------------------------------------------- no state in rule stages

STAGE_PACKAGES = ("rules", "checks")
MUTATING_METHODS = {"append", "add", "update", "setdefault", "pop", "popitem", "clear", "extend", "insert",
                    "remove", "discard", "appendleft", "extendleft", "sort", "reverse", "__setitem__", "__delitem__"}
# registries filled once, at import, by a decorator; never written while extracting (the
# dynamic test below checks that they do not change)
IMPORT_TIME_REGISTRIES = {("fiche_extract.checks.consistency", "CHECKS")}


def _stage_modules() -> list[tuple[str, Path]]:
    return [(name, path) for name, (path, _) in _modules().items()
            if name.split(".")[1:2] and name.split(".")[1] in STAGE_PACKAGES]


def _module_level_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _local_names(fn: ast.AST) -> set[str]:
    """Names bound inside a function (its parameters and assignments): these shadow
    the module's."""
    local = {a.arg for a in ast.walk(fn) if isinstance(a, ast.arg)}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            local.add(node.id)
    return local


def state_offences(module: str, tree: ast.Module) -> list[str]:
    """What makes a module keep state between calls: `global`/`nonlocal` of module
    names, a function that writes into a module-level object (item assignment or
    deletion, a mutating method), a cache decorator on a function of no argument."""
    offences = []
    module_names = _module_level_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            offences.append(f"line {node.lineno}: global {', '.join(node.names)}")
    for fn in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        shadowed = _local_names(fn)
        for dec in fn.decorator_list:
            if "cache" in ast.unparse(dec) and not (fn.args.args or fn.args.posonlyargs or fn.args.kwonlyargs
                                                    or fn.args.vararg or fn.args.kwarg):
                offences.append(f"line {fn.lineno}: {fn.name}() caches a value of no argument (a singleton)")
        for node in ast.walk(fn):
            target = None
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                for t in (node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]):
                    if isinstance(t, (ast.Subscript, ast.Attribute)) and isinstance(t.value, ast.Name):
                        target = t.value.id
                        if target in module_names and target not in shadowed and (module, target) not in IMPORT_TIME_REGISTRIES:
                            offences.append(f"line {node.lineno}: {fn.name}() writes into module-level {target}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in MUTATING_METHODS and isinstance(node.func.value, ast.Name)):
                target = node.func.value.id
                if target in module_names and target not in shadowed and (module, target) not in IMPORT_TIME_REGISTRIES:
                    offences.append(f"line {node.lineno}: {fn.name}() calls {target}.{node.func.attr}()")
    return offences


def test_state_scan_finds_state():
    sample = ast.parse(
        "SEEN = set()\nCOUNT = 0\n"
        "def f(x):\n    global COUNT\n    SEEN.add(x)\n"
        "def g(x, SEEN=()):\n    SEEN.add(x)\n"
        "@lru_cache(maxsize=1)\ndef h():\n    return 1\n"
        "@lru_cache(maxsize=64)\ndef pure(x):\n    return x\n"
    )
    found = state_offences("m", sample)
    assert sorted(found) == ["line 4: global COUNT", "line 5: f() calls SEEN.add()",
                             "line 9: h() caches a value of no argument (a singleton)"], found


@pytest.mark.parametrize("module,path", _stage_modules(), ids=[name for name, _ in _stage_modules()])
def test_rule_stage_holds_no_module_state(module, path):
    offences = state_offences(module, ast.parse(path.read_text(encoding="utf-8")))
    assert not offences, f"{module} keeps state between documents:\n" + "\n".join(offences)


MUTABLE = (dict, list, set, bytearray)


def _module_containers() -> dict[tuple[str, str], object]:
    out = {}
    for module, _ in _stage_modules():
        mod = importlib.import_module(module)
        for name, value in vars(mod).items():
            if isinstance(value, MUTABLE) and not name.startswith("__"):
                out[(module, name)] = value
    return out


def test_extracting_leaves_every_module_level_container_as_it_was():
    """The module-level dicts, lists and sets of the rule and check modules (word lists,
    tables, registries) read the same after extracting documents as before."""
    from fiche_extract.pipeline import Pipeline

    pipeline = Pipeline()
    containers = _module_containers()
    assert containers  # word lists and tables exist: the scan sees them
    before = {key: copy.deepcopy(value) for key, value in containers.items()}
    for path in (FICHE_TXT, COMMUNIQUE_TXT):
        pipeline.extract_path(path)
    changed = [f"{m}.{n}" for (m, n), value in containers.items() if value != before[(m, n)]]
    assert not changed, f"changed while extracting: {changed}"
    assert set(_module_containers()) == set(containers), "module-level names appeared while extracting"
