from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "channel_code" (
    "code" VARCHAR(30) NOT NULL PRIMARY KEY,
    "name" VARCHAR(64) NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* A 「联系我」 ``state`` value and the acquisition channel it stands for. */;
        CREATE TABLE IF NOT EXISTS "contact_event" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "change" VARCHAR(32) NOT NULL,
    "userid" VARCHAR(64),
    "external_userid" VARCHAR(64),
    "channel_code" VARCHAR(30),
    "at" TIMESTAMP NOT NULL
) /* Contact changes kept for statistics; ``del_follow_user`` is a lost customer. */;
CREATE INDEX IF NOT EXISTS "idx_contact_eve_at_e9f6fe" ON "contact_event" ("at");
        CREATE TABLE IF NOT EXISTS "conversation_message" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "conversation" VARCHAR(160) NOT NULL,
    "direction" VARCHAR(4) NOT NULL /* IN: in\nOUT: out */,
    "msgtype" VARCHAR(16) NOT NULL,
    "content" TEXT NOT NULL,
    "msgid" VARCHAR(64),
    "rule_id" VARCHAR(64),
    "action" VARCHAR(32),
    "payload" JSON,
    "ref" VARCHAR(80),
    "outbox_id" BIGINT,
    "status" VARCHAR(16) NOT NULL,
    "fail_type" INT,
    "at" TIMESTAMP NOT NULL
) /* Messages in and out of a conversation: the escalation card's history, send results. */;
CREATE INDEX IF NOT EXISTS "idx_conversatio_convers_c2f3c6" ON "conversation_message" ("conversation");
CREATE INDEX IF NOT EXISTS "idx_conversatio_msgid_68e97d" ON "conversation_message" ("msgid");
CREATE INDEX IF NOT EXISTS "idx_conversatio_ref_ecca70" ON "conversation_message" ("ref");
        CREATE TABLE IF NOT EXISTS "escalation" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "conversation" VARCHAR(160) NOT NULL,
    "open_kfid" VARCHAR(64),
    "external_userid" VARCHAR(64),
    "chat_id" VARCHAR(64),
    "customer_name" VARCHAR(64),
    "reason" VARCHAR(16) NOT NULL,
    "rule_id" VARCHAR(64),
    "order_no" VARCHAR(64),
    "status" VARCHAR(16) NOT NULL /* OPEN: open\nCLAIMED: claimed\nRESOLVED: resolved */,
    "servicer_userid" VARCHAR(64),
    "queued" INT NOT NULL,
    "notified_at" TIMESTAMP,
    "renotified_at" TIMESTAMP,
    "raised_to" VARCHAR(64),
    "raised_at" TIMESTAMP,
    "claimed_by" VARCHAR(64),
    "claimed_at" TIMESTAMP,
    "resolved_by" VARCHAR(64),
    "resolved_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_escalation_convers_3a4b88" ON "escalation" ("conversation");
