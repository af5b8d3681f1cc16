"""The events the sandbox sends carry exactly the fields WeCom documents for them
(protocol.md §2.3, §2.4), in XML and in JSON."""

from __future__ import annotations

import json

import pytest

from bot.protocol.safexml import parse_xml
from sandbox import SEED_CUSTOMERS, Sandbox, SandboxError
from tests.harness.receiver import Receiver

C1 = SEED_CUSTOMERS[0][0]
HEAD = {"ToUserName", "FromUserName", "CreateTime", "MsgType", "Event"}


@pytest.mark.parametrize("fmt", ["xml", "json"])
async def test_event_fields(sandbox: Sandbox, receiver: Receiver, fmt: str) -> None:
    sandbox.corp.admin["main"].callback_format = fmt
    chat = (await sandbox.staff_creates_group("zhangwei", "群", [C1, "lina"]))["chat_id"]
    await sandbox.owner_renames_group(chat, "新群名")
    await sandbox.owner_edits_notice(chat, "公告")
    await sandbox.owner_hands_over(chat, "lina")
    await sandbox.customer_leaves_group(chat, C1, quit_scene=1)
    await sandbox.owner_dismisses_group(chat)
    await sandbox.staff_edits_customer("zhangwei", C1, remark="VIP")
    await sandbox.customer_adds_unverified("lina", "wmHalf", state="s1")
    await sandbox.transfer_fails("lina", C1, "customer_refused")
    await sandbox.drain()
    got = [json.loads(p) if fmt == "json" else parse_xml(p) for _, _, p in receiver.got]
    chat_head = HEAD | {"ChatId", "ChangeType"}
    contact_head = HEAD | {"ChangeType", "UserID", "ExternalUserID"}
    member = {"UpdateDetail", "MemChangeCnt", "MemChangeList", "LastMemVer", "CurMemVer"}
    assert [set(e) for e in got] == [
        chat_head,  # create
        chat_head | {"UpdateDetail"},  # change_name
        chat_head | {"UpdateDetail"},  # change_notice
        chat_head | {"UpdateDetail"},  # change_owner
        chat_head | member | {"QuitScene"},  # del_member
        chat_head,  # dismiss
        contact_head,  # edit_external_contact
        contact_head | {"State", "WelcomeCode"},  # add_half_external_contact
        contact_head | {"FailReason"},  # transfer_fail
    ]
    assert [e.get("UpdateDetail") for e in got[1:5]] == [
        "change_name", "change_notice", "change_owner", "del_member"]
    assert got[5]["ChangeType"] == "dismiss" and got[8]["FailReason"] == "customer_refused"
    if fmt == "json":  # numbers as JSON numbers, as in the official JSON sample
        assert isinstance(got[0]["CreateTime"], int) and got[4]["QuitScene"] == 1
    # The dismissed group is gone for groupchat/get; bad inputs are refused.
    with pytest.raises(SandboxError):
        sandbox.customer_groups.group(chat)
    with pytest.raises(SandboxError):
        await sandbox.transfer_fails("lina", C1, "because")
    with pytest.raises(SandboxError):
        await sandbox.staff_edits_customer("wangqiang", C1)  # not wangqiang's customer
