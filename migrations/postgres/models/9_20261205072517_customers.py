from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "contact_sync" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(8) NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "staff" JSONB NOT NULL,
    "chunk" INT NOT NULL,
    "cursor" VARCHAR(256) NOT NULL,
    "contacts" INT NOT NULL,
    "calls" INT NOT NULL,
    "error" VARCHAR(200),
    "started_at" TIMESTAMPTZ NOT NULL,
    "finished_at" TIMESTAMPTZ
);
COMMENT ON TABLE "contact_sync" IS 'One run of the contact sync (batch get_by_user over every follow user), resumable:';
        CREATE TABLE IF NOT EXISTS "contact_way" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(64) NOT NULL,
    "state" VARCHAR(30) NOT NULL UNIQUE,
    "config_id" VARCHAR(64) NOT NULL UNIQUE,
    "type" INT NOT NULL,
    "scene" INT NOT NULL,
    "style" INT,
    "users" JSONB NOT NULL,
    "skip_verify" BOOL NOT NULL,
    "remark" VARCHAR(30) NOT NULL,
    "qr_code" VARCHAR(512) NOT NULL,
    "tags" JSONB NOT NULL,
    "remark_template" VARCHAR(64),
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "contact_way" IS 'A 「联系我」 made through the API; its ``state`` is also a ChannelCode (statistics,';
        CREATE TABLE IF NOT EXISTS "corp_tag" (
    "tag_id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(30) NOT NULL,
    "group_id" VARCHAR(64) NOT NULL,
    "group_name" VARCHAR(30) NOT NULL,
    "order" BIGINT NOT NULL,
    "group_order" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ,
    "synced_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_corp_tag_group_i_a439dd" ON "corp_tag" ("group_id");
COMMENT ON TABLE "corp_tag" IS 'WeCom''s corp tags (企业标签) as last read, with their group.';
        CREATE TABLE IF NOT EXISTS "customer" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "external_userid" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(64) NOT NULL,
    "type" INT NOT NULL,
    "corp_name" VARCHAR(64) NOT NULL,
    "gender" INT NOT NULL,
    "avatar" VARCHAR(512) NOT NULL,
    "unionid" VARCHAR(64),
    "phone" VARCHAR(32),
    "is_contact" BOOL NOT NULL,
    "via_kefu" BOOL NOT NULL,
    "first_seen_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_customer_updated_8982c5" ON "customer" ("updated_at");
COMMENT ON TABLE "customer" IS 'One person: their WeChat identity (external_userid, shared by 客户联系 and 微信客服)';
        CREATE TABLE IF NOT EXISTS "media_asset" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(8) NOT NULL,
    "filename" VARCHAR(128) NOT NULL,
    "content_type" VARCHAR(64) NOT NULL,
    "size" INT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "storage_key" VARCHAR(128) NOT NULL UNIQUE,
    "media_id" VARCHAR(128),
    "media_expires_at" TIMESTAMPTZ,
    "uploads" INT NOT NULL,
    "image_url" VARCHAR(512),
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "media_asset" IS 'A file of the media library (素材库): its bytes in the MediaStore, the temporary';
        CREATE TABLE IF NOT EXISTS "customer_follow" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "userid" VARCHAR(64) NOT NULL,
    "remark" VARCHAR(64) NOT NULL,
    "description" VARCHAR(160) NOT NULL,
    "add_time" TIMESTAMPTZ,
    "state" VARCHAR(30) NOT NULL,
    "add_way" INT,
    "status" VARCHAR(20) NOT NULL,
    "removed_at" TIMESTAMPTZ,
    "synced_at" TIMESTAMPTZ,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_customer_fo_custome_f1dcfd" UNIQUE ("customer_id", "userid")
);
CREATE INDEX IF NOT EXISTS "idx_customer_fo_userid_694c2c" ON "customer_follow" ("userid");
CREATE INDEX IF NOT EXISTS "idx_customer_fo_state_36a673" ON "customer_follow" ("state");
COMMENT ON TABLE "customer_follow" IS 'A staff member who has the customer as an external contact (follow_user).';
        CREATE TABLE IF NOT EXISTS "customer_tag" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "tag_id" VARCHAR(64) NOT NULL,
    "cause" VARCHAR(96) NOT NULL,
    "marked" BOOL NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_customer_ta_custome_72ddc5" UNIQUE ("customer_id", "tag_id")
);
CREATE INDEX IF NOT EXISTS "idx_customer_ta_tag_id_175bd8" ON "customer_tag" ("tag_id");
COMMENT ON TABLE "customer_tag" IS 'A corp tag the customer has now, and the first application that gave it.';
        CREATE TABLE IF NOT EXISTS "tag_event" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "tag_id" VARCHAR(64) NOT NULL,
    "tag_name" VARCHAR(64) NOT NULL,
    "action" VARCHAR(8) NOT NULL,
    "cause" VARCHAR(96) NOT NULL,
    "outcome" VARCHAR(200) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_tag_event_at_c6d2bb" ON "tag_event" ("at");