CREATE INDEX IF NOT EXISTS "idx_escalation_created_33e88f" ON "escalation" ("created_at");
        CREATE TABLE IF NOT EXISTS "group_welcome_template" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(64) NOT NULL UNIQUE,
    "text" TEXT NOT NULL,
    "attachment" JSON,
    "is_default" INT NOT NULL,
    "template_id" VARCHAR(64),
    "synced_at" TIMESTAMP,
    "updated_at" TIMESTAMP NOT NULL
) /* A group welcome managed here and synced to WeCom's group_welcome_template. */;
        CREATE TABLE IF NOT EXISTS "join_way" (
    "state" VARCHAR(30) NOT NULL PRIMARY KEY,
    "config_id" VARCHAR(64) NOT NULL,
    "qr_code" VARCHAR(512) NOT NULL,
    "chat_ids" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* A group join way created once per ``state`` (its QR is reused, never recreated). */;
        CREATE TABLE IF NOT EXISTS "kf_conversation" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "open_kfid" VARCHAR(64) NOT NULL,
    "external_userid" VARCHAR(64) NOT NULL,
    "nickname" VARCHAR(64),
    "session_state" INT NOT NULL,
    "servicer_userid" VARCHAR(64),
    "unmatched_streak" INT NOT NULL,
    "sent_since_customer" INT NOT NULL,
    "last_customer_at" TIMESTAMP,
    "updated_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_kf_conversa_open_kf_73837c" UNIQUE ("open_kfid", "external_userid")
) /* One WeChat customer with one kf account: what the bot needs to answer correctly. */;
        CREATE TABLE IF NOT EXISTS "kf_cursor" (
    "open_kfid" VARCHAR(64) NOT NULL PRIMARY KEY,
    "cursor" VARCHAR(128) NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* sync_msg's next_cursor per kf account, saved after each stored batch. */;
        CREATE TABLE IF NOT EXISTS "rule_change" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "rule_id" VARCHAR(64) NOT NULL,
    "action" VARCHAR(16) NOT NULL,
    "actor" VARCHAR(64) NOT NULL,
    "before" JSON,
    "after" JSON,
    "batch" VARCHAR(32),
    "at" TIMESTAMP NOT NULL
) /* Every change to a rule, kept forever: who, when, before and after (null = absent). */;
CREATE INDEX IF NOT EXISTS "idx_rule_change_rule_id_fa359b" ON "rule_change" ("rule_id");
        CREATE TABLE IF NOT EXISTS "rule" (
    "rule_id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "body" JSON NOT NULL,
    "enabled" INT NOT NULL,
    "revision" BIGINT NOT NULL,
    "updated_by" VARCHAR(64) NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* The current version of one keyword rule, in the ``keywords`` file form (JSON). */;
        CREATE TABLE IF NOT EXISTS "rule_stat" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "day" DATE NOT NULL,
    "rule_id" VARCHAR(64) NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "hits" INT NOT NULL,
    "replies" INT NOT NULL,
    "suppressed" INT NOT NULL,
    CONSTRAINT "uid_rule_stat_day_dc9afc" UNIQUE ("day", "rule_id", "channel")
) /* Per rule, channel and day (China Standard Time): hits, replies sent, cooldown skips. */;
        CREATE TABLE IF NOT EXISTS "unanswered_question" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "conversation" VARCHAR(160) NOT NULL,
    "content" TEXT NOT NULL,
    "normalized" TEXT NOT NULL,
    "at" TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_unanswered__at_1bcec1" ON "unanswered_question" ("at");
        CREATE TABLE IF NOT EXISTS "welcome_outcome" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "userid" VARCHAR(64),
    "external_userid" VARCHAR(64) NOT NULL,
    "channel_code" VARCHAR(30),
    "outcome" VARCHAR(16) NOT NULL,
    "errcode" INT,
    "at" TIMESTAMP NOT NULL
) /* What became of each welcome: sent, missed (past 20 s), already_sent (41051), */;
CREATE INDEX IF NOT EXISTS "idx_welcome_out_at_a5732e" ON "welcome_outcome" ("at");
        CREATE TABLE IF NOT EXISTS "welcome_text" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "channel_code" VARCHAR(30),
    "userid" VARCHAR(64),
    "text" TEXT NOT NULL,
    "attachments" JSON NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_welcome_tex_channel_124014" UNIQUE ("channel_code", "userid")
) /* A new-contact welcome; the most specific (channel code, staff) pair wins. */;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "conversation_message";
        DROP TABLE IF EXISTS "welcome_outcome";
        DROP TABLE IF EXISTS "contact_event";
        DROP TABLE IF EXISTS "rule_stat";
        DROP TABLE IF EXISTS "kf_conversation";
        DROP TABLE IF EXISTS "rule";
        DROP TABLE IF EXISTS "kf_cursor";
        DROP TABLE IF EXISTS "group_welcome_template";
        DROP TABLE IF EXISTS "welcome_text";
        DROP TABLE IF EXISTS "join_way";
        DROP TABLE IF EXISTS "unanswered_question";
        DROP TABLE IF EXISTS "rule_change";
        DROP TABLE IF EXISTS "channel_code";
        DROP TABLE IF EXISTS "escalation";"""


MODELS_STATE = (
    "eJztXWtz2zYW/SsYfYkzo2Zs+RFH3d0Zx1FTtX6kthp3WndoiIQkrCiQIUA7arf/fQE+JL"
    "5FyKJMMfiwm5rAJaiD17kX91783ZpZBjLpmzMbD6wpIq0u+LtF4Azx/0iVtUEL2vayRDxg"
    "cGh6laGNNbaoNqTMgTrjBSNoUsQfGYjqDrYZtkQjxDVN8dDSeUVMxstHLsFfXMRfNUZsgh"
    "xe8Mef/DEmBvqKaPinPdVGGJlG7HuxIdr2nmtsbnvP+oT94FUUrQ013TLdGVlWtudsYpFF"
    "bUyYeDpGBDmQIfF65rji88XXBT81/EX+ly6r+J8YkTHQCLomi/zcobZ81tK0q+uBdtsbaF"
    "pLAiDdIgJc/qnU+/Vj8QnfdQ6O3h6dHp4cnfIq3mcunrz9x296CYwv6MFzNWj945VDBv0a"
    "HsZLUL1/U7CeT6CTjWtYP4Es/+QksiGO9YV2Br9qJiJjNuF/nhwV4Pj57Ob8x7ObvZOj16"
    "JBiw9+f1pcBSUdr0hAvYTWscwcaHvEnXnw9vkHQaKjFMyh7GZgDh8scV5O2/WBbp19uOxf"
    "dQE0Zpjck9tPvfP+2UX/dtAF1EY6hiam7J587vfuejdd8IjRE/I+X7ZrDk5KdM3BSW7XiK"
    "J413grmTaBdCIz9uNSagasnAG6gwQUGmRpmD/wEoZnKBvquGQCaiMQfRP+R33mRHno+Q80"
    "rok5D7q8APpB/7J3Ozi7/CSam1H6xfTwOxv0REnHezpPPN1LzobFS8Bdf/AjEH+C36+veh"
    "68FmVjx2txWW/we0t8E3SZpRHrSYNGZHSGT0PUYr1uQso0l67V70nZDfR88Ml16fgd6egQ"
    "k8KedtAjXxLX6ee4pOrluvWyIOGjaYQxigdDqE+foGNoqRKrY+XVTRfNOrPkE0jg2Oskga"
    "b4zkA34XsxIcg853+1MlSXaHG7SHvR/Yp8AAY1VykwrTNw7x7u7+v37un+8dG9+1YfDe/d"
    "k87BgffcAA8PnLox9PAAHqHpIgCJAbhGA6D+xcUUi/eAoFmAGRA8z6BgZDlvkhSo6raeoX"
    "KFeJVlSGH9xnGjw/0S3OhwP5cbiaI6K2IvzYYqJqKubaxJROOSiojWeOfyvr4uG5dFGN9f"
    "eo+IsMydK1pevHX5NTW0qLpy7wpe7m0JY0TBFNlM7AZiY2BcJ8c6/Z7vKbwpbWSZJseUM2"
    "6H7y6YAghM3glAdymzZihjs9r0yzdsEHyPx9+KTfBdp3N4+Lazf3hyenz09u3x6f7COJgu"
    "KrISvu9/FIbC2DRdbTn0B4AUO1hINHDTOuyUYQidfIbQSW1afN5kDfF8gJcSawFcMx2qal"
    "KAvjLkEGhq8kBniCrES9gDE2qYzMIRlWse1pvSL5ZYy1PdbVLcrW6Xu8lw80yt9WG4j8ih"
    "UPTGJaIUjrNNNBnVVvHdhYA2i0ispL3B6ynAxLOQWC4D1oiTzugru57hhAtCE/p2E47EKw"
    "omnLpazrwNKOKivIf4EKRp9ltRG4oE7zAJ5jvTGptZQ2nw5s9qozNLzhYZl6sK7JczSh6c"
    "lGENvFYB2ineYGAH6flYr3ZdiL2gziO8JZwXhOfC9a+DrljJk6t9mT4ow5HzKXKKIc/o2M"
    "NKYpxHROqMdp3WExaY0uIQD7hWl7uUhCLbg7jVqgjgIv7b+20Qo74hkHuXZ7+9jtHfi+ur"
    "j2H1CPDnF9fv02NaTrteCFSk5zXJxcZxTaTJwRsRaZ4ivXmEYcFumKNIP2/7qzW+mzdz2n"
    "BuWjBjBP90e32VDXBEJGmuwDoD/wPC83D3kC5AVmBRvDAn1+B23NggXpBcmB00klo3/OqN"
    "W5RPy7Do03wSfZri0JxLDq2vmctykWoeE1utodd/QG9TR1+iLw4iXSozspcSW6R31rQqgl"
    "c1gx5BbGrZakru2I7JNGhsPzMwY1fs9colZecN9r2FPbqVYaePlLaLzPMoXq82gWDK5K1M"
    "3k0yUSmT9/ZM3paNiDYdyVlRYkLN0/OVu83uI86XXSZpG4yIKIRLIBx4smqy3vspQYV2CV"
    "s3glRuQ1xKKN5Rgneow4Sqh7DlGGLSW1JMIyKjMF6NcZH9b7X7wsvYAm0/sYqM98L1p95V"
    "FwjJe3J+cda/7H3oAt2EeIaMe3LTu72++CweOYha5iPyx9WLLzGcwD1inY9neRaYIaqmw+"
    "rpwH+ki7IsJpZlIkiysV4KJSAecqmqpsHiyXbP1t5fX1/EzIfv+0mvhl8v3/f4QPdQ55Uw"
    "yzl6IBbDvIl1Ag0Toiokvj6Bhb4ZN85En9HTKWHV17Xua4hFPhImxdliQmqXKqHb+YCtMZ"
    "uigmom1XkmBeRUG86lTCUxKTWXSlilAsTWSLsVk1Szqc6zKdTrJKdTQkzNpzJ2xwCydbhe"
    "TFTNqDrPqN1KV7jNQ9hd7+WauOB8dCzXvkOmbs3QAM1sE3qGhJQzTma9dpFbzlhIaE++iM"
    "aiMiVSnXnSIJAGweeDCXL8VGN0TnT+N7PAHTq3Zq8oyG4uK7PZJl+tcker3NF1gbZiysHQ"
    "V6kItbB+I445tx2gBhmD+mSWGRSYH4QSl1JxKOvHoWC6+A0p/AtPKeKC6qRC4qQi3Fglj/"
    "sTYkp7LHEc7VGcNZSKmKDSHOumU6j8ouWm124Gc2R0e53yi/bJ0Pqam100Utou0hqxqCeT"
    "WfSaiKTTOrL58AM6NE3xa9pApDXiD4ZoxP/1NTnAdTQKMP9fZ38f7BGLTfgo4cJTDqaJDK"
    "EFYurlA32d1hsrbGe1EvlHxAfIQTrCgf3uTxWQUsuAFDG+JShMUL0RmlLVsfkGMlwbaVMk"
    "dcQQl2qctr/5ePHRLIM35OMbVG/gCD4tg2w+sKmQE7Gz5UQqF0SbxKSaF0P1roxT57t8p8"
    "536eu0ODXVOJWQdjOMCyoFXkKB52o4b1DSTBgTasT6sW1b4Q46l9uIGAJCuR5ofepdfehf"
    "feyCQP6efOBqVBcYFkH35Iez/oXwLhd5HeriWw6ZME+xjN7JZeJRkbWyUqzVJfvV8vGN5a"
    "TwbmNDjmM5MvtnXKp5JsLj/TIEkNfKHbpeWdLHZKloprBe5WMSE22e98GOmpDK3JWIiB9p"
    "sUa3J0SVgbg+lsJ0P9uOpSO6nodzUlb1dN16uiZG4Z8sTO7g/AbplhM3UGZWaBeZhv/Lq2"
    "pPcF7OLhz6+QgpwKVA4BAHLM6COYF0IlcY7glj7S83wirrIHHVaxsQrnI7/K9AKsMgXEUD"
    "z3An8pqS4UQLgcZZw6q/GZE3P8Jj2UQWUaFGaLqVx4k60vfyREQaCPHxQRl7Oq+Vz/MPUh"
    "b1IMFKho6a72kUlXmWn9F69oN/jVziZTQGQxebDBP6RrT3H0mDQm3dj3bL7Vsd3q+vedWE"
    "p/08it6KlEXUEjUKmdp0pCXzvpU7yL9DfGVf3sYJnjCbcD6FwHQkDt8tl7AueBJVxHVGQ4"
    "txGoUMKpy1IaFPXILTSHHXhznPPsHfdAMZhO2PeB62ZKKwP5/jH65O8Ld1gv9CCfhqt9o2"
    "PwPftwY5wfpUOkwiItM863kFDraIUnFZYI5SnruGp+S2dwB0VO1yvrEDIJWtaduD2SUzyP"
    "QJVyp4qwhOJcZzlqg600wPacI0iomOtJCYSq0ZmdIK5syj40WWU3nVOkteHXzU7eBDxUCU"
    "m1y7aUapeQzEz6Nz16GW08o2oPhl7VWmk2W1lUYTEZClzej4FQWEK0SBrHf6tLRotAGFj8"
    "gAcMQ1JoCgPlmELYjdOW0p2dhbn3GeVRcFvEbnWpuidgXnWouhV/pQayHRQOX7oFPG+5vX"
    "yvcI7KQ8wNWmpDalrW5K194dfpeIUugx6tTOFK9QuD0F9wHOInWrvG8pGvfm7USBc6yKfa"
    "uv5VwyMqupIVmV7B0qrrCyuEJoYzlocUOhPSozbo/yh+1RetQ6YynnkrD+9h1LXsauUtFN"
    "yjq2cWYCoaJMnBGh5oUZVrImqyurKwrh/Jbj2m57V4MuEKb9e/Khd9H/3LsRoW2cj+NH5I"
    "jbVOLRbvfksn97K/6eYeGXnzTpvEz0m+1gy8Esgw8WhuBGxVQArkQArsHVZxOTjBPnYsNC"
    "VE6daNTHipA+0VDxpBs+FExaFSRnToZ484IdmzSBVPzwFuOHaWb+zHzFbymhcpeq4AF1wC"
    "ATtu25Aa2R0XMppphfnTcudWzYtFld82PDG9cUwTIk+8wwUtouOjD0LmPWlxVXerT0HpEz"
    "B76EF3YDxCvaYIpsBkSSTV4uQnSsNv8/RNph6k1xdYPvirInfgj4N+Bt8cUtI3J7803ck3"
    "symCBgQmeMKAPYy/ApQojEmwFF7JWI/H7Ewru7C8L0CRTo1syG/NWYiQ8xkI4N75McJEqw"
    "WcktE+osdFtnoS9we3nNdMeqndOhHkYYlj65W0g08PCuggxmOpPTlRcCDYR38+PX31pklO"
    "SlhFKS11eSvX1cBvaFgEJ9fdQ9z2CZxWQh0DybWwUuLNKqoVIJ66US1jxLhFD6brzPytQH"
    "RVF7lTJYTgsUypTuOg7XroDIIyFSvVgjP1MDmj9ZjhHobJh4atbDQ/CYPjyAEdebhB43A3"
    "tiEcrQADf/+meoaHVQEmrkOFl9lMPQMjJcEgoYV1Bf+aM9Y+tHRAAhm409IrVFT5Bw8O+s"
    "I0hoapKz/USltucp0BAjUNpSL3cJelxK6c5lEhOoI5GG8d8dOBK5ZZDlEWCvbCUD9rK7lK"
    "PBn0SKWI+IitMKgkzvDMKAc7B3PsEEAt4iMfjvAgM+Tl93wQQz2gYOsk2MqOc/ykX5TmlY"
    "TwTQKbZpmgxX1UhmbjTDz98bIbBBoyoxWp12s3zyHHRgerXNcS2FmdQ5usTu4PJagKpYIp"
    "NsrAYK3kvvRxVTgXARkYA4ItJAiDd/ECRW/TS+uatuWF25HKeVM2/jlMAyIqHgTGXPcm3b"
    "QWHQS0lE40IKVAFqTUj2r8TPtIuMX1xE89IRZ9QqJN7uor72JSpQZfYCxWBryWAVV6icKy"
    "Szf5fGOSHXSLDLhFrwWgVwp0IteIssM9Q7/97NiEgjUC6ycFVx6yaxnBk08V9ZtCMf9biU"
    "An4N4Ovt5aAuIdx1J4c7ZOrWDF27TPyTxT0TNQp555NfV7MilVeafe/EBRRDpPNmhVuCl1"
    "sxeFE3sLf6Yf5gz4aUgc4+oK/bAJpiQMw1UQPsHR3sHx+8bqfMvZt8+T3hQzJ0pBAP353w"
    "qsTy7mBqAz83gXJh32W2POU/XobChfUbsbdVzZPlc9ir1PXqepFaQx6oytIX9yXlmje8N3"
    "UtZSRH8pJUlIU5ItLA4bz5FRo5TvZIzqUfEYm17Mp1G8MbNtcr9U2pb1tQ34QJppWvu3nF"
    "7TKKGwtrlrhxmqCn74RdjVcLVarvPf/xGYcXUBvpeIR1sBf62fhaEmVwNHoNbIjFfYQkw0"
    "Nno2/OdMtJ7r6buKzwW1HQnrk0rjyoUFRqC1RKaWLVqgXhMlrWUB7WbwRJ3b6JnG8Ukxki"
    "WR47BSGucTF1r3dxx6wRBKM81pvGhmvusX7G9yh9kkWEg5JCDgyXdWrjJ6NY5TNZZRDvKk"
    "N1IiKN2I/jZKdzfFyC7fBauXTHK1M3dWSb5EqlFj0oSC16kE4tmuvvkk9u8v1dVBzvKgrz"
    "opvZP/8H3qr5YA=="
)
