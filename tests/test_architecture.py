"""Architecture rules as tests (issue 26): read from the source (the AST of every module), nothing is imported.

- no import cycle among the project's modules; an import inside a function counts (only imports under
  ``if TYPE_CHECKING:`` do not: they never run);
- the core (``indicators/``) imports neither ``ui/``, ``views/`` nor Streamlit;
- pages (``views/``, ``ui/``) do no SQL: they import no DuckDB and execute no SQL string.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("indicators", "ui", "views")
TOP_MODULES = ("app", "server")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            modules[_module_name(path)] = path
    for name in TOP_MODULES:
        modules[name] = ROOT / f"{name}.py"
    return modules


MODULES = project_modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: at module level, in functions, in classes; not under TYPE_CHECKING."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module name of a ``from ... import`` (relative imports resolved against the importing module)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported_names(module: str, path: Path) -> set[str]:
    """The absolute names a module imports (for ``from a import b`` both ``a`` and ``a.b``)."""
    names: set[str] = set()
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        else:
            base = _resolve(module, path, node)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _project_target(name: str) -> str | None:
    """The project module an imported name means (``indicators.auth.require`` → ``indicators.auth``)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        targets = {t for n in imported_names(module, path) if (t := _project_target(n))}
        # a package's __init__ is imported along with its submodules; the edge to one's own package is no cycle
        graph[module] = {t for t in targets if t != module and not module.startswith(t + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def connect(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
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
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(found)


def test_the_project_modules_are_found():
    # the rules below only mean something when they see the modules
    assert {"indicators.store", "indicators.auth", "indicators.cli", "ui.state", "views.cockpit", "app"} <= set(MODULES)
    graph = import_graph()
    assert "indicators.store" in graph["indicators.service"]


def test_the_cycle_finder_finds_a_cycle_and_an_import_in_a_function(tmp_path):
    # the checker itself: a cycle through an import inside a function is one, an import under TYPE_CHECKING is not
    a = tmp_path / "a.py"
    a.write_text("import b\n", encoding="utf-8")
    b = tmp_path / "b.py"
    b.write_text("def f():\n    from a import x\n", encoding="utf-8")
    c = tmp_path / "c.py"
    c.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n", encoding="utf-8")
    assert "a.x" in imported_names("b", b)
    assert "a" not in imported_names("c", c)
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]


def test_no_import_cycle_among_the_project_modules():
    found = cycles(import_graph())
    assert not found, "Importzyklen: " + "; ".join(" ↔ ".join(c) for c in found)


#: the one use of Streamlit in the core: the command line's channel wakes the running app by speaking Streamlit's
#: wire protocol as a client (``streamlit.proto``); nothing of the page API
STREAMLIT_WIRE = {"indicators.app_channel": "streamlit.proto"}


def test_the_core_imports_neither_pages_nor_streamlit():
    offending = []
    for module, path in MODULES.items():
        if not module.startswith("indicators"):
            continue
        for name in imported_names(module, path):
            top = name.split(".")[0]
            if top == "streamlit" and module in STREAMLIT_WIRE and name.startswith(STREAMLIT_WIRE[module] + "."):
                continue
            if top in ("ui", "views", "streamlit", "app", "server"):
                offending.append(f"{module} → {name}")
    assert not offending, offending


_SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|WITH|BEGIN|COMMIT|PRAGMA)\b", re.IGNORECASE)


def _executes_sql(tree: ast.AST) -> list[int]:
    """Lines where a SQL string literal is passed to a call of ``execute``/``sql``/``query``/``query_df``/``scalar``."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in ("execute", "executemany", "sql", "query", "query_df", "scalar"):
            continue
        first = node.args[0]
        texts = []
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            texts.append(first.value)
        elif isinstance(first, ast.JoinedStr):
            texts += [v.value for v in first.values if isinstance(v, ast.Constant) and isinstance(v.value, str)][:1]
        if any(_SQL.match(t) for t in texts):
            lines.append(node.lineno)
    return lines


def test_pages_do_no_sql():
    offending = []
    for module, path in MODULES.items():
        if not module.startswith(("ui", "views")) and module not in TOP_MODULES:
            continue
        for name in imported_names(module, path):
            if name.split(".")[0] == "duckdb":
                offending.append(f"{module} importiert {name}")
        for line in _executes_sql(ast.parse(path.read_text(encoding="utf-8"))):
            offending.append(f"{path.relative_to(ROOT)}:{line} führt SQL aus")
    assert not offending, offending


def test_the_sql_finder_sees_sql_in_a_page(tmp_path):
    tree = ast.parse('store.query("SELECT 1")\nstore.query_df(f"DELETE FROM t WHERE x = {y}")\nst.write("Auswahl")\n')
    assert _executes_sql(tree) == [1, 2]


#: the computation (and the layers below it) reads nothing of the file readers (``indicators.ingest``); the store's
#: permission check and the key rules sit below both
COMPUTATION = ("indicators.compute", "indicators.regions", "indicators.queries", "indicators.store")


def test_the_computation_does_not_import_the_readers():
    graph = import_graph()
    offending = [(m, t) for m in COMPUTATION for t in graph[m] if t.startswith("indicators.ingest")]
    assert not offending, offending
    assert "indicators.auth" not in graph["indicators.store"]  # the store checks with indicators.permissions
    assert not graph["indicators.keys"]  # the key rules import nothing of the project


def test_the_demo_is_a_package_of_its_own():
    # the core's folder shows the product: the synthetic demo lives in indicators/demo/, only loading it reaches in
    assert not [p.name for p in (ROOT / "indicators").glob("demo*.py")]
    graph = import_graph()
    users = sorted(m for m, targets in graph.items() if any(t.startswith("indicators.demo") for t in targets))
    assert [m for m in users if not m.startswith("indicators.demo")] == ["indicators.service"]


#: what the pages may import of the ingest package: the upload session (read, check, commit one file; one report to
#: draw) and the small public interface beside it (profiles, cell texts, flags, history diff, rollback)
INGEST_PUBLIC = {"indicators.ingest.session", "indicators.ingest.api"}


def ingest_imports(module: str, path: Path) -> set[str]:
    """The modules of ``indicators.ingest`` a module imports (``from indicators.ingest import api``: the submodule)."""
    found: set[str] = set()
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            base = _resolve(module, path, node)
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            target = _project_target(name)
            if target is not None and (target == "indicators.ingest" or target.startswith("indicators.ingest.")):
                found.add(target)
    return found


def test_pages_use_the_upload_session_not_the_readers():
    offending = []
    for module, path in MODULES.items():
        if not module.startswith(("ui", "views")) and module not in TOP_MODULES:
            continue
        offending += [f"{module} → {t}" for t in sorted(ingest_imports(module, path) - INGEST_PUBLIC)]
    assert not offending, "Seiten greifen an der Upload-Sitzung vorbei in den Import: " + "; ".join(offending)


def test_the_ingest_import_finder_sees_a_reader(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        "from indicators.ingest import api\nfrom indicators.ingest.base import RawFile\n"
        "def f():\n    from indicators.ingest import pipeline\n",
        encoding="utf-8",
    )
    assert ingest_imports("ui.page", page) == {
        "indicators.ingest.api",
        "indicators.ingest.base",
        "indicators.ingest.pipeline",
    }


#: the longest a function of the core may be, from ``def`` to its last line, without its docstring (issue 26)
MAX_FUNCTION_LINES = 80
#: functions allowed to be longer, by module prefix or ``module.function``: only what truly cannot be split
LONG_FUNCTIONS_ALLOWED: set[str] = set()


def long_functions(module: str, path: Path, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """``(name, lines)`` of every function (also methods and nested functions) longer than ``limit`` lines, counted
    from ``def`` to the end without the docstring."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        lines = (node.end_lineno or node.lineno) - node.lineno + 1
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            lines -= (first.end_lineno or first.lineno) - first.lineno + 1
        if lines > limit:
            found.append((node.name, lines))
    return found


def _allowed_long(module: str, function: str, allowed_names: set[str] | None = None) -> bool:
    return any(
        f"{module}.{function}" == allowed or module == allowed or module.startswith(allowed + ".")
        for allowed in (LONG_FUNCTIONS_ALLOWED if allowed_names is None else allowed_names)
    )


def test_no_function_in_the_core_is_longer_than_80_lines():
    offending = [
        f"{module}.{name}: {lines} Zeilen"
        for module, path in MODULES.items()
        if module.startswith("indicators")
        for name, lines in long_functions(module, path)
        if not _allowed_long(module, name)
    ]
    assert not offending, offending


def test_the_length_counter_leaves_out_the_docstring(tmp_path):
    body = "    x = 1\n" * 79
    short = tmp_path / "short.py"
    short.write_text(
        'def f():\n    """Doc\n\n    string."""\n' + body, encoding="utf-8"
    )  # 80 lines without the docstring
    long = tmp_path / "long.py"
    long.write_text("def g():\n    def h():\n        pass\n" + body, encoding="utf-8")
    assert long_functions("short", short) == []
    assert long_functions("long", long) == [("g", 82)]
    allowed = {"indicators.report"}
    assert _allowed_long("indicators.report.content", "build", allowed)
    assert not _allowed_long("indicators.reporting", "x", allowed)
