"""Satisfaction surveys: asking, recording a rating and its sentence, raising a low one.

When a servicer ends a kf session, WeCom hands out one end code (``msg_code`` of
``session_status_change`` change_type 3): one message, within 20 s, while the session is
still ended (protocol-2.md §6.3). The survey menu goes out with it then, or is recorded as
missed; it is never retried past the window. The rating counts for the session's servicer.
Order surveys (after 验收) are asked by the orders domain (``bot.orders.order_surveys``) and
count for the order's team; their clicks and page ratings are recorded here as well.

A rating arrives as a kf menu click (``bot.models.surveys.pick_id``) or from the progress
page's form. After a kf rating, the customer's next plain message within
``survey_comment_minutes`` is its sentence (unless it asks for a person). A rating of 2 or
less is raised to the rated person's 直属上级 as the WeCom directory gives it (the session's
servicer, or the order's specialist), else to the kf account's supervisor
(``conversations.supervisors``, as unclaimed escalations are): an escalation of its own,
claimable and resolvable like any.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.conversations import escalation, outbound
from bot.infra.logs import get_logger
from bot.models import (
    Escalation,
    KfConversation,
    OutboxStatus,
    Survey,
    SurveyPerson,
)
from bot.models.surveys import LOW_SCORE, SCORES, rating_menu
from bot.ports import Ports
from bot.protocol.events import KfSessionStatusChange

log = get_logger("bot.surveys")
END_CODE_WINDOW = 20.0  # seconds: the session end's msg_code (protocol-2.md §6.3)
COMMENT_MAX = 200  # the column
SESSION_HEAD = "本次服务已结束，请为我们的服务打分："
SESSION_TAIL = "选择后，还可以再回复一句话告诉我们原因或建议。"
THANKS = "感谢您的评价！如愿意，可以再回复一句话告诉我们您的建议。"
SORRY = "非常抱歉没能让您满意，我们已请主管跟进。您可以直接回复一句话告诉我们哪里做得不好。"
ALREADY = "您已经评价过了，感谢您的反馈！"
GOT_COMMENT = "收到您的意见，谢谢！我们会认真改进。"
__all__ = ["LOW_SCORE", "SCORES"]  # the scale, for the web form
_COMMENT_KEY = "survey:comment:"  # the store's mark: this customer's sentence is awaited


async def on_session_end(ports: Ports, ev: KfSessionStatusChange,
                         servicer: str | None) -> None:
    """The end of a kf session with its end code: the rating menu within the code's 20 s,
    once; late, it is recorded as missed (``servicer``: who had the session)."""
    cfg = ports.settings.conversations
    euid = ev.external_userid
    if not cfg.session_survey or not ev.msg_code or not euid or not ev.msgid:
        return
    key = f"session:{ev.msgid}"
    survey = await Survey.get_or_none(key=key)
    if survey is None:
        survey = await _new_session_survey(ports, ev, key, servicer)
    if survey.ask_status != "pending":
        return  # asked already (a retried job), or missed
    issued = float(ev.send_time or 0)
    status = "missed"
    if ports.clock.time() - issued < END_CODE_WINDOW:
        row = await outbound.kf_on_event(
            ports, ev.msg_code, "msgmenu", rating_menu(survey.id, SESSION_HEAD, SESSION_TAIL),
            key=f"survey:{survey.id}", recipient=euid,
            deadline=datetime.fromtimestamp(issued + END_CODE_WINDOW, UTC))
        status = {OutboxStatus.SENT: "sent", OutboxStatus.MISSED: "missed",
                  OutboxStatus.PENDING: "pending"}.get(row.status, "failed")
    await Survey.filter(id=survey.id, ask_status="pending").update(ask_status=status)
    log.info("surveys.session_asked", survey_id=survey.id, outcome=status)


async def _new_session_survey(ports: Ports, ev: KfSessionStatusChange, key: str,
                              servicer: str | None) -> Survey:
    order = await ports.orders.for_customer(ev.external_userid or "")
    conv = await KfConversation.get_or_none(open_kfid=ev.open_kfid,
                                            external_userid=ev.external_userid)
    try:
        async with in_transaction() as conn:
            survey = await Survey.create(
                kind="session", key=key, external_userid=ev.external_userid,
                customer_name=conv.nickname if conv else None, open_kfid=ev.open_kfid,
                order_no=order.order_no if order else None,
                stage=(order.stage or "") if order else "", asked_via="kf_event",
                using_db=conn)
            if servicer:
                await SurveyPerson.create(survey=survey, userid=servicer, role="servicer",
                                          using_db=conn)
    except IntegrityError:  # the same end event, handled meanwhile
        return await Survey.get(key=key)
    return survey


# -- answers --------------------------------------------------------------------------------


async def answer_click(ports: Ports, external_userid: str, survey_id: int, score: int,
                       msgid: str, at: datetime) -> str | None:
    """A rating menu's click: recorded (the first one counts); the reply to the customer.
    None when the survey is not theirs."""
    s = await Survey.get_or_none(id=survey_id)
    if s is None or s.external_userid != external_userid:
        return None
    window = timedelta(minutes=ports.settings.conversations.survey_comment_minutes)
    if s.score is None and await Survey.filter(id=s.id, score__isnull=True).update(
            score=score, answered_at=at, answered_via="kf", answer_msgid=msgid,
            comment_until=at + window):
        if window:
            await ports.store.set(f"{_COMMENT_KEY}{external_userid}", str(s.id),
                                  ttl=window.total_seconds())
        log.info("surveys.rated", survey_id=s.id, score=score, via="kf")
        return SORRY if score <= LOW_SCORE else THANKS
    s = await Survey.get(id=s.id)
    if s.answer_msgid == msgid:  # this very click, decided again after a failed commit
        return SORRY if (s.score or 0) <= LOW_SCORE else THANKS
    return ALREADY


async def awaiting_comment(ports: Ports, external_userid: str, at: datetime) -> Survey | None:
    """The survey whose sentence the customer's message would be, if any (the store's mark
    first: most messages follow no rating, and cost no query)."""
    mark = await ports.store.get(f"{_COMMENT_KEY}{external_userid}")
    if not mark or not mark.isdigit():
        return None
    s = await Survey.get_or_none(id=int(mark))
    if s is None or s.comment is not None or s.comment_until is None or s.comment_until <= at \
            or s.external_userid != external_userid:
        return None
    return s


async def take_comment(ports: Ports, s: Survey, text: str) -> str:
    """The customer's sentence after their rating; the reply to them."""
    comment = " ".join(text.split())[:COMMENT_MAX]
    await Survey.filter(id=s.id, comment__isnull=True).update(comment=comment or None)
    await ports.store.delete(f"{_COMMENT_KEY}{s.external_userid}")
    log.info("surveys.commented", survey_id=s.id)
    return GOT_COMMENT


