"""Safe YAML reading that remembers where every key and value came from.

`read_located` turns a file into plain Python values (dicts become `LMap`,
lists `LList`) that carry `Pos` records, so that a problem found later, by
pydantic or by a semantic check, can name the file, line and column.

Only safe loading is used, and hostile files are refused cheaply: anything
but a regular file (a pipe or a device would block or never end), too large,
too deep (checked on the event stream before any tree is built), alias bombs
(the expanded size is counted before anything is copied), duplicate and
non-text keys.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.scenario.errors import Problem, ScenarioError

MAX_BYTES = 1 << 20
MAX_DEPTH = 40
MAX_NODES = 200_000

_LOADER: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_MAP_TAG = _TAG + "map"
_SEQ_TAG = _TAG + "seq"
_STR_TAG = _TAG + "str"
_MERGE_TAG = _TAG + "merge"
_BOOL_TAG = _TAG + "bool"
_TIMESTAMP_TAG = _TAG + "timestamp"
_SCALAR_TAGS = frozenset(_TAG + t for t in ("null", "bool", "int", "float", "str"))
_KIND = {"null": "null", "bool": "true/false", "int": "a number", "float": "a number"}

Style = Literal["", "plain", "quoted", "block"]


@dataclass(frozen=True, slots=True)
class Pos:
    """Where a node starts (1-based line and column) and how a scalar was written."""

    path: str
    line: int
    col: int
    style: Style = ""
    one_line: bool = True
    # A block scalar's (`|`, `>`) lines: (offset in its text, line, column) where each
    # starts, so that a place in the text can be found in the file.
    lines: tuple[tuple[int, int, int], ...] = field(default=(), compare=False, repr=False)

    def at(self, offset: int) -> Pos:
        """The position `offset` characters into the scalar's text, where that is knowable.

        Plain and quoted scalars on one line map directly (a quote adds one
        column), block scalars line by line; other multi-line scalars are
        reported at their start.
        """
        if self.lines:
            start, line, col = next(
                (s for s in reversed(self.lines) if s[0] <= offset), self.lines[0]
            )
            return replace(self, line=line, col=col + max(0, offset - start), lines=())
        if not self.one_line or self.style not in ("plain", "quoted"):
            return self
        return replace(self, col=self.col + offset + (1 if self.style == "quoted" else 0))


class LMap(dict[str, Any]):
    """A mapping read from YAML, with the position of itself, its keys and values."""

    __slots__ = ("pos", "key_pos", "val_pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}
        self.val_pos: dict[str, Pos] = {}

    def put(self, key: str, value: Any, key_pos: Pos, val_pos: Pos) -> None:
        """Set a key together with where the key and the value were written."""
        self[key] = value
        self.key_pos[key] = key_pos
        self.val_pos[key] = val_pos


class LList(list[Any]):
    """A list read from YAML, with the position of itself and of each item."""

    __slots__ = ("pos", "item_pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []

    def push(self, value: Any, pos: Pos) -> None:
        """Append an item together with where it was written."""
        self.append(value)
        self.item_pos.append(pos)


@dataclass(frozen=True, slots=True)
class Located:
    """A whole document: its value (None for an empty file) and where it starts."""

    value: Any
    pos: Pos


class _Abort(Exception):
    """Stops conversion at once (alias bombs, nesting) with one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_located(path: Path, display: str | None = None) -> Located:
    """Read one YAML file safely into located values; raise ScenarioError on any problem."""
    name = display if display is not None else str(path)
    text = _decode(_read_bytes(path, name), name)
    _check_depth(text, name)
    node = _compose(text, name)
    start = Pos(name, 1, 1)
    if node is None:
        return Located(None, start)
    builder = _Builder(name, text)
    try:
        builder.measure(node, 1, {}, set())
        value = builder.convert(node)
    except _Abort as stop:
        builder.problems.append(stop.problem)
    if builder.problems:
        raise ScenarioError(builder.problems)
    return Located(value, builder.pos(node))


def _fail(path: str, line: int, col: int, code: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(path, line, col, code, message)])


def cut(text: str, width: int = 60, *, middle: bool = False) -> str:
    """`text` as a message shows a name or value: at most `width` characters, '...' if cut.

    With `middle`, the end is kept too (a path keeps its file name).
    """
    if len(text) <= width:
        return text
    if not middle:
        return text[: width - 3] + "..."
    tail = (width - 3) // 2
    return text[: width - 3 - tail] + "..." + text[-tail:]


