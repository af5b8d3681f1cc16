"""Conversations: keyword auto-replies, welcomes and escalation on every channel WeCom allows.

Domain logic lives here; ``bot.handlers`` stays thin and ``bot.web`` only exposes it.
"""
