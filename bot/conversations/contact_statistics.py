"""New and lost customers (客户联系) over a range of China Standard Time days, by the
channel code they came through and by staff member."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tortoise.functions import Count

from bot.conversations.statistics import day_bounds
from bot.conversations.welcome import ADDED
from bot.models import ContactEvent


@dataclass
class ContactTally:
    added: int = 0  # add_external_contact / add_half_external_contact
    lost: int = 0  # del_follow_user: the customer deleted the staff member
    deleted: int = 0  # del_external_contact: the staff member deleted the customer


@dataclass
class ContactFigures:
    total: ContactTally = field(default_factory=ContactTally)
    by_channel_code: dict[str, ContactTally] = field(default_factory=dict)  # "" = none
    by_userid: dict[str, ContactTally] = field(default_factory=dict)


_CONTACT_KIND = {"add_external_contact": "added", "add_half_external_contact": "added",
                 "del_follow_user": "lost", "del_external_contact": "deleted"}


async def contact_changes(since: date, until: date) -> ContactFigures:
    """New and lost customers by channel code and by staff member: a customer who deletes
    the member is lost; the channel is the code they were added through."""
    start, end = day_bounds(since, until)
    events = ContactEvent.filter(at__gte=start, at__lt=end)
    # A customer is added once however many add events arrive: add_half_external_contact,
    # then add_external_contact when the member accepts, are one new customer.
    added = await (events.filter(change__in=list(ADDED))
                   .annotate(n=Count("external_userid", distinct=True))
                   .group_by("channel_code", "userid").values("channel_code", "userid", "n"))
    rows = [{**r, "change": ADDED[0]} for r in added] + await (
        events.filter(change__in=[c for c in _CONTACT_KIND if c not in ADDED])
        .annotate(n=Count("id")).group_by("change", "channel_code", "userid")
        .values("change", "channel_code", "userid", "n"))
    figures = ContactFigures()
    for r in rows:
        kind, n = _CONTACT_KIND[r["change"]], int(r["n"])
        for tally in (figures.total,
                      figures.by_channel_code.setdefault(r["channel_code"] or "", ContactTally()),
                      figures.by_userid.setdefault(r["userid"] or "", ContactTally())):
            setattr(tally, kind, getattr(tally, kind) + n)
    return figures
