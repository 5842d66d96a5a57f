"""Reading a spec: YAML files to raw records that remember their file and line.

No judgement happens here beyond YAML syntax: :mod:`concept_graph.validate` decides what is wrong.
A graph folder holds ``spec/*.yaml``; the files are read in name order and their top-level lists
(``categories``, ``families``, ``relation_types``, ``concepts``, ``relations``) are joined, so a large graph can
be split by section while a small one fits in one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import ScalarNode

from .errors import ConceptGraphError, Problem, did_you_mean, display_path

LIST_KEYS = ("categories", "families", "relation_types", "concepts", "relations")
MAPPING_KEYS = ("graph",)


class Node:
    """Mixin recording where a YAML value came from (file, 1-based line)."""

    file: str = ""
    line: int = 0


class LineDict(dict, Node):
    """A mapping that also knows the line of each of its keys."""

    key_lines: dict


class LineList(list, Node):
    item_lines: list


class LineStr(str, Node):
    pass


# libyaml's parser (PyYAML's C extension) reads a reading list's spec four times faster than the
# pure-Python one and keeps every node's line; the constructors below stay in Python.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR = "tag:yaml.org,2002:str"


def _make_loader(file: str, base: type = _FAST_LOADER) -> type:
    class Loader(base):
        pass

    def construct_mapping(loader, node, deep=False):
        loader.flatten_mapping(node)
        mapping = LineDict()
        mapping.file, mapping.line, mapping.key_lines = file, node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            # A text key, or a text value on its key's line, needs no line of its own (key_lines has
            # it): a plain str, half the cost of a LineStr, and most of a spec's scalars.
            if type(key_node) is ScalarNode and key_node.tag == STR:
                key = key_node.value
            else:
                key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise ConceptGraphError(Problem("yaml-syntax", file, key_node.start_mark.line + 1,
                                                "a mapping key must be a plain value")) from None
            if key in mapping:
                raise ConceptGraphError(Problem(
                    "duplicate-key", file, key_node.start_mark.line + 1,
                    f"key {key!r} appears twice in the same mapping", "keep one of them"))
            line = key_node.start_mark.line
            if type(value_node) is ScalarNode and value_node.tag == STR and value_node.start_mark.line == line:
                mapping[key] = value_node.value
            else:
                mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.key_lines[key] = line + 1
        return mapping

    def construct_sequence(loader, node, deep=False):
        seq = LineList(loader.construct_object(child, deep=True) for child in node.value)
        seq.file, seq.line = file, node.start_mark.line + 1
        seq.item_lines = [child.start_mark.line + 1 for child in node.value]
        return seq

    def construct_str(loader, node):
        value = LineStr(loader.construct_scalar(node))
        value.file, value.line = file, node.start_mark.line + 1
        return value

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, construct_sequence)
    Loader.add_constructor(STR, construct_str)
    return Loader


@dataclass
class RawSpec:
    """The joined records of every spec file, each still carrying its file and line."""

    folder: Path
    files: list[str] = field(default_factory=list)
    graph: LineDict | None = None
    lists: dict[str, list] = field(default_factory=lambda: {k: [] for k in LIST_KEYS})


def spec_files(graph_dir: Path) -> list[Path]:
    return sorted((graph_dir / "spec").glob("*.yaml"))


def load_spec(graph_dir: Path | str) -> RawSpec:
    """Read every spec file of a graph folder, collecting syntax problems from all of them."""
    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise ConceptGraphError(Problem("missing-file", display_path(graph_dir), None,
                                        "graph folder not found",
                                        "give the folder that holds spec/ and the article"))
    files = spec_files(graph_dir)
    if not files:
        raise ConceptGraphError(Problem("missing-file", display_path(graph_dir / "spec"), None,
                                        "no spec files (*.yaml) found",
                                        "run 'concept-graph init' to start one, or see docs/spec.md"))
    raw = RawSpec(graph_dir)
    problems: list[Problem] = []
    for path in files:
        shown = display_path(path)
        raw.files.append(shown)
        try:
            data = read_yaml(path, shown)
        except ConceptGraphError as exc:
            problems.extend(exc.problems)
            continue
        if data is None:
            continue
        if not isinstance(data, LineDict):  # the loader makes every mapping a LineDict
            problems.append(Problem("wrong-type", shown, getattr(data, "line", 1),
                                    "a spec file must be a mapping of sections",
                                    "start with keys such as 'concepts:' or 'relations:'"))
            continue
        for key, value in data.items():
            line = data.key_lines.get(key)
            if key in MAPPING_KEYS:
                if raw.graph is not None:
                    problems.append(Problem("duplicate-key", shown, line,
                                            f"'{key}' is already defined in {raw.graph.file}:{raw.graph.line}",
                                            "define it in one file only"))
                elif not isinstance(value, LineDict):
                    problems.append(Problem("wrong-type", shown, line, f"'{key}' must be a mapping"))
                else:
                    raw.graph = value
            elif key in LIST_KEYS:
                if value is None:
                    continue
                if not isinstance(value, list):
                    problems.append(Problem("wrong-type", shown, line, f"'{key}' must be a list",
                                            "write each item on a line starting with '- '"))
                else:
                    raw.lists[key].extend(value)
            else:
                problems.append(Problem("unknown-key", shown, line, f"unknown top-level key {key!r}",
                                        did_you_mean(str(key), (*MAPPING_KEYS, *LIST_KEYS))))
    if problems:
        raise ConceptGraphError(problems)
    return raw


def read_yaml(path: Path, shown: str):
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConceptGraphError(Problem("spec-encoding", shown, raw[: exc.start].count(b"\n") + 1,
                                        f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                                        "save it as UTF-8")) from None
    except OSError as exc:
        raise ConceptGraphError(Problem("unreadable-file", shown, None, f"cannot read: {exc.strerror}")) from None
    try:
        return yaml.load(text, Loader=_make_loader(shown))  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        pass
    # libyaml words its errors differently (and refuses a few documents that the pure-Python parser
    # reads): read the file again with the pure-Python parser, for its result or its message.
    try:
        return yaml.load(text, Loader=_make_loader(shown, yaml.SafeLoader))  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ConceptGraphError(Problem("yaml-syntax", shown, line,
                                        f"YAML syntax error: {exc.problem or exc.context}",
                                        "check indentation and quoting on this line or the one before")) from None
    except yaml.YAMLError as exc:
        raise ConceptGraphError(Problem("yaml-syntax", shown, None, f"YAML error: {exc}")) from None