def not_regular(mode: int) -> str | None:
    """Why a file of this `st_mode` cannot be a scenario, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "it is a pipe, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a regular file"
    return "it is not a regular file"


def _read_bytes(path: Path, name: str) -> bytes:
    def cannot(reason: str) -> ScenarioError:
        return _fail(name, 1, 1, "E001", f"cannot read the file: {reason}")

    # Only a regular file is read: opening a pipe waits for a writer and a
    # device may never end. The check before opening gives the message; the
    # non-blocking open and the check of what was opened close the race with
    # a file swapped in between.
    try:
        why = not_regular(os.stat(path).st_mode)
        if why is not None:
            raise cannot(why)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise cannot(e.strerror or type(e).__name__) from None
    except ValueError:  # a NUL byte in the name
        raise cannot("the name is not a valid file name") from None
    with os.fdopen(fd, "rb") as f:
        try:
            why = not_regular(os.fstat(fd).st_mode)
            if why is not None:
                raise cannot(why)
            # One byte past the limit rather than trusting the size stat()
            # gave: the file may grow while it is read.
            data = f.read(MAX_BYTES + 1)
        except OSError as e:
            raise cannot(e.strerror or type(e).__name__) from None
    if len(data) > MAX_BYTES:
        raise _fail(name, 1, 1, "E002", "the file is larger than 1 MiB")
    return data


def _decode(data: bytes, name: str) -> str:
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        bad = data[e.start : e.start + 1].hex()
        raise _fail(
            name, line, col, "E003", f"the file is not valid UTF-8 (byte 0x{bad})"
        ) from None


def _yaml_problem(e: yaml.YAMLError, text: str, name: str) -> Problem:
    """Turn any YAML error into one clean problem at the best known position."""
    if isinstance(e, yaml.MarkedYAMLError) and e.problem_mark is not None:
        mark = e.problem_mark
        what = e.problem or "invalid YAML"
        if e.context:
            what = f"{what} ({e.context})"
        return Problem(name, mark.line + 1, mark.column + 1, "E003", f"YAML syntax error: {what}")
    if isinstance(e, yaml.reader.ReaderError):
        before = text[: max(0, min(e.position, len(text)))]
        line = before.count("\n") + 1
        col = len(before.rsplit("\n", 1)[-1]) + 1
        return Problem(
            name, line, col, "E003", f"character #x{e.character:04x} is not allowed in YAML"
        )
    return Problem(name, 1, 1, "E003", f"YAML syntax error: {str(e).splitlines()[0]}")


def _check_depth(text: str, name: str, loader: Any = _LOADER) -> None:
    """Refuse deep nesting from the event stream, before any recursion happens."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                    raise _fail(
                        name,
                        line,
                        col,
                        "E004",
                        f"values are nested more than {MAX_DEPTH} levels deep",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as e:
        if loader is not yaml.SafeLoader and "nesting depth" in str(e):
            # libyaml scans far ahead and stops at its own limit (1000) before
            # we see level 41; the pure-Python parser is lazy and finds it.
            _check_depth(text, name, yaml.SafeLoader)
        raise ScenarioError([_yaml_problem(e, text, name)]) from None


def _compose(text: str, name: str) -> Node | None:
    try:
        node: Node | None = yaml.compose(text, Loader=_LOADER)
        return node
    except yaml.YAMLError as e:
        raise ScenarioError([_yaml_problem(e, text, name)]) from None


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's, as PyYAML reads them


def _style(node: Node) -> Style:
    if not isinstance(node, ScalarNode):
        return ""
    if not node.style:  # None in the Python parser, '' in libyaml
        return "plain"
    return "quoted" if node.style in ("'", '"') else "block"


