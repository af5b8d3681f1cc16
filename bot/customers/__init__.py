"""Customers as first-class: 「联系我」 channel codes, corp tags and their applications, the
media library for rich messages, and one record per customer with a merged timeline.

Written against ``bot.ports``; every read and write of its tables is in ``customer_store``.
"""
