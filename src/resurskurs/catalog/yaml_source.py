"""YAML read with the position of every key and item, so errors can point at a line and column.

libyaml (PyYAML's C parser, in every PyYAML wheel) reads the text: every kernel loads the catalog, and
PyYAML's pure-Python scanner took three quarters of that time. The nodes are still composed in Python,
so each keeps its line and column and every alias is seen before anything expands it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml._yaml import CParser
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from resurskurs.catalog.problems import ContentError, Loc, Problem, format_loc

MAX_NODES = 50_000
"""Values a file may hold once aliases are expanded: the largest module has about 1,100. Every kernel loads
the catalog, so a few lines of nested aliases ("billion laughs") must be refused before anything expands them."""


@dataclass
class YamlDocument:
    """Parsed data plus where each path starts in the file (1-based line and column)."""

    file: Path
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def position(self, loc: Loc) -> tuple[int, int] | None:
        """The position of `loc`, or of its nearest ancestor that the file contains."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.positions:
                return self.positions[loc[:end]]
        return None

    def problem(self, loc: Loc, message: str, field: str) -> Problem:
        line, column = self.position(loc) or (None, None)
        return Problem(self.file, message, line, column, field)


def read_yaml(file: Path) -> YamlDocument:
    """Parse `file`; a syntax error or a duplicated key becomes a ContentError with its line."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError([Problem(file, f"expected UTF-8 text: {error.reason} at byte {error.start}")]) from None
    except OSError as error:
        raise ContentError([Problem(file, f"cannot read the file: {error.strerror}")]) from None
    try:
        return _read(file, _Loader(text))
    except yaml.YAMLError:
        return _read(file, _PythonLoader(text))


def _read(file: Path, loader: _AliasTracking) -> YamlDocument:
    """The document `loader` reads; its syntax errors propagate only from the fast loader (see `read_yaml`)."""
    try:
        node = loader.get_single_node()
        if node is None:
            raise ContentError([Problem(file, "the file is empty; expected a YAML mapping", 1, 1)])
        _check_aliases(file, node, loader.aliases)
        document = YamlDocument(file, loader.construct_document(node))
        _collect(node, (), document)
    except yaml.MarkedYAMLError as error:
        if isinstance(loader, _Loader):
            raise
        raise ContentError([_syntax_problem(file, error)]) from None
    except RecursionError:
        message = "nested too deeply to read; expected a few levels of keys and lists"
        raise ContentError([Problem(file, message)]) from None
    finally:
        loader.dispose()
    if not isinstance(document.data, dict):
        raise ContentError([Problem(file, "expected a YAML mapping (key: value) at the top of the file", 1, 1)])
    if document.problems:
        raise ContentError(document.problems)
    return document


class _AliasTracking(Composer):
    """Composes nodes in Python, remembering where each alias is used and the node it stands for."""

    aliases: list[tuple[yaml.AliasEvent, yaml.Node]]

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event() if self.check_event(yaml.AliasEvent) else None
        node = super().compose_node(parent, index)
        if isinstance(event, yaml.AliasEvent) and node is not None:
            self.aliases.append((event, node))
        return node

    if TYPE_CHECKING:  # provided by the parser and constructor each loader below combines

        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> yaml.Event | None: ...
        def construct_document(self, node: yaml.Node) -> Any: ...
        def dispose(self) -> None: ...


class _Loader(_AliasTracking, CParser, SafeConstructor, Resolver):
    """The safe loader on libyaml's events (about ten times faster than PyYAML's own scanner)."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        Composer.__init__(self)
        self.aliases = []


class _PythonLoader(_AliasTracking, yaml.SafeLoader):
    """PyYAML's own safe loader, for files libyaml refused: its messages name the offending character,
    and deep nesting ends in a RecursionError rather than libyaml's fixed depth limit."""

    def __init__(self, text: str) -> None:
        yaml.SafeLoader.__init__(self, text)
        self.aliases = []


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _check_aliases(file: Path, root: yaml.Node, aliases: list[tuple[yaml.AliasEvent, yaml.Node]]) -> None:
    """Refuse an alias inside its own anchor, and aliases that expand past MAX_NODES, without expanding them.

    Each node's expanded size is counted once (iteratively, so depth cannot exhaust the stack): a node still
    open when it is reached again contains itself.
    """
    if not aliases:
        return
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in _children(node))
        elif id(node) in open_nodes:
            event = next(event for event, target in aliases if target is node)
            message = (
                f"the alias *{event.anchor} is used inside the value it names; expected a value not containing itself"
            )
            raise ContentError([_alias_problem(file, event, message)])
        elif id(node) not in sizes:
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
    if sizes[id(root)] > MAX_NODES:
        event, _ = max(aliases, key=lambda use: sizes[id(use[1])])
        message = (
            f"{len(aliases)} aliases expand the file to {sizes[id(root)]:,} values, expected at most {MAX_NODES:,}; "
            "write the values out instead of nesting aliases"
        )
        raise ContentError([_alias_problem(file, event, message)])


def _alias_problem(file: Path, event: yaml.AliasEvent, message: str) -> Problem:
    mark = event.start_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Problem(file, message, line, column)


def _collect(node: yaml.Node, loc: Loc, document: YamlDocument) -> None:
    document.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                document.problems.append(
                    Problem(
                        document.file,
                        f"duplicate key {key!r} (first given on line {seen[key]})",
                        line,
                        key_node.start_mark.column + 1,
                        format_loc((*loc, key)),
                    )
                )
                continue
            seen[key] = line
            document.positions[(*loc, key)] = (line, key_node.start_mark.column + 1)
            _collect(value_node, (*loc, key), document)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect(item, (*loc, index), document)


def _syntax_problem(file: Path, error: yaml.MarkedYAMLError) -> Problem:
    """Point at the offending character and say where the construct it broke began."""
    mark = error.problem_mark or error.context_mark
    message = f"YAML syntax error: {error.problem or error.context}"
    context = error.context_mark
    if error.context and context is not None and context is not mark:
        message += f" ({error.context} that starts at line {context.line + 1}, column {context.column + 1})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Problem(file, message, line, column)
