"""safexml: hostile documents are refused, well-formed ones map to dicts, build round-trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.protocol import safexml
from bot.protocol.safexml import MAX_DEPTH, XMLError, build_xml, parse_xml

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xml><Content>&lol3;</Content></xml>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><Content>&xxe;</Content></xml>"""

EXTERNAL_DTD = '<!DOCTYPE xml SYSTEM "file:///etc/passwd"><xml><A>1</A></xml>'
PLAIN_DOCTYPE = "<!DOCTYPE xml><xml><A>1</A></xml>"


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        (BILLION_LAUGHS, "DTD"),
        (EXTERNAL_ENTITY, "DTD"),
        (EXTERNAL_DTD, "DTD"),
        (PLAIN_DOCTYPE, "DTD"),
        (BILLION_LAUGHS.encode(), "DTD"),
        ("<xml><A>1</A>", "malformed"),
        ("<xml><A>1</B></xml>", "malformed"),
        ("", "malformed"),
        ("not xml at all", "malformed"),
        ("<xml>&nbsp;</xml>", "malformed"),  # undefined entity reference
        ("<root><A>1</A></root>", "root"),
        ("<XML><A>1</A></XML>", "root"),
        (b'<?xml version="1.0" encoding="gbk"?><xml/>', "encoding"),
        ("<xml>\ud800</xml>", "characters"),
    ],
)
def test_rejected(doc: str | bytes, reason: str) -> None:
    with pytest.raises(XMLError, match=reason):
        parse_xml(doc)


@pytest.mark.parametrize("doc", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_error_message_never_echoes_content(doc: str) -> None:
    with pytest.raises(XMLError) as info:
        parse_xml(doc)
    message = str(info.value)
    for secret in ("passwd", "lol", "file:", "xxe"):
        assert secret not in message


def test_xml_error_is_value_error() -> None:
    assert issubclass(XMLError, ValueError)


def test_deep_nesting() -> None:
    ok = "<xml>" + "<a>" * MAX_DEPTH + "x" + "</a>" * MAX_DEPTH + "</xml>"
    parse_xml(ok)
    too_deep = "<xml>" + "<a>" * (MAX_DEPTH + 1) + "x" + "</a>" * (MAX_DEPTH + 1) + "</xml>"
    with pytest.raises(XMLError, match="deep"):
        parse_xml(too_deep)
    very_deep = "<xml>" + "<a>" * 50_000 + "</a>" * 50_000 + "</xml>"
    with pytest.raises(XMLError):
        parse_xml(very_deep)


def test_structure() -> None:
    doc = (
        "<xml><A><![CDATA[ hello \n]]></A><N>42</N><E></E><S/>"
        "<L><Item>Jack</Item><Item>Rose</Item></L><One><Item>solo</Item></One>"
        "<Nested><K><![CDATA[v]]></K><Deeper><Z>z</Z></Deeper></Nested>"
        "<R><Row><Q>1</Q></Row><Row><Q>2</Q></Row></R></xml>"
    )
    assert parse_xml(doc) == {
        "A": " hello \n",  # nothing stripped
        "N": "42",
        "E": "",
        "S": "",
        "L": {"Item": ["Jack", "Rose"]},
        "One": {"Item": "solo"},
        "Nested": {"K": "v", "Deeper": {"Z": "z"}},
        "R": {"Row": [{"Q": "1"}, {"Q": "2"}]},
    }


def test_envelope_and_bytes() -> None:
    envelope = (
        b"<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>"
        b"<Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X]]>"
        b"</Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
    )
    assert parse_xml(envelope) == {
        "ToUserName": "wx5823bf96d3bd56c7",
        "Encrypt": "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X",
        "AgentID": "218",
    }


def test_unicode_and_declaration() -> None:
    doc = '<?xml version="1.0" encoding="UTF-8"?><xml><C>你好，世界 😀 &amp; &lt;b&gt;</C></xml>'
    assert parse_xml(doc) == {"C": "你好，世界 😀 & <b>"}
    assert parse_xml(doc.encode("utf-8")) == {"C": "你好，世界 😀 & <b>"}


def test_attributes_and_mixed_text_ignored() -> None:
    assert parse_xml('<xml a="1"><B c="2">t</B> stray <D><E>e</E>x</D></xml>') == {
        "B": "t",
        "D": {"E": "e"},
    }


def test_build_xml_shape() -> None:
    out = build_xml(
        {"ToUserName": "u", "CreateTime": 1409659813, "MsgType": "text", "Content": "hi"}
    )
    assert out == (
        "<xml><ToUserName><![CDATA[u]]></ToUserName><CreateTime>1409659813</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content></xml>"
    )


def test_build_xml_nested_and_cdata_terminator() -> None:
    tricky = "a]]>b]]]]>c<![CDATA[d]]>"
    out = build_xml({"Content": tricky, "Image": {"MediaId": "m]]>"}, "Empty": ""})
    assert "]]>b" not in out.replace("]]]]><![CDATA[>", "")
    assert parse_xml(out) == {"Content": tricky, "Image": {"MediaId": "m]]>"}, "Empty": ""}


def test_build_xml_carriage_return_round_trips() -> None:
    assert parse_xml(build_xml({"C": "a\r\nb\rc\n"})) == {"C": "a\r\nb\rc\n"}


@pytest.mark.parametrize(
    "fields",
    [
        {"Bad Name": "x"},
        {"1abc": "x"},
        {"<x>": "x"},
        {"C": "nul\x00"},
        {"C": "\ufffe"},
        {"C": True},
        {"C": 1.5},
        {"C": None},
    ],
)
def test_build_xml_rejects(fields: dict[str, object]) -> None:
    with pytest.raises(XMLError):
        build_xml(fields)  # type: ignore[arg-type]


_xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
).filter(lambda s: all(c in "\t\n\r" or c >= " " for c in s) and "\ufffe" not in s)
_xml_text = _xml_text.filter(lambda s: "\uffff" not in s)
_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)


