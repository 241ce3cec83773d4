#!/usr/bin/env python3
"""The import graph of the crate's top-level modules, and its cycles.

A module is a top-level module of src/ (src/X.rs or src/X/, with everything
below it). An edge X -> Y is a path into Y written in X's code: `use crate::Y…`,
`use crate::{Y…, …}`, `crate::Y::…` in an expression or type, or a `super::`
chain that climbs out of X to the crate root and goes down into Y. `super::`
that stays inside X is X's own business. Comments, string and character
literals are skipped; `crate::f` where `f` is an item of lib.rs (not a module)
is no edge. A re-export (`pub use crate::Y::T`) is an import like any other.

Test code counts. `#[cfg(test)]` items (the `mod tests` blocks) are compiled
into the same crate and a test of X that needs Y couples X to Y as much as the
code does; such edges are only marked `(test)` in the listing, so a cycle that
only tests make is visible as such.

The workspace crates below crates/ (each crates/X/Cargo.toml) are leaves
of this graph: a module's `use markup::…` or `flowchart::…` is listed as a
use of that crate, and a crate must depend on nothing of src/ — no path
dependency on the application (or into src/), no `gongshi::` path in its
code — and only on other crates/ by path. (The flowchart engine, once
`render::flow`, is such a crate now; `src/` has no flow module.)

Prints one line per module with what it imports, then every cycle (each
strongly connected component of more than one module, with one file:line per
edge of a cycle through it), then each crate with the crates it uses; then
checks ARCHITECTURE.md's code map: every top-level module and every crate has
a row, and every `src/…` and `crates/…` path the code map names exists.
Exit 1 on a cycle, a crate that reaches into the application, or a mismatch.
"""

import os
import re
import sys
import tomllib

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SRC = os.path.join(ROOT, "src")
CRATES = os.path.join(ROOT, "crates")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def tokens(text):
    """(kind, value, line) for identifiers, `::` and punctuation, skipping
    comments, strings and character literals."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    line += text[i] == "\n"
                    i += 1
        elif c in "br" and re.match(r'b?r#*"', text[i:i + 8]):
            m = re.match(r'b?r(#*)"', text[i:])
            end = text.find('"' + m.group(1), i + m.end())
            end = n if end < 0 else end + 1 + len(m.group(1))
            line += text.count("\n", i, end)
            i = end
        elif c == '"' or text.startswith('b"', i):
            i += 2 if c == "b" else 1
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 1
                line += text[i] == "\n"
                i += 1
            i += 1
        elif c == "'":
            # a character literal ('x', '\n', '\u{..}') or a lifetime ('a)
            if text.startswith("\\", i + 1):
                i = text.find("'", i + 3) + 1
            elif i + 2 < n and text[i + 2] == "'":
                i += 3
            else:
                i += 1
        elif c.isalpha() or c == "_":
            m = IDENT.match(text, i)
            yield ("id", m.group(0), line)
            i = m.end()
        elif text.startswith("::", i):
            yield ("::", "::", line)
            i += 2
        else:
            yield ("p", c, line)
            i += 1


def file_depth(rel):
    """Module depth of a file below src/: src/x.rs and src/x/mod.rs are 1."""
    parts = rel.split(os.sep)
    if parts[-1] == "mod.rs":
        parts = parts[:-1]
    else:
        parts[-1] = parts[-1][:-3]
    return len(parts)


def brace_group_heads(toks, k):
    """toks[k] is `{`: the first identifier of each entry at its depth."""
    heads, depth, expect = [], 0, True
    while k < len(toks):
        kind, v, ln = toks[k]
        if v == "{":
            depth += 1
            if depth == 1:
                expect = True
        elif v == "}":
            depth -= 1
            if depth == 0:
                return heads
        elif v == "," and depth == 1:
            expect = True
        elif kind == "id" and depth == 1 and expect:
            heads.append((v, ln))
            expect = False
        elif depth == 1:
            expect = False
        k += 1
    return heads


TEST_MOD = re.compile(
    r'#\[cfg\(test\)\]\s*(?:#\[path\s*=\s*"([^"]+)"\]\s*)?mod\s+(\w+)\s*;')


def test_files(rel, text):
    """Files of the `#[cfg(test)] mod x;` declarations of one file."""
    here = os.path.dirname(rel)
    below = here if os.path.basename(rel) == "mod.rs" else rel[:-3]
    out = set()
    for path, name in TEST_MOD.findall(text):
        if path:
            out.add(os.path.normpath(os.path.join(here, path)))
        else:
            out.add(os.path.join(below, name + ".rs"))
            out.add(os.path.join(below, name, "mod.rs"))
    return out


def edges_of_file(path, rel, modules, in_test):
    """[(target module, line, in test code)] for one file."""
    with open(path, encoding="utf-8") as f:
        toks = list(tokens(f.read()))
    own = rel.split(os.sep)[0].removesuffix(".rs")
    depth = file_depth(rel)
    out = []
    brace = 0
    mods = []  # brace depth at which each inline `mod x {` opened
    tests = []  # brace depth at which each #[cfg(test)] item opened
    pending_test = False
    k = 0
    while k < len(toks):
        kind, v, ln = toks[k]
        if v == "#" and [t[1] for t in toks[k + 1:k + 6]] == ["[", "cfg", "(", "test", ")"]:
            pending_test = True
        elif v == ";" and pending_test:
            pending_test = False
        elif v == "{":
            brace += 1
            if k >= 2 and toks[k - 2][1] == "mod" and toks[k - 1][0] == "id":
                mods.append(brace)
            if pending_test:
                tests.append(brace)
                pending_test = False
        elif v == "}":
            if mods and mods[-1] == brace:
                mods.pop()
            if tests and tests[-1] == brace:
                tests.pop()
            brace -= 1
        elif kind == "id" and v == "crate" and k + 1 < len(toks) and toks[k + 1][0] == "::":
            if k > 0 and toks[k - 1][1] == "$":
                k += 1
                continue
            nxt = toks[k + 2] if k + 2 < len(toks) else None
            if nxt and nxt[1] == "{":
                for head, hl in brace_group_heads(toks, k + 2):
                    out.append((head, hl, bool(tests) or pending_test))
            elif nxt and nxt[0] == "id":
                out.append((nxt[1], ln, bool(tests) or pending_test))
        elif kind == "id" and v == "super" and not (k > 0 and toks[k - 1][0] == "::"):
            j, ups = k, 0
            while j + 1 < len(toks) and toks[j][1] == "super" and toks[j + 1][0] == "::":
                ups += 1
                j += 2
            if ups >= depth + len(mods) and j < len(toks) and toks[j][0] == "id":
                out.append((toks[j][1], ln, bool(tests) or pending_test))
            k = max(j, k + 1)
            continue
        k += 1
    return [(t, ln, test or in_test) for t, ln, test in out if t in modules and t != own]


def modules_of_src():
    mods = set()
    for name in os.listdir(SRC):
        p = os.path.join(SRC, name)
        if name.endswith(".rs") and name not in ("lib.rs", "main.rs"):
            mods.add(name[:-3])
        elif os.path.isdir(p):
            mods.add(name)
    return mods


def rust_files(mod):
    if os.path.isfile(os.path.join(SRC, mod + ".rs")):
        yield mod + ".rs"
    d = os.path.join(SRC, mod)
    if os.path.isdir(d):
        for base, dirs, files in os.walk(d):
            dirs.sort()
            for f in sorted(files):
                if f.endswith(".rs"):
                    yield os.path.relpath(os.path.join(base, f), SRC)


def sccs(graph):
    """Tarjan's strongly connected components."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def cycle_in(comp, graph):
    """One cycle through the component's first module (breadth first)."""
    start, members = comp[0], set(comp)
    prev, queue = {start: None}, [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v]):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w in members and w not in prev:
                prev[w] = v
                queue.append(w)
    return comp


