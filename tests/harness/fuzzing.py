"""Generated hostile input for the service's entry points: the callback URL, the ERP API and
the rules import. Seeded (a failure names its seed and case number, and replays).

Three layers of callbacks: bytes and query strings no one signed; envelopes around a valid
or forged ``Encrypt``; and — the layer only the holder of the app's keys can reach, where a
parser bug would hide — correctly encrypted and signed plaintexts built from WeCom's own
field names with hostile values (huge, negative and non-numeric numbers, NUL and control
characters, 100 KB strings, unknown types, missing fields, nesting). Also the customers'
progress page's tokens. Used by
``tests/foundation/test_fuzz.py`` (a short run) and ``bench/fuzz.py`` (≥ 100,000 cases).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.protocol.crypto import WeComCrypto
from bot.protocol.safexml import build_xml
from bot.settings import Settings

MSG_TYPES = ["text", "image", "voice", "video", "location", "link", "event", "file",
             "miniprogram", "", "TEXT", "unknown", "text\x00"]
EVENTS = ["change_external_contact", "change_external_chat", "change_external_tag",
          "kf_msg_or_event", "enter_agent", "click", "view", "template_card_event",
          "subscribe", "batch_job_result", "", "x" * 300]
CHANGE_TYPES = ["add_external_contact", "edit_external_contact", "del_external_contact",
                "del_follow_user", "add_half_external_contact", "transfer_fail", "create",
                "update", "dismiss", "msg_audit_approved", "shuffle", ""]
UPDATE_DETAILS = ["add_member", "del_member", "change_owner", "change_name", "change_notice",
                  ""]
TEXT_FIELDS = ["FromUserName", "Content", "MsgId", "UserID", "ExternalUserID", "State",
               "WelcomeCode", "ChatId", "Token", "OpenKfId", "EventKey", "TaskId", "CardType",
               "Id", "TagType", "FailReason", "Title", "Url", "PicUrl", "MediaId", "Label",
               "ResponseCode", "CurMemVer", "LastMemVer", "Source", "Format", "Description"]
NUMBER_FIELDS = ["CreateTime", "AgentID", "JoinScene", "QuitScene", "MemChangeCnt", "Scale",
                 "StrategyId", "Location_X", "Location_Y"]
AIBOT_TYPES = ["text", "image", "mixed", "voice", "file", "stream", "event", "", None, 7]
AIBOT_EVENTS = ["enter_chat", "template_card_event", "feedback_event", "", None]


@dataclass
class Case:
    kind: str
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Generator:
    """Cases for one service's settings (its apps' keys sign the deep layer)."""

    def __init__(self, settings: Settings, seed: int, *, erp: tuple[str, str] | None = None,
                 admin_token: str = "") -> None:
        self.rng = random.Random(seed)
        self.corp_id = settings.wecom.corp_id
        self.apps: list[tuple[str, str, int | None, WeComCrypto]] = [
            (a.name, a.kind, a.agent_id,
             WeComCrypto(a.token.get_secret_value(), a.encoding_aes_key.get_secret_value(),
                         self.corp_id if a.kind == "app" else ""))
            for a in settings.wecom.apps]
        self.erp = erp  # (key id, secret) of an ERP key: signed hostile bodies get deeper
        self.admin_token = admin_token  # the rules import is an admin's
        self.kinds: list[tuple[str, Callable[[], Case]]] = [
            ("raw", self.raw), ("verify", self.verify), ("envelope", self.envelope),
            ("plaintext", self.plaintext), ("plaintext", self.plaintext),
            ("plaintext", self.plaintext), ("aibot", self.aibot), ("erp", self.erp_case),
            ("rules", self.rules), ("progress", self.progress),
        ]

    def case(self) -> Case:
        return self.rng.choice(self.kinds)[1]()

    # -- values ------------------------------------------------------------------------

    def hostile_text(self) -> str:
        r = self.rng
        choice = r.randrange(12)
        if choice == 0:
            return ""
        if choice == 1:
            return "\x00" * r.randrange(1, 5) + "a"
        if choice == 2:
            return "".join(chr(r.randrange(1, 32)) for _ in range(r.randrange(1, 20)))
        if choice == 3:
            return "长" * r.randrange(1000, 35000)  # up to ~100 KB of UTF-8
        if choice == 4:
            return "".join(chr(r.randrange(0x80, 0x2FFFF)) for _ in range(r.randrange(1, 40))
                           ).encode("utf-8", "ignore").decode("utf-8", "ignore")
        if choice == 5:
            return str(r.choice([-1, 0, 2**31, 2**63, 10**400, -(10**30)]))
        if choice == 6:
            return "<![CDATA[" + "]]>" * r.randrange(1, 4)
        if choice == 7:
            return "{" * r.randrange(1, 200)
        if choice == 8:
            return "认领 " + str(r.choice([1, -1, 10**50, "abc", ""]))
        if choice == 9:
            return "进度 " + "A" * r.randrange(0, 200)
        if choice == 10:
            return "wm" + "x" * r.randrange(0, 300)
        return "".join(r.choice("abc中文 ?!%$#'\"\\/") for _ in range(r.randrange(1, 60)))

    def hostile_number(self) -> str:
        return str(self.rng.choice(
            [0, -1, 1, 2**31, 2**31 - 1, 2**63, 10**40, "1e400", "NaN", "inf", "", "１２", "0x10",
             " 7", "1.5", int(time.time())]))

    def nested(self, depth: int) -> Any:
        r = self.rng
        if depth <= 0 or r.random() < 0.3:
            return r.choice([None, True, 0, -1, 1.5, 10**30, "", self.hostile_text()[:200]])
        if r.random() < 0.5:
            return [self.nested(depth - 1) for _ in range(r.randrange(0, 4))]
        keys = ["msgtype", "text", "content", "event", "eventtype", "from", "userid", "msgid",
                "chatid", "aibotid", "response_url", "stream", "id", "x"]
        return {r.choice(keys): self.nested(depth - 1) for _ in range(r.randrange(0, 5))}

    # -- callbacks ---------------------------------------------------------------------

    def _app(self, kind: str | None = None) -> tuple[str, str, int | None, WeComCrypto]:
        apps = [a for a in self.apps if kind is None or a[1] == kind] or self.apps
        return self.rng.choice(apps)

    def _signed(self, crypto: WeComCrypto, plaintext: str) -> tuple[dict[str, str], str]:
        ts = str(int(time.time()))
        nonce = f"{self.rng.getrandbits(48):x}"
        encrypt, sig = crypto.encrypt(plaintext, nonce, ts)
        return {"msg_signature": sig, "timestamp": ts, "nonce": nonce}, encrypt

    def raw(self) -> Case:
        name = self._app()[0]
        r = self.rng
        params = {k: self.hostile_text()[:500] for k in
                  r.sample(["msg_signature", "timestamp", "nonce", "echostr", "x"], r.randrange(5))}
        body = r.randbytes(r.randrange(0, 3000))
        path = f"/wecom/callback/{r.choice([name, name, 'nope', '%00', '..', 'a' * 300])}"
        return Case("raw", r.choice(["POST", "POST", "GET", "PUT"]), path, params, body,
                    {"Content-Type": r.choice(["application/xml", "application/json",
                                               "text/plain", "multipart/form-data"])})

    def verify(self) -> Case:
        name, _, _, crypto = self._app()
        r = self.rng
        params, encrypt = self._signed(crypto, self.hostile_text()[:2000])
        if r.random() < 0.5:
            params["echostr"] = encrypt
        else:
            params["echostr"] = self.hostile_text()[:3000]
            if r.random() < 0.5:
                params["msg_signature"] = "0" * 40
        if r.random() < 0.2:
            params["timestamp"] = self.hostile_number()
        return Case("verify", "GET", f"/wecom/callback/{name}", params)

    def envelope(self) -> Case:
        name, _, agent, crypto = self._app()
        r = self.rng
        params, encrypt = self._signed(crypto, self.hostile_text()[:2000])
        enc: Any = encrypt if r.random() < 0.5 else r.choice(
            [encrypt[: r.randrange(len(encrypt))], encrypt + "=", "", None, 5, [encrypt],
             {"a": encrypt}, "!" * 100])
        shape = r.randrange(4)
        if shape == 0:
            body = build_xml({"ToUserName": self.corp_id, "AgentID": str(agent or ""),
                              "Encrypt": str(enc)}).encode()
        elif shape == 1:
            body = json.dumps({"encrypt": enc, "tousername": self.nested(2),
                               "agentid": self.nested(1)}).encode()
        elif shape == 2:
            body = json.dumps(self.nested(4)).encode()
        else:
            tags = "".join(f"<{t}>{self.hostile_text()[:100]}</{t}>"
                           for t in r.sample(["Encrypt", "ToUserName", "AgentID", "x"], 2))
            body = f"<xml>{tags}</xml>".encode()
        return Case("envelope", "POST", f"/wecom/callback/{name}", params, body)

    def app_plaintext(self, agent: int | None) -> str:
        r = self.rng
        fields: dict[str, Any] = {"ToUserName": self.corp_id, "MsgType": r.choice(MSG_TYPES)}
        if fields["MsgType"] == "event" or r.random() < 0.3:
            fields["Event"] = r.choice(EVENTS)
            fields["ChangeType"] = r.choice(CHANGE_TYPES)
            if r.random() < 0.5:
                fields["UpdateDetail"] = r.choice(UPDATE_DETAILS)
        for name in r.sample(TEXT_FIELDS, r.randrange(1, 10)):
            fields[name] = self.hostile_text() if r.random() < 0.5 else \
                r.choice(["zhangsan", "wmCustomer1", "wrGroup1", "12345", "DD2024001"])
        for name in r.sample(NUMBER_FIELDS, r.randrange(0, 4)):
            fields[name] = self.hostile_number()
        if "AgentID" not in fields and r.random() < 0.8:
            fields["AgentID"] = agent or 0
        # XML 1.0 cannot carry most control characters: WeCom's plaintexts never hold them.
        doc = build_xml({k: _xml_safe(v) if isinstance(v, str) else v
                         for k, v in fields.items()})
        twist = r.randrange(10)
        if twist == 0:  # a field given twice, and one nested
            return doc.replace("</xml>", "<MsgType>text</MsgType>"
                                         "<Content><a><b>x</b></a></Content></xml>")
        if twist == 1:  # entities: external (XXE), recursive, and an illegal character
            return ('<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">'
                    '<!ENTITY a "&a;&a;">]>' + doc.replace("</xml>",
                                                          "<Title>&x;&a;&#0;</Title></xml>"))
        if twist == 2:
            return doc[: r.randrange(len(doc))]  # cut short
        return doc

    def plaintext(self) -> Case:
        name, _, agent, crypto = self._app("app")
        r = self.rng
        as_json = r.random() < 0.3
        plain = self.app_plaintext(agent)
        if as_json:
            # The JSON envelope carries the same fields; the plaintext inside stays XML.
            params, encrypt = self._signed(crypto, plain)
            body = json.dumps({"tousername": self.corp_id, "encrypt": encrypt,
                               "agentid": str(agent or "")}).encode()
        else:
            params, encrypt = self._signed(crypto, plain)
            body = build_xml({"ToUserName": self.corp_id, "AgentID": str(agent or ""),
                              "Encrypt": encrypt}).encode()
        return Case("plaintext", "POST", f"/wecom/callback/{name}", params, body)

    def aibot(self) -> Case:
        name, _, _, crypto = self._app("aibot")
        r = self.rng
        doc: Any = {"msgid": self.hostile_text()[:100], "aibotid": "bot1",
                    "msgtype": r.choice(AIBOT_TYPES),
                    "chattype": r.choice(["single", "group", "", None]),
                    "from": r.choice([{"userid": "lina"}, {"userid": self.nested(2)}, None, "x"]),
                    "response_url": r.choice(["http://127.0.0.1:1/x", "", None, self.nested(1)]),
                    "text": r.choice([{"content": self.hostile_text()}, None, self.nested(2)]),
                    "event": r.choice([{"eventtype": r.choice(AIBOT_EVENTS)},
                                       self.nested(2)])}
        if r.random() < 0.2:
            doc = self.nested(5)
        params, encrypt = self._signed(crypto, json.dumps(doc, ensure_ascii=r.random() < 0.5))
        return Case("aibot", "POST", f"/wecom/callback/{name}", params,
                    json.dumps({"encrypt": encrypt}).encode())

    # -- the ERP API and the rules import -------------------------------------------------

    def erp_case(self) -> Case:
        r = self.rng
        order = r.choice(["DD2024001", "A" * 200, "%00", "..", "订单", "1" * 30])
        method, path = r.choice([
            ("POST", "/api/v1/orders"), ("GET", "/api/v1/orders"),
            ("GET", f"/api/v1/orders/{order}"), ("PATCH", f"/api/v1/orders/{order}"),
            ("POST", f"/api/v1/orders/{order}/milestones"),
            ("POST", f"/api/v1/orders/{order}/group")])
        doc = self.nested(4) if r.random() < 0.4 else {
            "order_no": r.choice(["DD20260001", self.hostile_text()[:100]]),
            "customer": {"name": self.hostile_text()[:100],
                         "external_userid": self.hostile_text()[:100]},
            "milestone": r.choice(["签约", "发货", self.hostile_text()[:50]]),
            "event_id": self.hostile_text()[:200], "note": self.hostile_text(),
            "specialist": self.nested(1), "chat_id": self.nested(1)}
        body = b"" if method == "GET" else (
            json.dumps(doc).encode() if r.random() < 0.9 else r.randbytes(200))
        if method == "GET" and r.random() < 0.5:
            path += "?" + r.choice(["stage=a%00b", "limit=99999999999999999999", "q=" + "x" * 900,
                                    "page=-1", "limit=abc"])
        headers = {"Content-Type": "application/json"}
        if self.erp is not None and r.random() < 0.8:
            key_id, secret = self.erp
            ts = str(int(time.time())) if r.random() < 0.9 else self.hostile_number()
            signed = f"{method}\n{path}\n{ts}\n".encode() + body
            headers.update({"X-Api-Key": key_id, "X-Timestamp": ts,
                            "X-Signature": hmac.new(secret.encode(), signed,
                                                    hashlib.sha256).hexdigest()})
        else:
            headers.update({"X-Api-Key": self.hostile_text()[:100] or "k",
                            "X-Timestamp": self.hostile_number(), "X-Signature": "0" * 64})
        # What an HTTP client can put in a header at all: visible ASCII.
        headers = {k: "".join(c for c in v if " " <= c <= "~") for k, v in headers.items()}
        return Case("erp", method, path, body=body, headers=headers)

    def progress(self) -> Case:
        """The customers' progress page: token-shaped guesses, escapes of any bytes, paths."""
        r = self.rng
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        token = r.choice([
            "".join(r.choice(alphabet) for _ in range(r.choice([38, 39, 40]))),
            "".join(f"%{b:02X}" for b in r.randbytes(r.randrange(0, 60))),
            self.hostile_text()[:300].replace("/", "%2F").replace("?", "%3F"),
            "../" * r.randrange(1, 5) + "etc/passwd", "", "a/b/c"])
        return Case("progress", r.choice(["GET", "GET", "HEAD", "POST"]), f"/p/{token}")

    def rules(self) -> Case:
        r = self.rng
        doc: Any = {"rules": [
            {"id": r.choice(["r1", self.hostile_text()[:80]]),
             "when": r.choice([{"any": [self.hostile_text()[:50]]}, self.nested(3)]),
             "action": r.choice(["reply", "escalate", "offer_group", "tag", self.nested(1)]),
             "replies": r.choice([{"messages": [{"text": self.hostile_text()}]},
                                  self.nested(3)]),
             "channels": r.choice([["kefu"], ["x"], self.nested(1)]),
             "priority": self.nested(0), "cooldown_seconds": self.nested(0)}
            for _ in range(r.randrange(0, 4))]}
        if r.random() < 0.3:
            doc = self.nested(5)
        text = json.dumps(doc, ensure_ascii=False) if r.random() < 0.5 else \
            r.choice(["rules: [", "- a\n - b", "\t\x00", "!!python/object:os.system ls",
                      "a: &a [*a]", "{" * 500])
        # Dry-run: the rules must not change under the fuzz (validation is what is probed).
        return Case("rules", "POST", "/api/v1/rules/import",
                    {"mode": r.choice(["replace", "merge", "x"]), "dry_run": "1"},
                    text.encode("utf-8", "surrogatepass"),
                    {"Content-Type": r.choice(["application/yaml", "application/json",
                                               "text/plain"]),
                     "Authorization": f"Bearer {self.admin_token}"})


@dataclass
class Tally:
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    server_errors: list[tuple[int, str, int]] = field(default_factory=list)  # (case, kind, st)

    def add(self, number: int, case: Case, status: int) -> None:
        self.statuses[(case.kind, status)] += 1
        if status >= 500:
            self.server_errors.append((number, case.kind, status))

    def summary(self) -> dict[str, dict[int, int]]:
        out: dict[str, dict[int, int]] = {}
        for (kind, status), n in sorted(self.statuses.items()):
            out.setdefault(kind, {})[status] = n
        return out


def _xml_safe(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or (" " <= c <= "\ud7ff")
                   or ("\ue000" <= c <= "\ufffd") or c >= "\U00010000")


Send = Callable[[Case], Awaitable[int]]


async def run(send: Send, gen: Generator, count: int, *, concurrency: int = 8) -> Tally:
    """``count`` cases through ``send`` (which returns the HTTP status), a few at a time."""
    tally = Tally()
    numbers = iter(range(count))

    async def lane() -> None:
        for n in numbers:
            case = gen.case()
            tally.add(n, case, await send(case))

    await asyncio.gather(*(lane() for _ in range(concurrency)))
    return tally
