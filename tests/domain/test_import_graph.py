"""Packages depend one way, and each wing reaches only what it may."""

import pytest

from tests.import_graph import imports, modules, package_of, reachable

SERVING = sorted(n for n in modules() if n.startswith("ad_manager.serving"))
DELIVERY = sorted(n for n in modules() if n.startswith("ad_manager.delivery"))


def package_graph() -> dict[str, set[str]]:
    """Give, for each top-level package or module, the others it imports."""
    graph: dict[str, set[str]] = {}
    for name in modules():
        if name == "ad_manager":
            continue  # the app factory: the composition root imports every wing
        source = package_of(name)
        graph.setdefault(source, set())
        for target in imports(name):
            if target in modules() and target != "ad_manager" and package_of(target) != source:
                graph[source].add(package_of(target))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Give the strongly connected groups of more than one package (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
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
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_graph_reader_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_packages():
    found = cycles(package_graph())
    assert not found, f"packages importing each other: {found}"


@pytest.mark.parametrize("module", SERVING)
def test_serving_never_reaches_the_dashboard_login_or_session(module):
    for name in reachable(module):
        assert not name.startswith(("ad_manager.dashboard", "ad_manager.auth")), (
            f"{module} reaches {name}")
        used = imports(name)
        assert not used & {"flask.session", "flask.g", "flask_login.current_user",
                           "flask_login.login_required"}, f"{module} reaches {name}: {used}"


@pytest.mark.parametrize("module", DELIVERY)
def test_delivery_stays_plain_python(module):
    for name in reachable(module):
        assert name.startswith(("ad_manager.delivery",)), (
            f"{module} reaches {name}")
        for used in imports(name):
            assert not used.startswith(("flask", "sqlalchemy", "werkzeug")), f"{name}: {used}"