def _clip(text: str) -> str:
    return f"'{text[:20]}...'" if len(text) > 20 else f"'{text}'"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _Builder:
    """Converts a composed node graph into located values, collecting problems."""

    def __init__(self, path: str, text: str = "") -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.constructor = SafeConstructor()
        self.text = text
        self._lines: list[str] | None = None

    def pos(self, node: Node) -> Pos:
        start, end = node.start_mark, node.end_mark
        style = _style(node)
        lines = self._block_lines(node) if style == "block" else ()
        return Pos(
            self.path, start.line + 1, start.column + 1, style, start.line == end.line, lines
        )

    def _block_lines(self, node: Node) -> tuple[tuple[int, int, int], ...]:
        """Where each line of a block scalar's text was written: its text holds each line
        as written, less the indentation, joined by line breaks or (folded) spaces."""
        if self._lines is None:
            self._lines = _LINE_BREAK.split(self.text)
        value, cursor = str(node.value), 0
        out: list[tuple[int, int, int]] = []
        for n in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(self._lines))):
            raw = self._lines[n]
            content = raw.lstrip(" ")
            found = value.find(content, cursor) if content else -1
            if found >= 0:
                out.append((found, n + 1, len(raw) - len(content) + 1))
                cursor = found + len(content)
        return tuple(out)

    def problem(self, node: Node, code: str, message: str) -> Problem:
        p = self.pos(node)
        return Problem(self.path, p.line, p.col, code, message)

    def measure(
        self, node: Node, depth: int, seen: dict[int, tuple[int, int]], active: set[int]
    ) -> tuple[int, int]:
        """How many values `node` becomes once aliases are expanded, and how deep it goes.

        Each distinct node is measured once, so an alias bomb is refused in time
        proportional to the file, before anything is copied; the height catches
        chains of aliases that nest deeper than the file's own indentation.
        `active` holds the nodes being measured: an alias back to one is a cycle.
        """
        if id(node) not in seen:
            if id(node) in active:
                raise _Abort(
                    self.problem(node, "E005", "an alias refers to a value that contains it")
                )
            size, height = 1, 0  # height counts collections, as the event pass does
            if isinstance(node, (MappingNode, SequenceNode)):
                height = 1
                active.add(id(node))
                children = (
                    [n for pair in node.value for n in pair]
                    if isinstance(node, MappingNode)
                    else node.value
                )
                for child in children:
                    child_size, child_height = self.measure(child, depth + 1, seen, active)
                    size, height = size + child_size, max(height, child_height + 1)
                active.discard(id(node))
            seen[id(node)] = (size, height)
        size, height = seen[id(node)]
        if depth + height - 1 > MAX_DEPTH:
            raise _Abort(
                self.problem(node, "E004", f"values are nested more than {MAX_DEPTH} levels deep")
            )
        if size > MAX_NODES:
            # Every node under this one has been measured: if there are that
            # many distinct ones, the file itself is too big; else aliases are.
            if len(seen) > MAX_NODES:
                raise _Abort(
                    self.problem(node, "E002", f"the file holds more than {MAX_NODES:,} values")
                )
            raise _Abort(
                self.problem(node, "E005", f"aliases expand to more than {MAX_NODES:,} values")
            )
        return size, height

    def convert(self, node: Node) -> Any:
        """Convert one node (already sized, so aliases expand to a bounded tree)."""
        if isinstance(node, MappingNode):
            return self.mapping(node)
        if isinstance(node, SequenceNode):
            return self.sequence(node)
        assert isinstance(node, ScalarNode)  # the only other kind of node
        return self.scalar(node)

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag == _TIMESTAMP_TAG:
            return node.value  # dates stay text: the models parse "2025 Q3" themselves
        if node.tag not in _SCALAR_TAGS:
            self.problems.append(
                self.problem(node, "E008", f"unsupported YAML tag '{_short_tag(node.tag)}'")
            )
            return None
        if node.tag == _BOOL_TAG and node.value.lower() in ("yes", "no", "on", "off"):
            # YAML 1.1 reads yes/no/on/off as true/false, YAML 1.2 (editors, the
            # schema) as text: refused, so the file means one thing everywhere.
            said = "true" if node.value.lower() in ("yes", "on") else "false"
            message = (
                f"{_clip(node.value)} is {said} in old YAML but text to editors (YAML 1.2): "
                f"write {said}"
            )
            self.problems.append(self.problem(node, "E009", message))
            return None
        try:
            return SafeConstructor.yaml_constructors[node.tag](self.constructor, node)
        except (ValueError, KeyError, IndexError, yaml.YAMLError):
            # int() refuses numbers with thousands of digits; an explicit tag
            # on a value that does not fit it (`!!bool maybe`, `!!float ''`)
            # fails inside the constructor in several ways.
            kind = _KIND.get(node.tag[len(_TAG) :], "a value")
            self.problems.append(
                self.problem(node, "E008", f"cannot read {_clip(node.value)} as {kind}")
            )
            return None

    def mapping(self, node: MappingNode) -> LMap | None:
        if node.tag != _MAP_TAG:
            self.problems.append(
                self.problem(node, "E008", f"unsupported YAML tag '{_short_tag(node.tag)}'")
            )
            return None
        out = LMap(self.pos(node))
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            key = self.key(key_node)
            if key is None:
                continue
            if key in out:
                first = out.key_pos[key].line
                self.problems.append(
                    self.problem(
                        key_node, "E006", f"duplicate key '{cut(key)}' (first at line {first})"
                    )
                )
                continue
            out.put(key, self.convert(value_node), self.pos(key_node), self.pos(value_node))
        for source in merges:
            self.merge_keys(out, source)
        return out

    def merge_keys(self, out: LMap, source: Node) -> None:
        """YAML merge keys (`<<: *defaults`): explicit keys win, earlier sources win."""
        sources = source.value if isinstance(source, SequenceNode) else [source]
        for item in sources:
            merged = self.convert(item) if isinstance(item, MappingNode) else None
            if not isinstance(merged, LMap):
                self.problems.append(
                    self.problem(item, "E008", "'<<' must be given a mapping or a list of mappings")
                )
                continue
            for key, value in merged.items():
                if key not in out:
                    out.put(key, value, merged.key_pos[key], merged.val_pos[key])

    def key(self, node: Node) -> str | None:
        if isinstance(node, ScalarNode) and node.tag == _STR_TAG:
            return str(node.value)
        if isinstance(node, ScalarNode):
            kind = _KIND.get(node.tag[len(_TAG) :], _short_tag(node.tag))
            message = f"key '{cut(str(node.value))}' is read as {kind}, not text; put it in quotes"
        else:
            message = "a key must be text, not a list or a mapping"
        self.problems.append(self.problem(node, "E007", message))
        return None

    def sequence(self, node: SequenceNode) -> LList | None:
        if node.tag != _SEQ_TAG:
            self.problems.append(
                self.problem(node, "E008", f"unsupported YAML tag '{_short_tag(node.tag)}'")
            )
            return None
        out = LList(self.pos(node))
        for item in node.value:
            out.push(self.convert(item), self.pos(item))
        return out