def workspace_crates():
    """{folder below crates/: (package name, lib name, {dependency: path})}
    for every crates/X/Cargo.toml; paths are path dependencies, resolved."""
    out = {}
    if not os.path.isdir(CRATES):
        return out
    for name in sorted(os.listdir(CRATES)):
        manifest = os.path.join(CRATES, name, "Cargo.toml")
        if not os.path.isfile(manifest):
            continue
        with open(manifest, "rb") as f:
            data = tomllib.load(f)
        package = data.get("package", {}).get("name", name)
        lib = data.get("lib", {}).get("name", package.replace("-", "_"))
        deps = {}
        for section in ("dependencies", "dev-dependencies", "build-dependencies"):
            for key, spec in data.get(section, {}).items():
                path = spec.get("path") if isinstance(spec, dict) else None
                deps[key] = (os.path.normpath(os.path.join(CRATES, name, path))
                             if path else None)
        out[name] = (package, lib, deps)
    return out


def root_package():
    with open(os.path.join(ROOT, "Cargo.toml"), "rb") as f:
        return tomllib.load(f).get("package", {}).get("name", "")


def crate_problems(crates):
    """A crate that reaches into the application: a dependency on the root
    package or a path into src/, a path dependency outside crates/, or a
    `gongshi::` path in its code."""
    app, root = root_package(), ROOT
    problems = []
    for name, (package, _lib, deps) in sorted(crates.items()):
        for dep, path in sorted(deps.items()):
            if dep == app or path == root or (path and path.startswith(SRC + os.sep)):
                problems.append(f"crates/{name} ({package}) depends on the application ({dep})")
            elif path and os.path.dirname(path) != os.path.normpath(CRATES):
                problems.append(f"crates/{name} ({package}) has a path dependency "
                                f"outside crates/: {dep}")
        for base, dirs, files in os.walk(os.path.join(CRATES, name)):
            dirs[:] = sorted(d for d in dirs if d != "target")
            for f in sorted(files):
                if not f.endswith(".rs"):
                    continue
                path = os.path.join(base, f)
                with open(path, encoding="utf-8") as fh:
                    toks = list(tokens(fh.read()))
                for k, (kind, v, ln) in enumerate(toks[:-1]):
                    if kind == "id" and v == app and toks[k + 1][0] == "::":
                        rel = os.path.relpath(path, ROOT)
                        problems.append(f"{rel}:{ln} names `{app}::` (crates/ depend "
                                        f"on nothing of src/)")
    return problems


