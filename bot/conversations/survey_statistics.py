"""Satisfaction statistics: ratings given in a range of China-time days, per person (the
servicer of a session, or an order's specialist, designer and installer) and per stage (the
order's stage when the survey was asked; "" for a customer with no order)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from bot.conversations.statistics import day_bounds
from bot.models import Survey, SurveyPerson
from bot.models.surveys import LOW_SCORE


@dataclass
class Scores:
    count: int = 0
    total: int = 0
    low: int = 0  # ratings of LOW_SCORE or less
    by_score: list[int] = field(default_factory=lambda: [0] * 5)  # how many 1s … 5s

    def add(self, score: int) -> None:
        self.count += 1
        self.total += score
        self.low += score <= LOW_SCORE
        self.by_score[score - 1] += 1

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None


@dataclass
class PersonScores:
    userid: str
    roles: list[str]  # servicer | specialist | designer | installer, as rated
    count: int
    average: float | None
    low: int
    by_score: list[int]


@dataclass
class StageScores:
    stage: str  # "" for ratings of customers with no order
    count: int
    average: float | None
    low: int
    by_score: list[int]


@dataclass
class Satisfaction:
    asked: int  # surveys asked in the range
    answered: int  # ratings given in the range
    average: float | None
    low: int
    by_score: list[int]
    by_kind: dict[str, int]  # session | order → ratings
    people: list[PersonScores]  # most rated first
    stages: list[StageScores]  # most rated first


async def satisfaction(since: date, until: date) -> Satisfaction:
    start, end = day_bounds(since, until)
    rated = await Survey.filter(answered_at__gte=start, answered_at__lt=end,
                                score__isnull=False).values("id", "kind", "stage", "score")
    asked = await Survey.filter(created_at__gte=start, created_at__lt=end).count()
    overall = Scores()
    kinds: dict[str, int] = defaultdict(int)
    stages: dict[str, Scores] = defaultdict(Scores)
    score_of: dict[int, int] = {}
    for r in rated:
        score = int(r["score"])
        if not 1 <= score <= 5:
            continue
        score_of[int(r["id"])] = score
        overall.add(score)
        kinds[str(r["kind"])] += 1
        stages[str(r["stage"] or "")].add(score)
    people: dict[str, Scores] = defaultdict(Scores)
    roles: dict[str, set[str]] = defaultdict(set)
    seen: set[tuple[int, str]] = set()
    for p in await SurveyPerson.filter(
            survey__answered_at__gte=start, survey__answered_at__lt=end,
            survey__score__isnull=False).values("survey_id", "userid", "role"):
        sid, uid = int(p["survey_id"]), str(p["userid"])
        roles[uid].add(str(p["role"]))
        # One rating counts once for a person, whatever roles they had in it.
        if sid in score_of and (sid, uid) not in seen:
            seen.add((sid, uid))
            people[uid].add(score_of[sid])
    return Satisfaction(
        asked=asked, answered=overall.count, average=overall.average, low=overall.low,
        by_score=overall.by_score, by_kind=dict(kinds),
        people=[PersonScores(uid, sorted(roles[uid]), s.count, s.average, s.low, s.by_score)
                for uid, s in sorted(people.items(), key=lambda kv: (-kv[1].count, kv[0]))],
        stages=[StageScores(name, s.count, s.average, s.low, s.by_score)
                for name, s in sorted(stages.items(), key=lambda kv: (-kv[1].count, kv[0]))])
