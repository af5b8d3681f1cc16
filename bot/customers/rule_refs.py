"""What keyword rules name from this domain, checked when a rule is saved: the tags of a
``tag`` action or a tag scope (they must be corp tags), and media library files in replies
(of the type the kf message takes)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.customers import customer_store as db
from bot.customers import tags
from keywords import File, Image, Link, MiniProgram, Problem, Rule, Video

_KIND_NAMES = {"image": "图片", "video": "视频", "file": "文件", "voice": "语音"}


async def problems(rules: Iterable[Rule]) -> list[Problem]:
    rules = list(rules)
    out: list[Problem] = []
    refs = {r for rule in rules for r in (*rule.tag, *rule.scope.tag)}
    _, unknown = await tags.resolve(sorted(refs))
    missing = set(unknown)
    wanted: list[tuple[Rule, str, int, str]] = []
    for rule in rules:
        for field, values in (("tag", rule.tag), ("scope.tag", rule.scope.tag)):
            for i, ref in enumerate(values):
                if ref in missing:
                    out.append(Problem(rule.id, f"{field}[{i}]",
                                       f"没有标签「{ref}」（或有重名：用“组名/标签名”指明）"))
        for i, m in enumerate(rule.replies.messages):
            at = f"replies.messages[{i}]"
            if isinstance(m, Image) and m.media is not None:
                wanted.append((rule, f"{at}.image.media", m.media, "image"))
            elif isinstance(m, File | Video):
                kind = "file" if isinstance(m, File) else "video"
                wanted.append((rule, f"{at}.{kind}.media", m.media, kind))
            elif isinstance(m, Link | MiniProgram) and m.pic_media is not None:
                kind = "link" if isinstance(m, Link) else "miniprogram"
                wanted.append((rule, f"{at}.{kind}.pic_media", m.pic_media, "image"))
    facts = await db.media_facts(m for _, _, m, _ in wanted)
    for rule, field, media, kind in wanted:
        got = facts.get(media)
        if got is None:
            out.append(Problem(rule.id, field, f"素材 {media} 不存在"))
        elif got[0] != kind:
            out.append(Problem(rule.id, field, f"素材 {media} 是{_KIND_NAMES.get(got[0], got[0])}"
                               f"，这里需要{_KIND_NAMES[kind]}"))
    return out
