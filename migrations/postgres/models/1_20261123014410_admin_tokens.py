from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "api_token" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(64) NOT NULL UNIQUE,
    "role" VARCHAR(16) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "last_used_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ
);
COMMENT ON COLUMN "api_token"."role" IS 'ADMIN: admin\nSPECIALIST: specialist\nVIEWER: viewer';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "api_token";"""


MODELS_STATE = (
    "eJztmltv4jgUgP9KlKdW6lYQKKW8QZvpZNVC1Wano5mOIpMcwCKxM4nTi2b639c2hOBAuG"
    "0vTJeHinIusfMdOz7nkF96QD3w48NmiG06BKI3tF86QQHwf2Z0B5qOwjDTCAFDXV8aoxA7"
    "bGLWjVmEXMYVPeTHwEUexG6EQ4apGIQkvi+E1OWGmPQzUULwzwT4pfrABhBxxfcfXIyJB4"
    "8Qp1/DodPD4HvKfLEnxpZyhz2FUmYR9kkaitG6jkv9JCCZcfjEBpRMrDFhQtoHAhFiIC7P"
    "okRMX8xufKvpHY1mmpmMpjjl40EPJT6but2uk8l0x2l3bOfGtB1HXwOQS4mAy6cay7vviy"
    "n8ZZSrx9V6pVatcxM5zYnk+Hk0dAZm5CjxtG39WeoRQyMLyTiDKj9nsJ4OUDSfa2qfI8un"
    "nCebctxetAF6dHwgfTbgX2vVBRy/NK9PPzev92rVfTEg5Yt/tC3aY40hVQJ1hjaifgFaky"
    "SBxGvxCSHiwgzm1PdlMKeCjHO2bTcHrTfPLq12Q0NegMkdubkyT63mhXVjN7Q4BBcjH8fs"
    "jnyxzFvzuqHdY3gAOf11Q1OurRCacq0wNEKlhkY+yZwBigfrrH3Va7cDlu4ANwKBwkFsFv"
    "MZ1zAcwHzUqmcOtTd2PUz/2Z49sTp6foNeh/hP45AvQG9bl+aN3by8EsMFcfzTl/yatik0"
    "hpQ+5aR7+d0wuYh2a9mfNfFV+9ZpmxIvjVk/kiNmdvY3XcwJJYw6hD44yJtanak0paZE3U"
    "cxc5J4o7jnfV8g8uMpb0vg/5BAp0wWRjqCe/5I3CTOqucuytsWZZGE94ZTGaMQdJE7fECR"
    "58xoqEGLbGdVgRHkJYigvgySoCnmOa5NLNKlj+Y9EKbPqVymtAeLahcs7ByYGC6rXvQOAQ"
    "25LoR8uWku8n1xNwdazGjEBV3o8U/tFk5poPEyJtYw/zNKJW2PUDbgy4I7DzlNHzx+VxqO"
    "NZ+HZP8wn/u85jjL66zvPGVBLJGoInAB34/244+1CrAW7v9farATw6hUjo1SpVY/qh4fH9"
    "VLk2JsVrWoKmtZ56IwUzb08kpNrO81ktWx+TYXEBvmqRVjhTy1YhTmqUKl5qkeeEkIzhCe"
    "1iGsen24cqBeWgFzvVSIWahUzL1gTp5QzHds/gFXcH0VssVg81zlyTYCtAZe1eu1KL/f+j"
    "1ZpWtwUtw1OJntGvBU1OGpBMw7Byn1AZGCxoHimEPd5Z6vtaInkrdNcVudzoWS3bas3HHX"
    "/ueyZV7vlSV9boSZcgpmzENfDAiPc54cNpfO5604fYjnx6J6wvxqK7DTJbx32fy6r5QTF5"
    "32eWo+FYvTi04rhz1LDTfpXmbebwdfD4F4AuF6EdCvzPaZ1T5vaGP/O3LG66iG5lECd+RT"
    "07owz8R42B/t3vdvXiLGIAjZnOgUZuLTLsvz8ZcKSel18/H/+JtIrmEFUUSjdc5P1Wujhb"
    "5lTQt14R6VVkkAuVXh0pW63G8iU4XmDOtlLSPF9W16wm+avnzcljAQDjjZKOw5112rcNta"
    "hUq2FlEX4s1a/3nfXaS3LdJb0hRuQoTdgT7vVZaR5mDhiyyZze4tljc72l75LZZ7iGIxpT"
    "XStymXD1EhqsmbcXS0QvLGrQqTN6nLFR67DvS4plspNS4vSI3Ls6kxH5GNf6FSCf9902kX"
    "vCWRueRPS+wy7bcm3sD5A2kvgCtgLO525BsbucNPXEB0O971MHv+FyD7Qnw="
)
