"""Keyword matcher for WeCom auto-replies: rule schema, normalization, matching.

Pure library: no I/O at match time and no imports from bot/.

    rules = load_rules(yaml_text)          # tuple[Rule, ...] or RuleError
    matcher = Matcher(rules)               # compile once, share freely
    m = matcher.match("什么时候来安装？", channel="kefu", scope={"open_kfid": "wk1"})
"""

from .dump import dump_rules, message_to_dict, rule_to_dict
from .hours import Hours
from .matcher import Explanation, Hit, Match, Matcher, NearMiss
from .model import (
    CHANNELS,
    File,
    Image,
    Link,
    Menu,
    MenuItem,
    Message,
    MiniProgram,
    Replies,
    Rule,
    Scope,
    Text,
    Video,
    When,
)
from .normalize import normalize
from .rules import Problem, RuleError, load_rules

__all__ = [
    "CHANNELS",
    "Explanation",
    "File",
    "Hit",
    "Hours",
    "Image",
    "Link",
    "Match",
    "Matcher",
    "Menu",
    "MenuItem",
    "Message",
    "MiniProgram",
    "NearMiss",
    "Problem",
    "Replies",
    "Rule",
    "RuleError",
    "Scope",
    "Text",
    "Video",
    "When",
    "dump_rules",
    "load_rules",
    "message_to_dict",
    "normalize",
    "rule_to_dict",
]
