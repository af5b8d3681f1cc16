"""The project's one XML parser and builder for WeCom payloads.

Every XML byte that reaches the service (the outer ``<xml><Encrypt/>…</xml>`` envelope and the
decrypted plaintext) goes through :func:`parse_xml`, which refuses DTDs, entity declarations and
external references (checked on expat's own events), a root other than ``<xml>`` and absurd
nesting, and returns a plain dict (the flat documents WeCom mostly sends are read by a
faster path whose answers are expat's, see ``_parse_flat``). :func:`build_xml` writes the flat
``<xml><Key><![CDATA[…]]></Key></xml>`` documents used for passive replies.

Error messages say what is wrong and where (line/column), never what the document contained.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias
from xml.parsers import expat

__all__ = ["MAX_DEPTH", "XMLError", "XMLValue", "build_xml", "parse_xml"]

MAX_DEPTH = 16
"""Deepest element nesting accepted below the root (WeCom payloads use at most 4)."""

XMLValue: TypeAlias = "str | int | Mapping[str, XMLValue] | Sequence[XMLValue]"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
# Characters XML 1.0 cannot carry at all (not even as character references).
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class XMLError(ValueError):
    """The document is not acceptable XML. The message never contains document content."""


def _add(out: dict[str, Any], name: str, value: Any) -> None:
    """A child into its parent's dict: a repeated name becomes a list of its values (values
    are only ever str or dict, so a list found there can only be one made here)."""
    if name not in out:
        out[name] = value
    elif isinstance(prev := out[name], list):
        prev.append(value)
    else:
        out[name] = [prev, value]


class _Builder:
    """Builds the dict while expat streams the document (no element tree, no recursion).

    Hooked straight onto expat (C), with every DTD, entity declaration and external
    reference refused by a handler before it can take effect: the checks defusedxml makes,
    without its pure-Python ElementTree parser, which cost the callback path twice as much.
    """

    __slots__ = ("max_depth", "result", "root_seen", "stack", "text")

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        # One frame per open element: [name, children dict or None, text parts].
        self.stack: list[list[Any]] = []
        self.text: list[str] = []
        self.root_seen = False
        self.result: dict[str, Any] = {}

    def start(self, name: str, _attrs: Any) -> None:
        if not self.stack:
            if name != "xml" or self.root_seen:
                raise XMLError("root element must be <xml>")
            self.root_seen = True
        elif len(self.stack) > self.max_depth:
            raise XMLError(f"nesting deeper than {self.max_depth} levels")
        else:
            parent = self.stack[-1]
            if parent[1] is None:
                parent[1] = {}
        self.stack.append([name, None, self.text])
        self.text = []

    def end(self, name: str) -> None:
        frame = self.stack.pop()
        children = frame[1]
        value: Any = children if children is not None else "".join(self.text)
        self.text = frame[2]
        if not self.stack:
            self.result = value if children is not None else {}
            return
        _add(self.stack[-1][1], name, value)

    def data(self, text: str) -> None:
        self.text.append(text)


class _Forbidden(Exception):
    pass


def _forbid_dtd(*_args: Any) -> None:
    raise _Forbidden("DTD/DOCTYPE declarations are not allowed")


def _forbid_entities(*_args: Any) -> None:
    raise _Forbidden("entity declarations are not allowed")


def _forbid_external(*_args: Any) -> int:
    raise _Forbidden("external references are not allowed")


# The flat shape WeCom writes its envelopes and nearly all its payloads in: <xml>, then
# children holding one CDATA section or plain text each, then </xml>. Such a document is
# read by two regular expressions (C) instead of expat's callbacks into Python, at about
# half the cost, twice per callback. The shape admits no DTD, entity, reference,
# attribute, control character (CR included: expat normalises it), non-character or "]"
# in plain text: anything else goes to expat, whose answer is the only one
# (tests/events/test_safexml.py holds the two to the same result on generated documents).
_WS = "[ \t\n]*"
_CHILD = (r"<([A-Za-z_][A-Za-z0-9_.\-]*)>(?:<!\[CDATA\[([^\]]*(?:\](?!\]>)[^\]]*)*)\]\]>"
          r"|([^<&\]]*))</\{ref}>")
_FLAT_CHILD = re.compile(_CHILD.format(ref=1))
_FLAT_DOC = re.compile(f"<xml>((?:{_WS}{_CHILD.format(ref=2)})*){_WS}</xml>{_WS}")
# The "]" a flat document may hold beyond its sections' ends (see _parse_flat).
_SPARE_BRACKETS = 32
# Every byte but the control characters: deleting them leaves only the controls.
_NOT_CONTROL = bytes(b for b in range(256) if b >= 0x20 or b in (0x09, 0x0A))


def _parse_flat(data: bytes | str) -> dict[str, Any] | None:
    """The document read by the flat shape, or None when it is not of that shape."""
    try:
        raw, text = (data, data.decode()) if isinstance(data, bytes) else (data.encode(), data)
    except UnicodeError:  # not UTF-8, or a lone surrogate
        return None
    # Each "]" inside a section costs the expression a step of its own: a document with
    # more than its sections' ends and a few in the text goes to expat, which is quicker
    # at that (a hostile 64 KiB run of them, before any signature is checked).
    if text.count("]") > 2 * text.count("<![CDATA[") + _SPARE_BRACKETS:
        return None
    m = _FLAT_DOC.fullmatch(text)
    if m is None or raw.translate(None, _NOT_CONTROL) or (
            not text.isascii() and ("\ufffe" in text or "\uffff" in text)):
        return None
    out: dict[str, Any] = {}
    for name, cdata, plain in _FLAT_CHILD.findall(text, m.start(1), m.end(1)):
        _add(out, name, cdata or plain)
    return out


def parse_xml(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """Parse a WeCom XML document into a dict of the root's children.

    - a leaf element maps to its text, unmodified (CDATA unwrapped, an empty element is ``""``);
    - an element with children maps to a nested dict;
    - children repeated under the same name map to a list of those values, e.g.
      ``<L><Item>a</Item><Item>b</Item></L>`` → ``{"L": {"Item": ["a", "b"]}}``.
      A single child stays a scalar/dict; callers wanting a list must normalise.
    Attributes, comments, processing instructions and text mixed between child elements
    are ignored.
    Raises :class:`XMLError` on anything else: malformed input, a DTD, entities, an external
    reference, a root other than ``<xml>``, nesting deeper than ``max_depth``.
    """
    if not isinstance(data, bytes | str):
        raise XMLError(f"expected bytes or str, got {type(data).__name__}")
    starts_flat = data.startswith(b"<xml>") if isinstance(data, bytes) \
        else data.startswith("<xml>")
    if max_depth >= 1 and starts_flat:
        flat = _parse_flat(data)
        if flat is not None:
            return flat
    return _parse_expat(data, max_depth)


def _parse_expat(data: bytes | str, max_depth: int) -> dict[str, Any]:
    builder = _Builder(max_depth)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _forbid_dtd
    parser.EntityDeclHandler = _forbid_entities
    parser.UnparsedEntityDeclHandler = _forbid_entities
    parser.ExternalEntityRefHandler = _forbid_external
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    parser.ordered_attributes = True  # a list, not a dict per element: attributes are unused
    try:
        parser.Parse(data, True)
    except _Forbidden as exc:
        raise XMLError(str(exc)) from None
    except expat.ExpatError as exc:
        raise XMLError(f"malformed XML at line {exc.lineno}, column {exc.offset}") from None
    except UnicodeError:
        raise XMLError("undecodable or unencodable characters") from None
    except (ValueError, LookupError) as exc:
        if isinstance(exc, XMLError):
            raise
        # e.g. "multi-byte encodings are not supported", an unknown declared encoding
        raise XMLError("unsupported document encoding") from None
    return builder.result


def build_xml(fields: Mapping[str, XMLValue], *, root: str = "xml") -> str:
    """Build ``<xml><Key><![CDATA[value]]></Key>…</xml>`` for a passive reply.

    ``int`` values are written bare; strings as CDATA (a ``]]>`` inside is split across two
    sections, a CR is written as ``&#13;`` so it survives the parser's newline normalisation);
    a nested mapping becomes a nested element (``{"Image": {"MediaId": "…"}}``), a list
    repeats its element (``{"MemChangeList": {"Item": ["a", "b"]}}``).
    Raises :class:`XMLError` for an invalid element name, a value of another type, or a
    character XML 1.0 cannot represent (e.g. NUL). ``parse_xml(build_xml(d)) == d`` for
    string values.
    """
    parts: list[str] = []
    _emit(root, fields, parts)
    return "".join(parts)


def _emit(name: str, value: XMLValue, parts: list[str]) -> None:
    if not _NAME.match(name):
        raise XMLError("invalid element name")
    parts.append(f"<{name}>")
    if isinstance(value, bool):
        raise XMLError(f"<{name}>: bool is not a valid value; use int or str")
    if isinstance(value, int):
        parts.append(str(value))
    elif isinstance(value, str):
        if _ILLEGAL.search(value):
            raise XMLError(f"<{name}>: value contains a character XML 1.0 cannot carry")
        parts.append(_cdata(value))
    elif isinstance(value, Mapping):
        for key, sub in value.items():
            if not isinstance(key, str):
                raise XMLError("element names must be str")
            # A list repeats the element: {"Item": ["a", "b"]} → <Item>a</Item><Item>b</Item>
            for item in sub if isinstance(sub, list | tuple) else (sub,):
                _emit(key, item, parts)
    else:
        raise XMLError(f"<{name}>: unsupported value type {type(value).__name__}")
    parts.append(f"</{name}>")


def _cdata(text: str) -> str:
    if not text:
        return "<![CDATA[]]>"
    out: list[str] = []
    for i, chunk in enumerate(text.split("\r")):
        if i:
            out.append("&#13;")
        if chunk:
            # "a]]>b" → "<![CDATA[a]]]]><![CDATA[>b]]>": the "]]" ends one section, ">" opens
            # the next, so no section ever contains "]]>".
            out.append("<![CDATA[" + chunk.replace("]]>", "]]]]><![CDATA[>") + "]]>")
    return "".join(out)
