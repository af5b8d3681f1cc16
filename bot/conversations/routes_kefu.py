"""微信客服 events → bot.conversations (pull, customer messages, welcome, session state)."""

from __future__ import annotations

from bot.conversations import kefu
from bot.ports import HandlerContext
from bot.protocol.events import (
    KfEnterSession,
    KfMsgOrEvent,
    KfMsgSendFail,
    KfSessionStatusChange,
    KfText,
)
from bot.routing import Router

router = Router("kefu")


@router.on(KfMsgOrEvent)
async def pull(event: KfMsgOrEvent, ctx: HandlerContext) -> None:
    if event.open_kf_id:
        # The pull is the pipeline's (an ingestion source): a job, not a domain call. The
        # callback path enqueues it directly; this route serves a row the sweeper re-runs.
        await ctx.ports.jobs.enqueue("kf_pull", event.open_kf_id, event.token)


@router.on(KfText)
async def customer_text(event: KfText, ctx: HandlerContext) -> None:
    await kefu.on_customer_text(ctx.ports, event, fresh=ctx.fresh)


@router.on(KfEnterSession)
async def enter_session(event: KfEnterSession, ctx: HandlerContext) -> None:
    await kefu.on_enter_session(ctx.ports, event)


@router.on(KfMsgSendFail)
async def send_fail(event: KfMsgSendFail, ctx: HandlerContext) -> None:
    await kefu.on_send_fail(ctx.ports, event)


@router.on(KfSessionStatusChange)
async def session_change(event: KfSessionStatusChange, ctx: HandlerContext) -> None:
    await kefu.on_session_change(ctx.ports, event)