def crate_uses(rel, libs):
    """Workspace crates (by lib name) a file of src/ names as `lib::…`."""
    with open(os.path.join(SRC, rel), encoding="utf-8") as f:
        toks = list(tokens(f.read()))
    used = set()
    for k, (kind, v, _ln) in enumerate(toks[:-1]):
        before = toks[k - 1][1] if k else ""
        if kind == "id" and v in libs and toks[k + 1][0] == "::" and before != "::":
            used.add(v)
    return used


def code_map_problems(modules, crates=()):
    with open(os.path.join(ROOT, "ARCHITECTURE.md"), encoding="utf-8") as f:
        doc = f.read()
    m = re.search(r"^## Code map\n(.*?)^## ", doc, re.S | re.M)
    if not m:
        return ["ARCHITECTURE.md has no '## Code map' section"]
    rows = [r for r in m.group(1).splitlines() if r.startswith("| `")]
    named = set()
    for r in rows:
        named.update(re.findall(r"`(src/[^`\s]*)`", r.split("|")[1]))
    problems = []
    for mod in sorted(modules):
        if not any(p in (f"src/{mod}.rs", f"src/{mod}/") or p.startswith(f"src/{mod}/")
                   for p in named):
            problems.append(f"module `{mod}` has no row in the code map")
    named_crates = set()
    for r in rows:
        named_crates.update(re.findall(r"`crates/([^`/\s]+)/?[^`\s]*`", r.split("|")[1]))
    for name in sorted(crates):
        if name not in named_crates:
            problems.append(f"crate `crates/{name}/` has no row in the code map")
    for r in rows:
        for p in re.findall(r"`((?:src|crates)/[^`\s]*)`", r):
            if not os.path.exists(os.path.join(ROOT, p)):
                problems.append(f"the code map names `{p}`, which does not exist")
    return problems


def main():
    verbose = "-v" in sys.argv[1:]
    modules = modules_of_src()
    crates = workspace_crates()
    libs = {lib: name for name, (_p, lib, _d) in crates.items()}
    uses = {m: set() for m in modules}
    graph = {m: set() for m in modules}
    where = {}  # (from, to) -> [(file:line, test)]
    tests = set()
    for mod in sorted(modules):
        for rel in rust_files(mod):
            with open(os.path.join(SRC, rel), encoding="utf-8") as f:
                tests |= test_files(rel, f.read())
    for mod in sorted(modules):
        for rel in rust_files(mod):
            edges = edges_of_file(os.path.join(SRC, rel), rel, modules, rel in tests)
            uses[mod] |= crate_uses(rel, libs)
            for target, ln, test in edges:
                graph[mod].add(target)
                where.setdefault((mod, target), []).append((f"src/{rel}:{ln}", test))
    print("import graph (module: what it imports; (test): only from test code)")
    for mod in sorted(modules):
        names = []
        for t in sorted(graph[mod]):
            only_test = all(test for _, test in where[(mod, t)])
            names.append(t + (" (test)" if only_test else ""))
        crate_list = "".join(f", [{c}]" if names else f"[{c}]" for c in sorted(uses[mod]))
        print(f"  {mod}: {', '.join(names) if names else ('' if crate_list else '—')}{crate_list}")
        if verbose:
            for t in sorted(graph[mod]):
                for at, test in where[(mod, t)]:
                    print(f"    -> {t}: {at}" + (" (test)" if test else ""))
    cycles = [c for c in sccs(graph) if len(c) > 1]
    failed = False
    for comp in cycles:
        failed = True
        path = cycle_in(comp, graph)
        print(f"cycle among {{{', '.join(comp)}}}: {' -> '.join(path)}")
        for a, b in zip(path, path[1:]):
            first, test = where[(a, b)][0]
            more = len(where[(a, b)]) - 1
            print(f"  {a} -> {b}: {first}" + (" (test)" if test else "")
                  + (f" and {more} more" if more else ""))
    print("workspace crates (crate: the crates it uses); [x] above: a use of crate x")
    for name, (package, _lib, deps) in sorted(crates.items()):
        inner = sorted(crates.get(os.path.basename(p), ("", os.path.basename(p)))[1]
                       for p in deps.values() if p and os.path.dirname(p) == CRATES)
        print(f"  {crates[name][1]} ({package}): {', '.join(inner) if inner else '—'}")
    crate_bad = crate_problems(crates)
    for p in crate_bad:
        print(f"crates: {p}")
    problems = code_map_problems(modules, crates)
    for p in problems:
        failed = True
        print(f"ARCHITECTURE.md: {p}")
    print(f"imports: {len(modules)} modules, "
          f"{sum(len(v) for v in graph.values())} edges, {len(crates)} crates, "
          f"{len(cycles)} cycles, {len(problems)} code map problems, "
          f"{len(crate_bad)} crate problems")
    return 1 if failed or crate_bad else 0


if __name__ == "__main__":
    sys.exit(main())
