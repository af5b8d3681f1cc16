"""The project's one XML parser and builder for WeCom payloads.

Every XML byte that reaches the service (the outer ``<xml><Encrypt/>…</xml>`` envelope and the
decrypted plaintext) goes through :func:`parse_xml`, which refuses DTDs, entity declarations and
external references (defusedxml), a root other than ``<xml>`` and absurd nesting, and returns a
plain dict. :func:`build_xml` writes the flat ``<xml><Key><![CDATA[…]]></Key></xml>`` documents
used for passive replies.

Error messages say what is wrong and where (line/column), never what the document contained.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # only for the Element/ParseError types; parsing is defused
from collections.abc import Mapping
from typing import Any, TypeAlias

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET

__all__ = ["MAX_DEPTH", "XMLError", "XMLValue", "build_xml", "parse_xml"]

MAX_DEPTH = 16
"""Deepest element nesting accepted below the root (WeCom payloads use at most 4)."""

XMLValue: TypeAlias = "str | int | Mapping[str, XMLValue]"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
# Characters XML 1.0 cannot carry at all (not even as character references).
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class XMLError(ValueError):
    """The document is not acceptable XML. The message never contains document content."""


def parse_xml(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """Parse a WeCom XML document into a dict of the root's children.

    - a leaf element maps to its text, unmodified (CDATA unwrapped, an empty element is ``""``);
    - an element with children maps to a nested dict;
    - children repeated under the same name map to a list of those values, e.g.
      ``<L><Item>a</Item><Item>b</Item></L>`` → ``{"L": {"Item": ["a", "b"]}}``.
      A single child stays a scalar/dict; callers wanting a list must normalise.
    Attributes and text mixed between child elements are ignored.
    Raises :class:`XMLError` on anything else: malformed input, a DTD, entities, an external
    reference, a root other than ``<xml>``, nesting deeper than ``max_depth``.
    """
    if not isinstance(data, bytes | str):
        raise XMLError(f"expected bytes or str, got {type(data).__name__}")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise XMLError("DTD/DOCTYPE declarations are not allowed") from None
    except EntitiesForbidden:
        raise XMLError("entity declarations are not allowed") from None
    except ExternalReferenceForbidden:
        raise XMLError("external references are not allowed") from None
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise XMLError(f"malformed XML at line {line}, column {column}") from None
    except UnicodeError:
        raise XMLError("undecodable or unencodable characters") from None
    except (ValueError, LookupError):
        # e.g. "multi-byte encodings are not supported", an unknown declared encoding
        raise XMLError("unsupported document encoding") from None
    except RecursionError:
        raise XMLError("nesting too deep") from None
    if root.tag != "xml":
        raise XMLError("root element must be <xml>")
    return _children(root, 1, max_depth)


def _children(element: ET.Element, depth: int, max_depth: int) -> dict[str, Any]:
    if depth > max_depth:
        raise XMLError(f"nesting deeper than {max_depth} levels")
    out: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str):  # pragma: no cover - comments/PIs are dropped
            continue
        value: Any = _children(child, depth + 1, max_depth) if len(child) else (child.text or "")
        # Values are only ever str or dict, so a list here can only be one we made.
        if child.tag not in out:
            out[child.tag] = value
        elif isinstance(prev := out[child.tag], list):
            prev.append(value)
        else:
            out[child.tag] = [prev, value]
    return out


def build_xml(fields: Mapping[str, XMLValue], *, root: str = "xml") -> str:
    """Build ``<xml><Key><![CDATA[value]]></Key>…</xml>`` for a passive reply.

    ``int`` values are written bare; strings as CDATA (a ``]]>`` inside is split across two
    sections, a CR is written as ``&#13;`` so it survives the parser's newline normalisation);
    a nested mapping becomes a nested element (``{"Image": {"MediaId": "…"}}``).
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
            _emit(key, sub, parts)
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