COMMENT ON TABLE "tag_event" IS 'Every application or removal of a tag, with its cause and WeCom''s answer.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "media_asset";
        DROP TABLE IF EXISTS "contact_way";
        DROP TABLE IF EXISTS "customer";
        DROP TABLE IF EXISTS "tag_event";
        DROP TABLE IF EXISTS "corp_tag";
        DROP TABLE IF EXISTS "contact_sync";
        DROP TABLE IF EXISTS "customer_follow";
        DROP TABLE IF EXISTS "customer_tag";"""


MODELS_STATE = (
    "eJztXftz27i1/lcw+iX2HTVjy48k3t7OOI42ddexU8e72bnrHRoiIYs1BWoJ0orb7v9+Af"
    "AhPkCKkEkaYjDTZhMSh6Q+gsA533n9ZzB3LeSQ16cL+yf0NDgB/xlgOEf0L7kzQzCAi8Xq"
    "ODvgw4nDh8KFbTxEgybE96Dp08NT6BBED1mImJ698G0Xs8GnGIyvPwMb++jeg+zoKwKo9A"
    "nwZwhYkF4VEgRmrmMR4GLnCUAwg2QGdghCYOL6r13PQh55jbzF7mt2T8s16U1tfN/O5QNs"
    "/xEgw3fvEb2ER2/y2+/0sI0t9A2R+J+LB2NqI8fKYGhb7AL8uOE/Lfixc+z/yAeyJ58Ypu"
    "sEc7wavHjyZy5ORtPfwY7eI4zor0Hs8r4XMFhx4DjRC4iRDp90NSR8xJSMhaYwcNjLYdLh"
    "A6yODQzj8urG+DK+MYxB4cXFEimwo0Omi9lLp49K+K+/Z4/wl9H+4ZvDtwfHh2/pEP6YyZ"
    "E3f4a3XgETCnJ4Lm8Gf/Lz9FWFIzjGK1D5fwuwns2gJ8Y1Hp9Dlj5yHtkYR3WhncNvhoPw"
    "vT+j/zw+rMDxl9Prs7+fXu8cH+6yG7r0oww/1svozIifYlCvoKXfiSGas+XgriR6B+/hXg"
    "14D/dK4WWnsvASZHrIN9hyI4NxTqwZoOMDK6RX63UPZjJFjIFhQL+I9Ad6xrfnSIx2VjIH"
    "thWJvo7/so3Q0x9oXdGdL/q6KqC/Of80/nJz+ukzu92ckD8cjt/pzZidGfGjT7mjO8e515"
    "RcBHw9v/k7YP8E/3d1OebwusS/9/gdV+Nu/m/AngkGvmtgd2lAK7UQxEdj1DJv3YHENwKy"
    "0XvPyzbw5qNHVuXFb8mLjjGpfNMeenQfNnrPWUn9llV7y0yZnj6kND92YALNhyX0LKNwxh"
    "25ZWOLp+ajef4IxPCevySGJnvOld1zQ+cJHohtovDccJ1V5CfD1tlF5e9X2x/a/lAF2pa1"
    "Ns91SqAd42DO4T2nDwSxiYrreiSrsno8OP3w6fzyBEBrbuNb/OXz+Oz89OL8y80JIAtk2t"
    "CxiX+Lfzkffx1fn4BHGy2Rl6c46rya/eMar2Y/v7SvXg07lX01fCWTNl2yUvoL0HbLM6DX"
    "dou2WxR+0dpu+a7fsiJ2C92LMUbOGf3XQGC6pE8Pq6wXMxxIJ2A0cr1jB9wGB3t75m3wdu"
    "/o8DZ4Y04nt8HxaH+fH7fA3R1V3Xx0dwceoRMgALHFnTLQ/COwic2uA6LbAtsHTM+zCJi6"
    "nsDL0+69nmFyxXjV1ZDi8b3TjQ7q0OcH5fT5QUSfq2qIvbQ21LIiGiysDRXRrKRWRBXeuf"
    "jTq7Jxudin+8v4EWFfuHOlz1dvXeFIAyVD1+5d0cX5lnCPWMDAwme7AdsYfGqT2yb5ge4p"
    "9FbG1HUciinVuD26u9gEQODQlwDMgPjuHAk2q6Yvvn53+m3ArhASeuibjzwMHSM69LsUW/"
    "jevv9eCMN3o9HBwZvR3sHx26PDN2+O3u4lzGHxVBWF+P78I2MRM9/weloxnB1SqkMi0cMd"
    "7WBUR30YlasPo8KOlnwSdQFeSWwEsGIGVtsaQ36hkQBaIKoRr0EW5mw0mYUjLdc/rJsyPl"
    "ZYy+vBXeq/nW6X26n+lvGwaqm/X56wWaH98tO1lF8Sj1yr+15hBLwAA3fKGZLoAoBdAOxM"
    "oG/OAFU0jckTX52B+0j/oKq19wRCbRWww7tDQF9DMGePcVLQgJu/xS1eUtUXMe6Gasn0fw"
    "Q+IgvAqc9EIb3gguKs43cV9J8/0J8ls1vF43uo5L6tsUu9Ld2k3hbiS6k9GRAZbFcS3aE7"
    "oCsBZhhtKcTTaRHhf3y5uixFOBTIKwI2XQD/C5jDvzWg/zoNsMmp7klgO76NyWt2v7+1hX"
    "wF1AygjBIQY7zz6fTXPPxnF1fv87s7u8D7gv4b4AeJFToZv36Rbuod7Cm9SKegDDzielJG"
    "RCLR4dLRzZoxOqoTPkNHla4b/FwO4VDpESzP5fM1JaKnbGHKQseRQjMer6HMQ4k8T+7jTw"
    "T6Rx2M9upwB3RU+ce/V8z88aG3mTctK6m9aarTCem3PrWxTWYbvfacqA73UcdpqiJt9BUK"
    "k7dTZ4d1SKMlrJvEvS7+Zg4tBPyZ5wb3M875nH4+/wHYPklF5jD3pkNcAEEqKgnsrLyiww"
    "KR1NF9b/ESOaY7R4AgB3ETapeHEN3dUaim9r1hW+GFmC/3BCxt+nkGPmOjvqIzdw5Mel3X"
    "B8iiR1wPUMCRz8gqTUgpSEjpOKIWfVT8o5OlpHREXD2nVLIYSRnuaaHegdz8DObY1F914+"
    "HdWZnKL72p1cCkv18CzGR8d2iOtgVK/0mULFcOZTx+IygVsx6aBpP5FwVcUjmtnwhoWr9x"
    "Wp882AvjEXn29Kn4St67roMgLpnjWcncu5lQ0bZeSrzhdQv/+6uriwz8789zcYeXP396P7"
    "7e2efvgg6yfST+Ajw0h57AmVKuR6wkeucAaF5T+8OTjtJKifQO4KP9OuGddFQpxPxcTlGD"
    "91JreDxeL+GNL+Hh2mD4aL5wJO0/gWj/nAztJY5PBHtmhS2YkerdMqPz87UjpwlHjk6G69"
    "tbVz8ZjpoxhNev/YQIgdzeFfl3CsOGaxw9iYAxT0ms9fhElyfAxtwTwtwd7hRAkL5kWGSX"
    "CkIHhinWFIlXBMyobuN6T0NAEBVlUbyOT4qJci3dQ+Bv+Y3Ov/uQAbVsL/TwhJlxm3phdK"
    "IcO9dVohxGjpSasxLpodOm+WJP6e9N0rWQkWsL7JdzL+wf16EG6KgKtAvkwGoJEmK9vvZZ"
    "5gIqz/ABq37GSp9d/Xxzwtb3/B5Q5x3UUerLdfqCSk93ArGLp3yep0RURlul9cSPcvGzEN"
    "+gbxWxr5FID8zSKq14/OtNNf+SKMUXV5cf4+F5UqYwp+WcwomA5lpqlKkMHCTpdE+JaITX"
    "IwwrtkMxwPB5+5/S+DZfC2EBnxwXCmZwOVueEnkWYa4Y0t0z44L0sSo2XJQ81tScfjk9+m"
    "0dNfptuRb9tqBEU2Vy4n4TLstVtnlGrEehEZ0Y6VuXeuo+dON4aF6FnkLbMSRD0TIyPZrb"
    "jYX9qF3UQ/P463l85at6eIsbeD8QcvfhqWE1X+8tDD8atZaj57kHrwhgUoBFN4Cd2+Bwur"
    "dP/0T78DY4pkv9bfBm8gbtAkgAKx0N2Hsf8gwGRqzbHrj33GBRJOebvvgzsiDo3SXNr5WE"
    "DnguMb50fsSLBIbxD0JyNqdl+kexN88mhHjJTuOslJ7MNSYzb50qaX/FIr3Jyu/Y8gqn6Q"
    "bI5wQ1/pvhr1BEmGLW2paYEIJQoGIEGCtVt1n9hrSgthsVfulKxX9F9b4HIsMxPjestBzT"
    "o2rVgFwgj0ThVdRQo+beDPrAthD2bf8J7ORq9A4BoZoTssDkCdwGRxM4Ynn4B2/Smfk8iI"
    "uenELETEW0nwx8s2ftFizMl3iIW8xOL9ldlgg80JnwQ1Rzkgy5lTsEYT/4YWi6krCTCHQe"
    "CGDlt4E7neq8fjXz+hUoSK0Y4C3bWeoTBVubd6B8Evq+0otEOhTJk6cCMkJ6tq4nXBAWmq"
    "Pltmgi0BsztDkn1SPd4KSq860kejdXW0kcpT/UxZKtQVYi/Ys3an5BWFCEpFbcRKB/6DYf"
    "zWUTI6rgJmAAq+olZAU7LJeQHNnaegmPNjQe0DSQRDwtpvGWwHtqe8Q3CEJ4o2qaOWFNxK"
    "lCxPUv/Vb34umCfU2tDCFdJ1iII8Eff7pGTllOWo5U/ZFfbAs//z/jqR8fXc2IdRVSNsEp"
    "ilzqKUhh69BnQkUhSpqV9gWnLnwe0SdY4flYfaTr/R9RS9V6bpBTwNu1gDmaT5AHljMXzC"
    "AJe1ZF12OhbRCDmCBOelntpFq37ooaljd4ZWFCe9rhk271qt0PL+R+6LzfqGq6SdtZeLpi"
    "XZvwph9LAuOcWO+AbqUAANWKjdgAkcpGSMnp+CF1jBlB/NALl0GvsRVsbW1N9hVEnStqqj"
    "ApCZ0WtbXJfCzl+xF1M2tH9ZpCVfSEEqgv7uNGpFZWUq/7Sq/7qsSN6nfc2jtOqAYpMzon"
    "pdtFRBtRgQMuAl1E+UfXQ/Y9/gk9cbDThbKqecwtBLmMnKOHPbhM2J38BKMYhG2o+E5++u"
    "Xs9MN48OfLhjd/ZCG1gwqmLxwwrEX03Sdj14c7Bx4w3cVTVF0yJuD4FVhaazqS+M0UHu4O"
    "eaMvMPVYby8W94uMJETUZMHDIWFc5P1avdMzAo7ZpWT7Bq1EdCxsCX2yzUm0XREoozot2e"
    "mocgJlVGjL7i6xaFsohzcR6B2+zTOBoc+C9VUhkmRgUVLDvZ54tcncJgSJChlVhRZl5HRs"
    "kURsUZiIuREDmxPVhprKhpoyxrhqJoUOI4r3qobCY7jd8olfcQunw4uGf6ShW2cZrhCuax"
    "8a85XIOjOxHC9hAEZif+roCx19IfyIt9++3aKEROXn7grLf7k23kj7zAhq3VMdNaSoe/JX"
    "Jdv+OCukXdViV7VacRUvxkS0kFeGH23fleLVUiK9A7j5TdRBU38DczQlphd9lRf9PwLbl1"
    "70s0J60S8readezcxuQW1hbarwvSfWbUOO98Szu2Ww1/W+p+ebiq73sqrU2fyuGrRK7erU"
    "p0np6GzaC8uDoQvoMKysRc/wbF1Ab+3YZtji0WeO73v4iOJSW7ncmuYuvDa1Jqokrcmdly"
    "R3Xr4AeL/JHRMGRK5AUizQw631XZ1eHu/Ke3m8K/TyYFlI0u7dlZD27Ur4dnWLj2338tWp"
    "EKFDcHUIroJGgMIhuOOkgfpAYAakzlZaASg7rlGP6nM0bN2NnZ3T3dhfQF3U3di7xLqFZG"
    "x3gbDxMJWzLzNC/atZ2LyJqUBx7u8M8RdI+fjeEI7VPen60nlBjXad+i+QyG2IKwmtd9TQ"
    "O3Sb+7anMG8tYmBXStNIyWiM12NcVcxijIN5ga14+cIWTJkcyME9uPo8vjwBTPIWn12cnn"
    "8afzgBpgPtObJu8fX4y9XFL+yQh4jrPIZE8ssvMVSBe7RNOp/ltUCBqP4c1n8O9EcG0r6H"
    "lZD2PUj4HrDr2/QWm2Qc5UR1mJfKYV4eesabLgjrd630u4Y2oa/Kl9LZMkJ6l6ph24WAbf"
    "A1pQX1l6TylxQpp8ZEULmvgirJSOlvqQYrFSG2QYPijKT+mlT+mmK7TvJzyonp76kO7xhB"
    "tomulxHVX5TKX5RCjd0Vc8Ju+1uWqA/RZggOT4G4pMafiQaCGJz06WFVEE7ICIcJB3g1vl"
    "bTb14H6y/0/U5tj271IKxCdxscHVj7wIfkAUxdr1C5bghMFzr0anSW0JMWfHpFwNymR3wX"
    "I1EZvFZvJQ7aX/kuqZAO2H/RgH0Vyg32XC2xRBXQK/o0CMuf9wHa/VoxQRUhQYWIoC10Id"
    "HbO8j0GWpyoA/Ori4uxmc355cfT8DqKrf47HpM92vmVAq1m1v8YXxx/sv4mh2je5L9iDx2"
    "9MfT8wt2aArpIq2Im8miu4O8GreS0iqcaipcxose+BP3m3B7qYoDzoj1KM26k4DglLZK7u"
    "U29kRAkw01ohcQ/V1SFThWEhrfOmTOnP0yUd2/0oUjI9Nd0tCe0rp/AVIxcfKPL1eXlaiW"
    "sSa26YP/AscmW7gwV8DH8Mjss/Fk3fl0+mt+Hp9dXL3Pb6DsAu/zcQfom2+YM2Q+bBJ5kB"
    "fuhKXUus+GJW0R3qSCUEpMk9Aqv18L+dSOkjLsE4n+7f+jvXptuKr6cBWs++3i+btFv78Z"
    "4yFpLkX2pkV0rvj6XHGOVxFf6UTxq/g6WwZv3Szx9LySTRHPB5uGdY2eWcX8MnWp7dsyym"
    "BvtXo5d9Z9RY7pztENmi8c6Jc79fLjhlXevdCvtwxFDD8tU6PkVthoKpIG0eODGfIQr4oV"
    "NjYAvgu+ojN3/ooA8e1ERbeavHTD6f/aX/dMf93LdqvqYWOwVO0yal8Xob2hR8XQxuN74a"
    "mrUiDHv95UMyGJ/nhxdfkxHp6nR/LVn3xozuYIS1FRWSnNRG3ORNkk+Q1FjaQq4ygrqLOO"
    "JLKO4o1VtkJiVqx/5EELzhlV+kkphvuW0AS1CLhgYW3IDmUlNTuk8GuX7RrWpiV5jifutz"
    "Fr8jsQ2I+ps8Mqq9Fm4wyUDKwVDApNEy3o9AMmdBz2a4aA+K5HD0zQlP43tOQAtdEIsOn/"
    "R3t7YAe7/ozHZpoPFEwHWcwKtAlw6BvZFUeCtnSf9Ubkb6lgLA+ZyI5i8X/XxeWULC7H5r"
    "eEChMN74Wl1HZvFwtZwQIZD0guajQj1Ttr/20d99Lbcu/S24JzaToX6A3l+EbDeziD6zT9"
    "Lm/5XWj4zXe2ECAJeLNS/auH2HypcqaaGlSVkC4ZkhXUBryEAU/NcHpDSZowI9SL9aNrrn"
    "ALo/wXCFsbhPh/Hl9+4PH9kfwt/kDNqBNguRipGcAPfUZP+TJRmmkRHaSZX2McSHwDeZ5c"
    "d7+sVP8owqNa8UVHFfFFR8X4orShWcB6Xb54RrR/aShbSiHVCTBCOKyatsFrz4lqglgdpr"
    "D4nheeayKyWbWivKx+06q9aUVI4X+4Nv4Kn66R6XpZglI4YFhFDfOm0ssw/bd+CBGTAlQq"
    "Tv8ELtWCqQLpgbs73lP57g7sMLL2n9eMlfVQQKf1EGBqcnv0X5GUgBBu4wbPCCd66YbSCr"
    "FhB3WUoYNyXeggUoUqygKwYhCyrfwyQr2wdFuv+epR+CypWZ0S6SHER/t1+HQ6qlzP3y8w"
    "6lHBCoGNWh5plJZ5VpzRZvzBX6cBNnkj1ElgO76NyWt2v79JEgrKhh/p1I7yD6Jflpciet"
    "pP07N00yWBopYbUampPUyNfA+neo78r+iMNTZOKiktbX9G9SkEHqbM+e4G2D8BSzaEtUWe"
    "uD5Vo5BFWLA2xGRJJagaSXUq33kSe/CbvoGwglOmp1K+6c+z6jlpD35XHvwXaqal3Grb/2"
    "5a3xvk2DYfpNMkUjL9Y8/bqH5CCH0ko8QoL13DC3LdOYAO213OG3MA6c4rXU/mAM+hb86o"
    "UUHviuCDxHwWiWqfZnFKY98gNjaRUd6mumLNEEprmIWu46RjobxpLZLXjg/VHB86B6Lex7"
    "WdNIriORA/Tc8Cj7jeQEyghOeG66iT1bC1pAlLyDLm5P4VAWH9Ky7LvU8rRmMICHxEFoBT"
    "ajEBBM1ZkrbAduciU9LYVZ/hz1LFAFfIr9WUalfh10qmXm2nViLRQ+N7f1Qn+puOKo8IHB"
    "UiwPWmpDeljjelqG6LeFeKT67blpapcWv3pZsZAg9oGiRlVnZYiDevrzJHONgF7jRHuw8B"
    "3WHoURYW8RQfBDt3d/9zdyeIvmjjBnq32q7dSpxqUFUpoEdZBh0EALMPqYhveVBAPF4HBG"
    "Q2pSYCArTSoJWGTpWGT8iy4SkhSJjNnzpbqTbM2TgDJgNrRG1ObQexbZr537k4XTgmHqRb"
    "9s5t8MYa7d0Gx2+O6J9H6N3B7gnPs588+YgAG3Mh/mxfmCU65P9m2TQuu0BBh2jzZrc4/O"
    "22FRcFoMYylQc7B6wXFNllqsqQd45a0PUxoJNmCCAzsekrQVQxCRaOCy17fg9+vr7QteYU"
    "rDX3QH+WjPoRj++h+tFwkjT7LGVd1GmZHiLcChVB7+hvko6el+sh3i3EBNj/lgoFiIbrgs"
    "0ij+kMjo6OpXz/iYSerHUmK1VpqGIoW2YlJ9Y7TqOVVThWFGWATsv0L4alRZjRt4VNde0N"
    "DGmRvHb/q2M9i9z/zISSqb2QktDxM/lN156zpT3wpLq6ZIT6t1K1k5AV5fBMpPberFSHxV"
    "za4ljb1nF0klU59NvJqSqeZPUp7v4+EFGqyclhFaMa9lyZZwavY1XLX7s4fSluWxNWnXtu"
    "zpLmGZ/JMyavQWIzSMv00OBtxUCYuNaTMYNkJgN0RqiHSLdBLdDVUY5UiAR6CG/z9XGnnj"
    "s3pDHOSvVPT28BZ9czpYuLroR0YVGJwqLYlSttE4/v3zxuJc7HNc3A8zayhHKiPTSFtsT0"
    "qUWIETfwTLm9N5Ho4ebbQrlX05cLn08EegivZmw0Y6M7HqvDMRRYMN3xWHc8VhL2VjseZy"
    "ATELF5SNdxsTg/vlalKw+Z9sJmgZ4u5okq5gxijBweEcr+zRk8FpsK6Xl2ox94gKkb+BP3"
    "G/DcJdihI9khXoZ0kAO8lZvcYvZjTbQLTOh5NiL8FMXF5jk1vGoJi4NlZU6pLIFPBCxnLs"
    "/KWc5KK2ZpdllHsaqgsDZvD0Tfm5QbdyXSQ4gbDhROFjgZhDNCPcS4Fcr+u+0w82V8eXMC"
    "WJGdW/xhfHH+y/iaNZmJNj1k5fvOUImfzj9/ZgfIg71YqNKJJtzThWZUVVXJjNhGptR6nb"
    "Ov1SXTTQt9OjlkFqmVRP9I7FEtEntUQWKPiiS25obK0e8vN8TNEiO0SuQoIoFkS8vb1hFF"
    "majpONJIDt28mIa2CK3mNTWvuTW8pnBNaADZTNjjdq0HdcHNr4XrAU7vTQ1g/JFd7jK5Wj"
    "9RFuznsgx9m6xzuIII6OZkaSnnmZOao8ly1mzIr+ZfX5B/jZ0IMsZhWqZ3OZbN01chXLJJ"
    "7lmpDqmr+K+doN18YGSyWj2jt0PVNVriQ/o04RP4ZItoFAT7Rz61iPZiJtSJa8CdSPYP7+"
    "YXmBeqtag0ys3Pah/BeRHg8uJ/8fjui/+9TPBvK2X+yAKZNozBqh2km5FqS1Pp0waJvlHI"
    "GOfPWH2pxpdFSTWqXbLb9qbaZccpYiorh81vnxyrsGGMrKcsJ6qrn6ic7BESYlGjXpmPqS"
    "DYyEfVa4YhhGziBngTB3RRWn9ZKn9Z/3JtbCzhk7FRG3ixtDZJ1n9lHLkNesLn5fqHdStl"
    "iNxH5FkBigLcqcobxrfXtrjF4v0Df79ONNN+eTDTvo5l0rFMJ7rGf//eukCbkK3xLw4KeG"
    "bWmFxAgGqToTRrTBij8kyoZOJTthKol0tG3Bq4Wo0L4fH1nxAhkAcaFONDMgOGlfmIYaz+"
    "PDW2zTiR31KZHbxNJPRZ+wv237BiXO0gkqoEhJ7FkXSSeFCR7SdXz1vX8S5V2ov149iHKY"
    "FtNLyHCWjNc9ZwYctBa/cU2sM68/awfNoeFmetdy/lAIvHaz/vMxxc6uat9mxN9tBUDuJp"
    "L72I7+qkk74rTyd9V0gn1SnBMinBn86/fGH/ntuEqJIQvPBs17N9gT5YWcIyLaaLWEoUsb"
    "QQtBxbFCBYTe6l5bRfUB0mr0jgRvavTMORtIjuOFKo+5pjFSS/HIF4N9x4lxt9nz4gBxLf"
    "QJ4nV0MzK9U//2IrNX/pW4tyTOoafiuJZ5l+ikHdteWnXbvls347nXx1XLvMVtjglafEtO"
    "an8salXfd9+6obcN236Tb8bC8QNwoFHsPk3HB98dJFeuzawqU3MwR4DDhhNUNZAVF+FcBe"
    "4xAgaM7A0vZngGncDsuPYP3sAQwsG2ET8TKgEFiBxz3Er/M0SAuX18nuKia7q5CJrZAzsq"
    "UUDymvzkpC+3Weod1rPUDrAZ3qAdeBg+jCicWxQ6mzlbqAR8exhB9cM2poMOb1vkMJ4Lt0"
    "22WXGIIHtPBZcXFEz5+w0t9D+gfCQzBB7Gi4RU99umvvsB8C/hfQe1EjZ7eoDDR/i1t8i5"
    "mK4UCPrnU+sC1ghxXM2ZUBQf4rAuh1bUJ/5QlYeK6JCKFahunOF5Be2vbZg1jItC3+SB5i"
    "Z2wHtaFr6Jgodq6LmCg+++VyeFIi/XPEN5+4A804JLR2BI9ZEmrahyAe3Xdqy+ZvuLXI6N"
    "MrCU2Wb65O831cBvZEQKO+OeoT6JtyPZBjgf753loIZZU2DbVJqJZJWObwUcgkvOaPJbQH"
    "2anhOmOwPh3M279iH1BrjJlNMXH7gJ6WrmdFNpuNuZl1dxcdJnd3YErtJmbHzcEOW4QEFm"
    "Dzl3+GiaaCkaAQZ9mUjlVulU1cSxCaWKFxReM1f/mMrR9hBoRsV/OUVIcRofHk39qA0Jhq"
    "kuN+0lJ9agHQcUeemG+fSOXDZaW07VzDdtYukb7pv1vgEvniQ79MAebn1mrABomHrVWDPy"
    "MvUkTj9qrMB2HBJ7BzNrMxBPSO2KK/C9zQebp7Ama2T4bAQwuHtVBlzgkqSndKy11i3jSO"
    "FJXhtm4iUIl/ox8XX99SCmzclfJ37dJQZzcrV56jF1hcbUtSTKBQdU4vsVu4vFagypbIvD"
    "amgIH30vtR24XSdTfcth1BbNUv4lu66sbDdepR0TjjG6cElikJDWceThIsFh6Kk19rIpoV"
    "0qAKm929jJJ9A+/HjwgLlezkXKWS7cN7AyXDakYc0cs5UYEp4FKFGM3dR+gwVhgCesFhGB"
    "9MFzVgwoCEwUBf0Zk7f0Xo38kSeWWBRg1dWQcBbanGzKajnPa3kuihZtJCPxEKl2w7orSM"
    "BlkHWskCXKegTHk5mUIxGb7yS1kvsUAPsW2+pIwb+KYrt0CkRDosJDPoBOBRrbTvUUXa96"
    "iY9q129Emnasd2ku91so2TtnJSOWw5qT75FttqLx5DVkRZukfzWepSWwbyn/FMWtOhOTfB"
    "VOrO/DMObThk/TNAJAKgYNgKRg2rTNwgGW/8kRZQpnmzNi+7Mi819d069U1vx6IEoawFlJ"
    "frJdi1WpQcV/QoOS42KXGxL6xgeoO+lakYK5FeoFylM45/vcmoi4XwvERlvLi6/BgPz8fs"
    "5eqhud4cOva/RSx6OepZKQ38BsBrs6mnZpMi7pSvyGE8xlVEZwh0z9yISr1zGY41UuzIeg"
    "fL1xn0wQSZ9LbM6xFWWwkvdBKFD4XVa8HOAhIfjPYA2R0C6LAJ8WSwEWDncH/vaH93WPCx"
    "NHnxW0ynZJwXwA6+O6ZDscvbuw1BWHJXO2O2WVt+oD9eRoWLx/dib2tbTw4I8uQ8XSuJ/i"
    "X4tdFb3Eceho4hD7RAtIdTurXAMunGoHm5/k3vgzqG30G53XdQMPu2xUuzxSs08jzxTC5V"
    "P1ISG/H2qs3hhqPPtPmmzbcOzDdGwQzKbTd+eljHcPPjkWuttlOA0fIvjFejw2KT6geeDj"
    "2n8AKyQCbryQh24rSR0EoiPpxOd8EC2h5Y2liQcNLolYVZJvndN1J6npVi8r0YaK1V6NSq"
    "VHeqlLbEWg45jJbRukR5PL4XSmr3FDndKGZzhEUJKBUVm7Ji3VdvGPx1GmAeBAkmge34bM"
    "ti9/vboPsXo2vSdrwAbac2HGOkaAL2Kd2jzJlIEY7OVOrAcDVGmTgZrVU+U6uMyjfJqDop"
    "kV7sx7ng3qOjOsG9R0flwb3snG5ALabkaoVO71eETu8XQ6dL413KlZvyeBddlmqdCvOim9"
    "mf/w838NCR"
)
