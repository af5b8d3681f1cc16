"""What the customers domain refuses, with a Chinese message for people and the field."""

from __future__ import annotations

from bot.protocol import errors as E


class CustomersError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(CustomersError):
    """Bad input: nothing was changed."""


class NotFound(CustomersError):
    pass


class Conflict(CustomersError):
    """The input clashes with what exists (a state or a name in use)."""


class Refused(CustomersError):
    """WeCom refused the change: nothing was saved here either."""

    def __init__(self, errcode: int, message: str, field: str | None = None) -> None:
        super().__init__(message, field)
        self.errcode = errcode


# What WeCom's refusals mean to an admin (protocol-2.md §1.8, §2, §8).
_MEANING = {
    E.CONTACT_WAY_TOO_MANY_USERS: "「联系我」最多 100 个成员（含部门展开后的成员）",
    E.CONTACT_WAY_INVALID_STYLE: "控件样式不合法",
    E.CONTACT_WAY_INVALID_SCENE: "场景不合法（二维码活码不能设置控件样式）",
    E.CONTACT_WAY_INVALID_CONFIG_ID: "企业微信中已没有这个「联系我」",
    E.CONTACT_WAY_QUOTA: "通过 API 创建的「联系我」已达企业上限（50 万个）",
    E.USER_NOT_ACTIVE: "成员尚未激活企业微信（需登录过并已实名）",
    E.NO_CONTACT_PRIVILEGE: "成员不在应用的可见范围内",
    E.USERID_NOT_FOUND: "成员不存在",
    E.NO_PERMISSION: "应用没有客户联系接口权限（需配置到「客户联系 → 可调用接口的应用」）",
    E.NO_EXTERNAL_RELATION: "该成员没有这个客户（不存在外部联系人关系）",
    E.INVALID_TAG_ID: "标签不存在或已删除",
    E.INVALID_TAG_NAME: "标签名不合法或已存在",
    E.INVALID_PARAM: "参数不合法",
}


def refused(errcode: int, field: str | None = None) -> Refused:
    meaning = _MEANING.get(errcode, "企业微信拒绝了这次操作")
    return Refused(errcode, f"企业微信拒绝（{errcode}）：{meaning}", field)