@settings(max_examples=200)
@given(st.dictionaries(_names, _xml_text | st.integers(), max_size=6))
def test_build_parse_round_trip(fields: dict[str, str | int]) -> None:
    expected = {k: str(v) for k, v in fields.items()}
    assert parse_xml(build_xml(fields)) == expected


@settings(max_examples=300)
@given(st.text() | st.binary())
def test_parse_xml_arbitrary_input_raises_only_xml_error(data: str | bytes) -> None:
    try:
        result = parse_xml(data)
    except XMLError:
        return
    assert isinstance(result, dict)


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(
            [
                "<xml>",
                "</xml>",
                "<A>",
                "</A>",
                "<![CDATA[",
                "]]>",
                "&amp;",
                "&x;",
                "<!DOCTYPE xml>",
                "<?xml version='1.0'?>",
                "text",
                "<B/>",
                "<",
                ">",
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_parse_xml_xmlish_input_raises_only_xml_error(data: str) -> None:
    try:
        result = parse_xml(data)
    except XMLError:
        return
    assert isinstance(result, dict)


def test_build_xml_repeats_an_element_for_a_list() -> None:
    doc = build_xml({"MemChangeList": {"Item": ["wmA", "wmB"]}, "MemChangeCnt": 2})
    assert doc == ("<xml><MemChangeList><Item><![CDATA[wmA]]></Item><Item><![CDATA[wmB]]>"
                   "</Item></MemChangeList><MemChangeCnt>2</MemChangeCnt></xml>")
    assert parse_xml(doc)["MemChangeList"] == {"Item": ["wmA", "wmB"]}


# -- the flat shape's fast path gives expat's answer ----------------------------------------

_PIECES = ["<xml>", "</xml>", "<A>", "</A>", "<B>", "</B>", "<![CDATA[", "]]>", "]", ">",
           "<", "&", "&amp;", "\r", "\r\n", "\n", " ", "\t", "\x00", "\x0b", "\x1f", "\ufffe",
           "\uffff", "\ud800", "你好", "text", "12", "<A/>", '<A x="1">', "<!-- c -->",
           "<?pi x?>", "<!DOCTYPE xml>", "<a.b-c>", "</a.b-c>", "<xml><xml>", "\ufeff"]


def _expat_answer(data: str | bytes) -> dict[str, object] | str:
    try:
        return safexml._parse_expat(data, MAX_DEPTH)
    except XMLError:
        return "error"


def _flat_docs() -> st.SearchStrategy[str]:
    # Mostly the flat shape (children of CDATA or plain text, whitespace between), each
    # value and gap drawn from pieces that sit on the shape's edges.
    value = st.lists(st.sampled_from(_PIECES), max_size=4).map("".join)
    name = st.sampled_from(["A", "B", "a.b-c", "_x9", "A"])
    child = st.tuples(name, st.booleans(), value).map(
        lambda t: f"<{t[0]}><![CDATA[{t[2]}]]></{t[0]}>" if t[1] else f"<{t[0]}>{t[2]}</{t[0]}>")
    gap = st.sampled_from(["", "", "\n", " \t\n", "\r\n"])
    return st.tuples(st.lists(st.tuples(gap, child), max_size=5), gap, gap).map(
        lambda t: "<xml>" + "".join(g + c for g, c in t[0]) + t[1] + "</xml>" + t[2])


@settings(max_examples=1500)
@given(_flat_docs() | st.lists(st.sampled_from(_PIECES), max_size=14).map("".join),
       st.booleans())
def test_the_flat_shape_is_read_as_expat_reads_it(doc: str, as_bytes: bool) -> None:
    data: str | bytes = doc
    if as_bytes:
        try:
            data = doc.encode()
        except UnicodeEncodeError:  # a lone surrogate: bytes cannot hold it
            data = doc.encode("utf-8", "surrogatepass")
    flat = safexml._parse_flat(data)
    if flat is not None:  # taken by the fast path: expat agrees, value for value
        assert _expat_answer(data) == flat
    # And whatever path parse_xml takes, its answer is expat's.
    try:
        got: dict[str, object] | str = parse_xml(data)
    except XMLError:
        got = "error"
    assert got == _expat_answer(data)


def test_wecom_shaped_documents_take_the_fast_path() -> None:
    # The shapes the callback path sees on every request: the envelope and a text message,
    # pretty-printed as WeCom's documents show them or not; the check above would pass
    # trivially if the fast path never took anything.
    envelope = (b"<xml><ToUserName><![CDATA[ww1]]></ToUserName><AgentID><![CDATA[1000002]]>"
                b"</AgentID><Encrypt><![CDATA[a+b/c==]]></Encrypt></xml>")
    message = ("<xml>\n  <ToUserName><![CDATA[ww1]]></ToUserName>\n  <CreateTime>1348831860"
               "</CreateTime>\n  <Content><![CDATA[你好 ]] > 世界]]></Content>\n  <MsgId>1"
               "</MsgId>\n</xml>\n")
    assert safexml._parse_flat(envelope) == {"ToUserName": "ww1", "AgentID": "1000002",
                                             "Encrypt": "a+b/c=="}
    assert safexml._parse_flat(message) == _expat_answer(message) == {
        "ToUserName": "ww1", "CreateTime": "1348831860", "Content": "你好 ]] > 世界",
        "MsgId": "1"}
    # What the shape does not cover goes to expat, which still refuses a DTD; so does a
    # flood of "]" (each one a step of the expression's own, slower than expat there).
    assert safexml._parse_flat("<xml><A>&amp;</A></xml>") is None
    flood = "<xml><A><![CDATA[" + "]" * 100 + "]]></A></xml>"
    assert safexml._parse_flat(flood) is None
    assert parse_xml(flood) == _expat_answer(flood) == {"A": "]" * 100}
    with pytest.raises(XMLError, match="DTD"):
        parse_xml("<!DOCTYPE xml><xml><A>1</A></xml>")
