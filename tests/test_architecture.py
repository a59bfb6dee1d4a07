"""The house of STYLE.md, checked on the source: wings import one way, no circle, no
reach into another wing's private names, a docstring on every wing, modules of a
readable size."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "backrx_analysis"

#: ground <- io <- analysis <- plots <- report <- app / cli; simulate stands on the
#: ground only (the benchmarks and the sample build on it, nothing in the kit does);
#: scale (Dask) stands on analysis, and nothing in the kit imports it.
RANK = {"ground": 0, "io": 1, "simulate": 1, "analysis": 2, "plots": 3, "scale": 3,
        "report": 4, "app": 5, "cli": 5}
GROUND = {"program", "program_file", "prescriptions", "prescription_file", "prescription_history", "schema",
          "scales", "errors", "_version"}
#: third-party packages a wing may not import (STYLE.md: `analysis` nothing of
#: matplotlib, only `app` and `cli` know ipywidgets and argv)
FORBIDDEN = {
    "ground": {"matplotlib", "ipywidgets", "argparse", "scipy"},
    "io": {"matplotlib", "ipywidgets", "argparse"},
    "simulate": {"matplotlib", "ipywidgets", "argparse"},
    "analysis": {"matplotlib", "ipywidgets", "argparse"},
    "scale": {"matplotlib", "ipywidgets", "argparse"},
    "plots": {"ipywidgets", "argparse"},
    "report": {"ipywidgets", "argparse"},
    "app": {"argparse"},
    "cli": {"ipywidgets"},
}
MAX_LINES = 400
LONG_REASON = "Longer than 400 lines because"


def _modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {".".join(p.relative_to(root).with_suffix("").parts): p for p in sorted(root.rglob("*.py"))}


MODULES = _modules()


def _wing(module: str) -> str | None:
    head = module.split(".")[0]
    if module in ("__init__", "__main__"):
        return None  # the package's face: re-exports every wing
    if head in GROUND:
        return "ground"
    return head if head in RANK else None


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The dotted module (inside the package) an ``import from`` names."""
    parts = module.split(".")
    is_pkg = parts[-1] == "__init__"
    base = parts[:-1] if not is_pkg else parts[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *(node.module.split(".") if node.module else [])])


def _imports(module: str, modules: dict[str, Path] = MODULES) -> list[tuple[str, list[str], int, bool]]:
    """(target module, names imported, line, at module level) of every import of the
    package's own modules in ``module``."""
    tree = ast.parse(modules[module].read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            target = _resolve(module, node)
            names = [a.name for a in node.names]
            if not node.module:  # from . import x, y: modules or names of the package
                subs = [f"{target}.{n}" if target else n for n in names]
                for s in subs:
                    out.append((s, [], node.lineno, id(node) in top))
                continue
            out.append((target, names, node.lineno, id(node) in top))
    return out


def _third_party(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _target_module(target: str, modules: dict[str, Path] = MODULES) -> str:
    """``io`` -> ``io.__init__``; a module stays as it is."""
    if target in modules:
        return target
    if f"{target}.__init__" in modules:
        return f"{target}.__init__"
    raise AssertionError(f"import of a module that does not exist: {target}")


def test_every_module_is_in_a_wing():
    lost = [m for m in MODULES if m not in ("__init__", "__main__") and _wing(m) is None]
    assert lost == []


def _target_wing(target: str, modules: dict[str, Path]) -> str | None:
    return _wing(_target_module(target, modules).removesuffix(".__init__") or "__init__")


def wrong_direction(modules: dict[str, Path]) -> list[str]:
    wrong = []
    for module in modules:
        wing = _wing(module)
        if wing is None:
            continue
        for target, _, line, _ in _imports(module, modules):
            other = _target_wing(target, modules)
            if other is None:
                wrong.append(f"{module}:{line} imports the package's face ({target})")
            elif other != wing and RANK[other] >= RANK[wing]:
                wrong.append(f"{module}:{line} ({wing}) imports {target} ({other})")
    return wrong


def private_reaches(modules: dict[str, Path]) -> list[str]:
    wrong = []
    for module in modules:
        wing = _wing(module)
        for target, names, line, _ in _imports(module, modules):
            if _target_wing(target, modules) == wing:
                continue
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            if any(p.startswith("_") for p in target.split(".")) and target != "_version":
                private.append(target)
            if private:
                wrong.append(f"{module}:{line} imports {private} from {target}")
    return wrong


def test_imports_run_one_way():
    assert wrong_direction(MODULES) == []


def test_no_import_circle_at_module_level():
    graph = {m: {_target_module(t) for t, _, _, top in _imports(m) if top} for m in MODULES}
    state: dict[str, int] = {}
    circles = []

    def visit(m, path):
        state[m] = 1
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                circles.append(" -> ".join([*path[path.index(n):], n]))
            elif n not in state:
                visit(n, [*path, n])
        state[m] = 2

    for m in MODULES:
        if m not in state:
            visit(m, [m])
    assert circles == []


def test_no_reach_into_another_wings_private_names():
    assert private_reaches(MODULES) == []


@pytest.mark.parametrize("wing", ["io", "analysis", "plots", "report", "app", "simulate",
                                  "scale"])
def test_each_wing_says_what_it_offers(wing):
    doc = ast.get_docstring(ast.parse(MODULES[f"{wing}.__init__"].read_text(encoding="utf-8")))
    assert doc and len(doc) > 80, f"{wing}/__init__.py needs a docstring saying what it offers"


def test_wings_know_only_their_own_libraries():
    wrong = []
    for module in MODULES:
        wing = _wing(module)
        if wing is None:
            continue
        bad = _third_party(module) & FORBIDDEN[wing]
        if bad:
            wrong.append(f"{module} ({wing}) imports {sorted(bad)}")
    assert wrong == []


def test_modules_are_a_readable_size():
    long = []
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        n = text.count("\n")
        doc = ast.get_docstring(ast.parse(text)) or ""
        if n > MAX_LINES and LONG_REASON not in doc:
            long.append(f"{module}: {n} lines")
    assert long == [], (f"split by role, or say at the top why not ('{LONG_REASON} ...')")


def test_these_checks_can_fail(tmp_path):
    """An analysis module importing a plot, and a private name of it, is flagged."""
    fake = tmp_path / "backrx_analysis"
    (fake / "analysis").mkdir(parents=True)
    (fake / "plots").mkdir()
    (fake / "analysis" / "x.py").write_text("from ..plots.y import draw\nfrom ..plots.y import _z\n")
    (fake / "plots" / "y.py").write_text("def draw(): pass\n_z = 1\n")
    modules = _modules(fake)
    assert wrong_direction(modules) == [
        "analysis.x:1 (analysis) imports plots.y (plots)",
        "analysis.x:2 (analysis) imports plots.y (plots)",
    ]
    assert private_reaches(modules) == ["analysis.x:2 imports ['_z'] from plots.y"]
