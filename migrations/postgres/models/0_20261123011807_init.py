from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "inbox_event" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "app" VARCHAR(32) NOT NULL,
    "dedupe_key" VARCHAR(80) NOT NULL UNIQUE,
    "fmt" VARCHAR(8) NOT NULL,
    "event_type" VARCHAR(96) NOT NULL,
    "time_boxed" BOOL NOT NULL,
    "plaintext" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "last_error" VARCHAR(500),
    "received_at" TIMESTAMPTZ NOT NULL,
    "enqueued_at" TIMESTAMPTZ,
    "processed_at" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_inbox_event_event_t_716148" ON "inbox_event" ("event_type");
CREATE INDEX IF NOT EXISTS "idx_inbox_event_receive_adf24a" ON "inbox_event" ("received_at");
CREATE INDEX IF NOT EXISTS "idx_inbox_event_status_d96ae5" ON "inbox_event" ("status", "received_at");
COMMENT ON COLUMN "inbox_event"."status" IS 'PENDING: pending\nDONE: done\nFAILED: failed';
COMMENT ON TABLE "inbox_event" IS 'One accepted callback, stored before WeCom gets its 200 (nothing acknowledged is lost).';
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztmWtT2kwUgP9KJp/ojK8DQQT9hpJa3lHoaHqZXiazJAfIsNlNk43KtP737m4SQq6ClW"
    "ptPzjCuWQ3z9mcc3L4rrrUBhzsD8mE3urXQJh6rHxXCXKBfyjR7ikq8rxUJwQMTbA0d4Sd"
    "CSvDScB8ZIlLThEOgItsCCzf8ZhDiXAYE1CQZYHHwFYshPEEWYs9JWDU54IJTPl/5QOcUl"
    "eZAQsUh/9pzabSIJTNHTLjzgtCbzDYM27vBAqmAXu1Lxa3qcVX5zY7XickzrcQTEa54xx8"
    "vtrnr3sChQ23EIivn9WAIRZKVD5Y4FyDbSKmfhV23sKcOoDtDHbHFrZSbrKlJ2UnzmxI2G"
    "tpK25vYloUhy5J7b0lm1OycnCiIMyAgI/4fXMZ80MRBBJiHIcsiUt0F6lJtP01HxumKMQi"
    "lMI72kAqU01zNDbMK90wTbUQ5sRjLSKxyKJEHBG+1UACmIkt/Hekae12V2u2D3udg26302"
    "v2uK3cb1HVvYs2k9KKLiWZDc+GI0NsiPJzGJ1RIbiTPoihyEtGKaUvzncB/+kc+eXwY/Mc"
    "fX5befoJ6zr8iSDlnz45vyMALro1MZAZm/Ovba2G7fv+5emb/mWjrb3KAh7FGk2qBOoUrQ"
    "126IG5gOU2hLNejwP6ac95BnOvuQHmXrMSs1BlMU9dtg3f2PwFnuDeJmSrwea5ysoWAdoC"
    "b9ZrV5Sf7vweHW5A+eiwErNQZTkzxwWTtxJQVgcpxYBIOeqsYw71hHvu6kSvJDugXVfgxu"
    "NzcWU3CL7hqOLlyt3o3cWJftloSfrcyGGZKpgy97BYEG5LMofBpeW8M04vIn/UwDb0j0YG"
    "dnKEGxf9j5Kvu4w15+PRWWK+FovT8/FJDnvaGhbTiU5CV3If8i0iYkGBf+r9++CrHhBbIN"
    "wuAupbfTQYjs6Oldj/CxmMR/qxYlMCX8jr/vBcH4j1HBw9vdumodYmaahVnYZahTSEGAPX"
    "YyXRqezE113u78cfKyTN3fbjWuuge9BrHx6s2vCVpK77LuYYjAJmgu9Tf5v6mfV60EGPi+"
    "NzSTLZg9tpbtIAcqvKoyt1WdTrL5oF1gNOSpTKct451xxwO/bdTz78ge2LD8geE7yM163L"
    "+cML/croX7zNJP5B39CFRssk/UTayOeY1UWUD0PjjSK+Kp947pN0acBmvlwxtTM+qWJPKG"
    "TUJPTGRPYaokSaYMx2qIQDDh8U9pzrI4T9mT11f0iYEya1cfZ8akEQPCjQed9/kX5ukRaD"
    "welibTglBGJkeYN82yxoqEarbIsqV3PzEkTQTAZJ0BT7jMe+ffAda66WDIRjzV7dMBilNv"
    "fNgasDe/90dash6t8yQf3Fjq16NnoNfiC2tEX7tubyIt4Qs82b1uls0Lxxq8rmTepyLx7/"
    "JtDxO91GrXGrpjVuFVtjviKLf6HKEv7/ajwqJ7zmkq+WjsWUHwp2gp293T1NoRQw6qcd+c"
    "FGrviJC4hpx5MWs7ufFEkz5A=="
)
