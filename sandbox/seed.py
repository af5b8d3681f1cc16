"""The default world of the sandbox: a few staff, a kf account with servicers, customers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.model import Customer, KfAccount, Servicer, Staff

if TYPE_CHECKING:
    from sandbox.corp import Corp
    from sandbox.kf_sessions import KfSessions

SEED_STAFF = (
    Staff("zhangwei", "张伟", "specialist"),
    Staff("lina", "李娜", "designer"),
    Staff("wangqiang", "王强", "installer"),
    Staff("liuyang", "刘洋", "supervisor"),
)
SEED_KF = "wkSandbox0000000000000000000001"
SEED_AGE = 30 * 24 * 3600
SEED_CUSTOMERS = (
    ("wmSandboxCustomer000000000000001", "陈女士"),
    ("wmSandboxCustomer000000000000002", "赵先生"),
    ("wmSandboxCustomer000000000000003", "孙女士"),
)


def seed(corp: Corp, kf_sessions: KfSessions) -> None:
    for s in SEED_STAFF:
        corp.staff[s.userid] = Staff(s.userid, s.name, s.role)
    kf = KfAccount(SEED_KF, "全屋定制客服")
    kf.servicers["zhangwei"] = Servicer("zhangwei", 0)
    kf.servicers["liuyang"] = Servicer("liuyang", 0)
    kf.servicers["lina"] = Servicer("lina", 1)  # 停止接待
    kf_sessions.accounts[kf.open_kfid] = kf
    # The corp's customers from before the service: added a month ago.
    added = int(corp.now()) - SEED_AGE
    for i, (euid, name) in enumerate(SEED_CUSTOMERS):
        c = Customer(euid, name, unionid=f"oSandboxUnion{i:04d}")
        c.follow["zhangwei"] = {"createtime": added, "state": "seed", "remark": ""}
        corp.customers[euid] = c
