"""The shape of the package: no import cycle, no module over 500 lines (docs/architecture.md)."""

import ast

from conftest import ROOT

PACKAGE = ROOT / "sigaudit"
MAX_LINES = 500


def _modules() -> dict[str, object]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


def _imports(path, modules) -> set[str]:
    """Every sigaudit module this one imports: at the top, inside functions, under TYPE_CHECKING."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("sigaudit"):
            names = [f"{node.module}.{a.name}" for a in node.names]
            out |= {n for n in names if n in modules} or ({node.module} & modules.keys())
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in modules}
    return out


def test_no_import_cycle():
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_no_module_over_500_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_modules_take_the_version_from_version_py():
    for path in PACKAGE.rglob("*.py"):
        assert "from sigaudit import __version__" not in path.read_text(encoding="utf-8"), path


# Modules that may import what only an extra installs (each guards the import and says which
# extra to install): the rest of the package runs on the base dependencies alone.
EXTRA_MODULES = {
    "ocr": {
        "sigaudit/evidence/page/ocr.py",
        "sigaudit/evidence/page/scanimage.py",
        "sigaudit/evidence/page/tessengine.py",
    },
    "dask": {"sigaudit/distributed.py", "sigaudit/storage.py"},
    "web": {"sigaudit/web/__init__.py", "sigaudit/web/app.py"},
}


def _requirement_name(spec: str) -> str:
    import re

    return re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0].lower().replace("_", "-")


def test_every_third_party_import_is_declared_where_it_is_used():
    """`pip install .` (the README's main command) installs the base dependencies only: a
    module outside an extra's own modules that imports what only an extra installs fails on
    that install — the change analysis imported Pillow, listed under the OCR extra, and a
    base install could not render, so it judged a comment added in a margin after signing as covering
    signed text: a false error."""
    import importlib.metadata
    import sys

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = {_requirement_name(r) for r in project["dependencies"]}
    extras = {e: {_requirement_name(r) for r in reqs} for e, reqs in project["optional-dependencies"].items()}
    distributions = importlib.metadata.packages_distributions()
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops = {node.module.split(".")[0]}
            else:
                continue
            for top in tops - set(sys.stdlib_module_names) - {"sigaudit"}:
                dists = {d.lower().replace("_", "-") for d in distributions.get(top, [top])}
                allowed = base | set().union(*(extras[e] for e, files in EXTRA_MODULES.items() if name in files))
                if not dists & allowed:
                    wrong.append(f"{name}: {top}")
    assert not wrong, sorted(set(wrong))
