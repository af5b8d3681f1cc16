"""One customer, one group: orders, pipelines, customer groups, milestones and their notices.

Domain logic only: no aiohttp, no HTTP. ``bot.web.admin.orders_api`` and ``bot.orders.router``
are the thin doors into it; ``bot.orders.lookup`` is what other domains may ask.
"""