def as_located(value: Any, pos: Pos) -> Any:
    """Plain data (JSON, say) as located values, every one placed at `pos`.

    Data that never was a file has no lines to point at; wrapped like this,
    problems found in it still name their key path (`chips.h100.price`).
    """
    if isinstance(value, dict):
        out = LMap(pos)
        for key, item in value.items():
            out.put(str(key), as_located(item, pos), pos, pos)
        return out
    if isinstance(value, list):
        items = LList(pos)
        for item in value:
            items.push(as_located(item, pos), pos)
        return items
    return value


def locate(
    tree: Any, loc: tuple[Any, ...], *, at_key: bool = False, root: Pos | None = None
) -> Pos:
    """The position of the deepest node named by a pydantic-style `loc`.

    Elements that do not name a key or index (union member names such as
    'turning_point' or 'function-after[...]') are skipped. With `at_key`, a
    final mapping key is located at the key rather than at its value; a
    '[key]' element (pydantic's marker for a bad dict key) does the same.
    """
    return walk(tree, loc, at_key=at_key, root=root)[0]


def walk(
    tree: Any, loc: tuple[Any, ...], *, at_key: bool = False, root: Pos | None = None
) -> tuple[Pos, list[str | int]]:
    """Like `locate`, and also return the keys and indexes actually followed."""
    fallback = root or Pos("<unknown>", 1, 1)
    pos: Pos = getattr(tree, "pos", fallback)
    node = tree
    path: list[str | int] = []
    key_pos: Pos | None = None
    for element in loc:
        if isinstance(node, LMap) and isinstance(element, str) and element in node:
            key_pos, pos, node = node.key_pos[element], node.val_pos[element], node[element]
            path.append(element)
        elif isinstance(node, LList) and type(element) is int and 0 <= element < len(node):
            key_pos, pos, node = None, node.item_pos[element], node[element]
            path.append(element)
        elif element == "[key]" and key_pos is not None:
            return key_pos, path
    if at_key and key_pos is not None and path and path[-1] == loc[-1]:
        return key_pos, path
    return pos, path


def dotted(path: list[str | int] | tuple[str | int, ...]) -> str:
    """A key path as authors write it: `chips.h100.price`, `events[3].when`."""
    out = ""
    for element in path:
        name = element if isinstance(element, int) else cut(element)
        out += f"[{name}]" if isinstance(name, int) else (f".{name}" if out else name)
    return out
