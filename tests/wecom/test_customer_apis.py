"""The sandbox's 「联系我」, corp tag, customer list and media APIs, through the client, answer
as WeCom does (protocol-2.md §1–§4): their limits and error codes, and no callback for what
the API itself changed."""

from __future__ import annotations

import pytest

from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError
from bot.wecom.client import AppClient, WeComClient
from sandbox import SEED_CUSTOMERS, Sandbox
from sandbox.contact_ways import QR_PNG

C1 = SEED_CUSTOMERS[0][0]


@pytest.fixture
def main(client: WeComClient) -> AppClient:
    return client.app("main")


async def _code(coro: object) -> int:
    with pytest.raises(WeComAPIError) as info:
        await coro  # type: ignore[misc]
    return info.value.errcode


async def test_contact_ways_to_the_letter(main: AppClient, sandbox: Sandbox) -> None:
    way = await main.add_contact_way(type=1, scene=2, user=["lina"], state="s1", remark="r")
    assert way["qr_code"] and way["config_id"]
    mini = await main.add_contact_way(type=2, scene=1, style=2, user=["lina", "zhangwei"])
    assert "qr_code" not in mini  # only for scene 2
    got = (await main.get_contact_way(way["config_id"]))["contact_way"]
    assert (got["type"], got["state"], got["user"], got["skip_verify"]) == (1, "s1", ["lina"],
                                                                           True)
    raw = main._post
    assert await _code(raw("add_contact_way", {"scene": 2, "user": ["lina"]})) == 41037
    assert await _code(raw("add_contact_way", {"type": 1, "user": ["lina"]})) == 41038
    assert await _code(main.add_contact_way(type=3, scene=2, user=["lina"])) == 41039
    assert await _code(main.add_contact_way(type=1, scene=3, user=["lina"])) == 41040
    # A style with a QR way: WeCom's staff named it as the cause of 41040.
    assert await _code(main.add_contact_way(type=1, scene=2, style=1, user=["lina"])) == 41040
    assert await _code(main.add_contact_way(type=2, scene=1, style=3, user=["lina"])) == 41042
    sandbox.contact_listing.populate(staff=101, customers=0)
    many = [u for u in sandbox.corp.staff if u.startswith("sync")]
    assert await _code(main.add_contact_way(type=2, scene=2, user=many)) == 41041
    assert await _code(main.add_contact_way(type=2, scene=2, party=[1])) == 41041
    assert await _code(main.add_contact_way(type=1, scene=2, user=["lina", "zhangwei"])) == (
        E.INVALID_PARAM)  # type 1: exactly one user
    assert await _code(main.add_contact_way(type=1, scene=2, user=["lina"],
                                            state="s" * 31)) == E.INVALID_PARAM
    sandbox.corp.staff["wangqiang"].active = False
    assert await _code(main.add_contact_way(type=1, scene=2, user=["wangqiang"])) == 41054
    assert await _code(main._post("get_contact_way", {})) == 41043
    assert await _code(main.get_contact_way("nope")) == 41044
    await main.update_contact_way(way["config_id"], user=["zhangwei"], remark="新")
    assert sandbox.contact_ways.ways[way["config_id"]].user == ["zhangwei"]
    # A refused update changes nothing.
    assert await _code(main.update_contact_way(way["config_id"], remark="x" * 31)) == (
        E.INVALID_PARAM)
    assert sandbox.contact_ways.ways[way["config_id"]].remark == "新"
    page = await main.list_contact_way(limit=1)
    assert len(page["contact_way"]) == 1 and page["next_cursor"]
    rest = await main.list_contact_way(cursor=page["next_cursor"], limit=1000)
    assert len(rest["contact_way"]) == 1 and not rest["next_cursor"]
    await main.del_contact_way(way["config_id"])
    assert await _code(main.del_contact_way(way["config_id"])) == 41044
    sandbox.contact_ways.quota = 1
    assert await _code(main.add_contact_way(type=1, scene=2, user=["lina"])) == 41045
    assert sandbox.corp.driver.deliveries == []  # nothing called back