async def rate_on_page(ports: Ports, survey_id: int, score: int, comment: str | None,
                       at: datetime) -> bool:
    """A rating from the progress page's form; False when the survey has one already."""
    if not 1 <= score <= 5:
        raise ValueError("score must be 1..5")
    text = " ".join((comment or "").split())[:COMMENT_MAX] or None
    if not await Survey.filter(id=survey_id, score__isnull=True).update(
            score=score, comment=text, answered_at=at, answered_via="page"):
        return False
    log.info("surveys.rated", survey_id=survey_id, score=score, via="page")
    await after_rating(ports, survey_id)
    return True


# -- low ratings ----------------------------------------------------------------------------


async def after_rating(ports: Ports, survey_id: int) -> None:
    """A low rating is raised to the supervisor, once (a retried job finds it raised)."""
    s = await Survey.get_or_none(id=survey_id)
    if s is None or s.score is None or s.score > LOW_SCORE or s.escalation_id is not None:
        return
    async with ports.store.lock(f"survey:raise:{s.id}", wait=30):
        s = await Survey.get(id=s.id)
        if s.escalation_id is not None:
            return
        sup = await supervisor_for(ports, s)
        now = ports.clock.now()
        async with in_transaction() as conn:
            esc = await Escalation.create(
                channel="survey", conversation=f"survey:{s.id}", open_kfid=s.open_kfid,
                external_userid=s.external_userid, customer_name=s.customer_name,
                reason="rating", order_no=s.order_no, servicer_userid=sup, raised_to=sup,
                raised_at=now if sup else None, created_at=now, using_db=conn)
            await Survey.filter(id=s.id).using_db(conn).update(escalation_id=esc.id)
        await escalation.notify(ports, esc, to=[sup] if sup else [])
    log.info("surveys.raised", survey_id=s.id, escalation=esc.id, to_supervisor=bool(sup))


# Whose 直属上级 hears of a low rating: the person it is chiefly about.
_RATED_FIRST = ("servicer", "specialist", "designer", "installer")


async def supervisor_for(ports: Ports, s: Survey) -> str | None:
    """The rated person's 直属上级 (user/get's direct_leader), else the kf account's
    configured supervisor: the directory may name none, or none the app can see."""
    people = await SurveyPerson.filter(survey_id=s.id).values_list("userid", "role")
    ranked = sorted((_RATED_FIRST.index(r) if r in _RATED_FIRST else len(_RATED_FIRST), str(u))
                    for u, r in people)
    if ranked:
        rated = ranked[0][1]
        leader = await ports.directory.leader_of(rated)
        if leader and leader != rated:
            return leader
    return escalation.supervisor(ports, s.open_kfid)


async def after_comment(ports: Ports, survey_id: int) -> None:
    """A raised rating's sentence, when it came after the raise: the supervisor gets it."""
    s = await Survey.get_or_none(id=survey_id)
    if s is None or not s.comment or s.escalation_id is None:
        return
    esc = await Escalation.get_or_none(id=s.escalation_id)
    if esc is None or not esc.raised_to:
        return
    await outbound.app_message(ports, [esc.raised_to], "text", {
        "content": f"低分评价 #{esc.id} 客户补充：{s.comment}"}, key=f"survey:{s.id}:comment")