async def test_corp_tags_and_mark_tag(main: AppClient, sandbox: Sandbox) -> None:
    made = (await main.add_corp_tag(group_name="意向", tags=[{"name": "衣柜"},
                                                              {"name": "橱柜"}]))["tag_group"]
    wardrobe = made["tag"][0]["id"]
    assert await _code(main.add_corp_tag(group_id=made["group_id"],
                                         tags=[{"name": "衣柜"}])) == E.INVALID_TAG_NAME
    assert await _code(main.add_corp_tag(group_name="g", tags=[{"name": "长" * 31}])) == (
        E.INVALID_TAG_NAME)
    listed = (await main.get_corp_tag_list(tag_id=[wardrobe]))["tag_group"]
    assert [t["name"] for t in listed[0]["tag"]] == ["衣柜"]
    await main.edit_corp_tag(wardrobe, name="定制衣柜")
    assert await _code(main.edit_corp_tag("nope", name="x")) == E.INVALID_TAG_ID
    await main.mark_tag("zhangwei", C1, add_tag=[wardrobe])
    assert sandbox.corp.customers[C1].follow["zhangwei"]["tags"] == {wardrobe}
    tags = (await main.externalcontact_get(C1))["follow_user"][0]["tags"]
    assert tags == [{"group_name": "意向", "tag_name": "定制衣柜", "tag_id": wardrobe,
                     "type": 1}]
    assert await _code(main.mark_tag("lina", C1, add_tag=[wardrobe])) == 84061
    assert await _code(main.mark_tag("zhangwei", C1, add_tag=["nope"])) == E.INVALID_TAG_ID
    assert await _code(main.mark_tag("zhangwei", C1)) == E.INVALID_PARAM
    await main.del_corp_tag(group_id=[made["group_id"]])
    assert sandbox.corp.customers[C1].follow["zhangwei"]["tags"] == set()
    assert (await main.get_corp_tag_list())["tag_group"] == []
    assert await _code(main.del_corp_tag()) == E.INVALID_PARAM
    assert sandbox.corp.driver.deliveries == []  # API changes call nothing back


async def test_listing_customers_in_pages(main: AppClient, sandbox: Sandbox) -> None:
    sandbox.contact_listing.populate(staff=3, customers=250)
    staff = [u for u in sandbox.corp.staff if u.startswith("sync")]
    ids = (await main.externalcontact_list(staff[0]))["external_userid"]
    assert len(ids) == 84
    seen, cursor, calls = [], None, 0
    while True:
        page = await main.batch_get_by_user(staff, cursor=cursor, limit=500)  # clamped to 100
        calls += 1
        assert len(page["external_contact_list"]) <= 100
        seen += [(i["follow_info"]["userid"], i["external_contact"]["external_userid"])
                 for i in page["external_contact_list"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 250 and calls == 3
    assert await _code(main.batch_get_by_user([f"u{i}" for i in range(101)])) == (
        E.INVALID_PARAM)
    assert await _code(main.batch_get_by_user(staff, cursor="garbage")) == E.INVALID_PARAM
    await main.remark("zhangwei", C1, remark="老客户")
    assert sandbox.corp.customers[C1].follow["zhangwei"]["remark"] == "老客户"
    assert await _code(main.remark("zhangwei", C1, remark="长" * 21)) == E.INVALID_PARAM
    assert await _code(main.remark("lina", C1, remark="x")) == 84061


async def test_media_upload_and_uploadimg(main: AppClient, sandbox: Sandbox) -> None:
    png = await main.media_upload("image", QR_PNG, "a.png", cached=False)
    again = await main.media_upload("image", QR_PNG, "a.png", cached=False)
    assert png["media_id"] != again["media_id"]  # cached=False uploads every time
    assert await _code(main.media_upload("image", b"GIF89a-not-ok", "a.gif")) == 40004
    assert await _code(main.media_upload("video", QR_PNG, "v.mp4")) == 40004
    assert await _code(main.media_upload("file", b"12345", "f")) == 40006  # >5 bytes
    assert await _code(main.media_upload("image", b"\xff\xd8\xff" + b"0" * (10 * 2**20),
                                         "big.jpg")) == 40009
    url = (await main.media_uploadimg(QR_PNG, "p.png"))["url"]
    assert url in sandbox.corp.media.images
    assert await _code(main.media_uploadimg(b"\xff\xd8\xff" + b"0" * (2 * 2**20),
                                            "big.jpg")) == 40009
    sandbox.corp.limits.uploadimg_per_day = 1  # one used above: the day's quota is spent
    assert await _code(main.media_uploadimg(QR_PNG, "q.png")) == E.FREQ_LIMIT
