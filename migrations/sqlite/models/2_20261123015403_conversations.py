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
) /* Per rule, channel and day (Asia\/Shanghai): hits, replies sent, cooldown suppressions. */;
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
        DROP TABLE IF EXISTS "welcome_text";
        DROP TABLE IF EXISTS "contact_event";
        DROP TABLE IF EXISTS "rule_stat";
        DROP TABLE IF EXISTS "kf_cursor";
        DROP TABLE IF EXISTS "unanswered_question";
        DROP TABLE IF EXISTS "group_welcome_template";
        DROP TABLE IF EXISTS "rule_change";
        DROP TABLE IF EXISTS "kf_conversation";
        DROP TABLE IF EXISTS "welcome_outcome";
        DROP TABLE IF EXISTS "rule";
        DROP TABLE IF EXISTS "escalation";
        DROP TABLE IF EXISTS "channel_code";
        DROP TABLE IF EXISTS "join_way";
        DROP TABLE IF EXISTS "conversation_message";"""


MODELS_STATE = (
    "eJztXWtz2zYW/SsYfYk9o2Zt+RFH3d0Zx1FTtX6kttp0WndoiIQkrCiQIUA72m7++wJ8SH"
    "yLkEWZYvBhNzVxL0EdvM69uLj4uzWzDGTS1+c2HlhTRFpd8HeLwBni/5Eqa4MWtO1liXjA"
    "4ND0hKGNNbYQG1LmQJ3xghE0KeKPDER1B9sMW6IS4pqmeGjpXBCT8fKRS/BnF/FXjRGbII"
    "cX/PkXf4yJgb4gGv5pT7URRqYR+15siLq95xqb296zPmE/eIKitqGmW6Y7I0the84mFllI"
    "Y8LE0zEiyIEMidczxxWfL74u+KnhL/K/dCnif2JEx0Aj6Jos8nOH2vJZS9OubwbaXW+gaS"
    "0JgHSLCHD5p1Lv14/FJ3zXOTx+c3x2dHp8xkW8z1w8efPVr3oJjK/owXM9aH31yiGDvoSH"
    "8RJU798UrBcT6GTjGsonkOWfnEQ2xLG+0M7gF81EZMwm/M/T4wIcfzu/vfjx/Hbv9HhfVG"
    "jxzu8Pi+ugpOMVCaiX0DqWmQNtj7gzD94+/yBIdJSCOdTdDMzhgyXOy2G7PtCt8/dX/esu"
    "gMYMk3ty97F30T+/7N8NuoDaSMfQxJTdk9/6vU+92y54xOgJeZ8v2zSHpyWa5vA0t2lEUb"
    "xpvJlMm0A6ken7cS01AlaOAN1BAgoNsjTM73kJwzOUDXVcMwG1Eai+Dv+jPmOiPPT8Bxo3"
    "xJwHTV4A/aB/1bsbnF99FNXNKP1sevidD3qipOM9nSee7iVHw+Il4FN/8CMQf4I/bq57Hr"
    "wWZWPHq3EpN/ijJb4JuszSiPWkQSPSO8OnIWqxVjchZZpL12r3pO4GWj745Lo0/I40dIhJ"
    "YUs76JFPieu0c1xTtXLdWlmQ8NE0whjFgyHUp0/QMbRUidWx8mTTRbPOLPkEEjj2GkmgKb"
    "4zsE34WkwIMi/4X60M0yVa3C6yXnRfkHfAQHKVAdM6B/fu0cGBfu+eHZwc37tv9NHw3j3t"
    "HB56zw3w8MCpG0MPD+ARmi4CkBiAWzQA6p9dTLF4DwiqBZgBwfMMCkaW8zpJgaqu6xkmV4"
    "hXWYYUyjeOGx0dlOBGRwe53EgU1dkQe2k2VDERdW1jTSIa11REtMYrl/f1dVm4LML4+tJ7"
    "RIRlrlzR8uKly5fU0EJ05doVvNxbEsaIgimymVgNxMLAuE2Odfo9X1N4VdrIMk2OKWfcDl"
    "9dMAUQmLwRgO5SZs1QxmK16Zdv2CH4Do+/FZ/g207n6OhN5+Do9Ozk+M2bk7ODhXMwXVTk"
    "JXzX/yAchbFhutpz6HcAKXaw0GjgonXUKcMQOvkMoZNatPi4yeri+QAvNdYCuGY2VNWkAH"
    "1hyCHQ1OSBzlBViJfwBybMMJmJI6rXPKw3ZV8ssZanutukuFtdLneT4ea5WuvDcB+RQ6Fo"
    "jStEKRxnu2gyxFbx3YWCNotorKS9wespwMTzkFguA9aIk87oK7ue44QrQhP6fhOOxCsKJp"
    "y6Ws68DSjiqryFeBekafZbUR2KBO8wCeYr0xqLWUNp8Ob3aqMjS84XGderCuyXc0oenpZh"
    "DVyqAO0UbzCwg/R8rFeHLsReUOce3hLBCyJy4ebXQVfM5MnZvkwblOHI+RQ5xZBndOxhJd"
    "HPIyp1RrtO8wkLXGlxiAfcqsudSkKV7UHcalUEcBH/7f0+iFHfEMi9q/Pf92P09/Lm+kMo"
    "HgH+4vLmXbpPy1nXC4WK7Lwmhdg4rok0OXgjKs0zpDePMCxYDXMM6ectf7XGd/NuThvOTQ"
    "tm9OCf7m6uswGOqCTdFVhn4H9ARB7uHtIFyAosiifm5BzcjjsbxAuSE7ODRlLzhi/euEn5"
    "rAyLPssn0WcpDi22wlwqg+1SY4sEw5pWRTGq5nAjiE0tmyjnOj5iOqv9H/WfLjZzNGBXPM"
    "YqKGLnXca9hUe0leEpjpS2ixzEKC5Xm6NIyumqnK5NcpIop+v2nK6WjYg2HcnZ8TGl5lma"
    "KuBj9xHn0y6T9E5FVBTCJRAOYik12fjxlKJCu4S3FUEqtyAuNRTvKME7lDu76i5sOYYY9J"
    "YU04joKIxXY1zk/1u9gf4yvkDbT+0hs39+87F33QVC855cXJ73r3rvu0A3IZ4h457c9u5u"
    "Ln8TjxxELfMR+f3qxacYTuAesc77szwLzFBVw2H1cOA/0kVZHhPLMhEk2VgvlRIQD7lWVc"
    "Ng8WS7uzvvbm4uY+7Dd/3kvvqvV+96vKN7qHMhzGK+ksgxQothXsU6R90SqupQdn2Otvlu"
    "3DgTfUZLp5RVW9e6rSEWGTGYFGeLKalVqoRt5wO2xmiKKqqRVOeRFJBTbTiXcpXEtNRYKu"
    "GVChBbI/FTTFONpjqPptCukxxOCTU1nsr4HQPI1uF6MVU1ouo8onYrYd42N2F3vZVrEoLz"
    "wbFc+xMydWuGBmhmm9BzJKSCcTLl2kVhOWOhoT35KhqL6pRItuVpg0AbBJ8PJsjxk13ROd"
    "H538wCn9CFNXtFQXZ1Wbm1Nvlqlb1YZS+uC7QVUw6GvkidkQrlG7HNue0jUpAxqE9mmcfS"
    "8o9BxLXUSYj1T0JguvgNKfwLdyniimqnQmKnIlxYJbf7E2rKeiyxHe1RnDWMipiishzrZl"
    "OoDJflhtduHubIaPY6Zbjsk6H1JTe/ZaS0XWQ1YiEnk9vyhoi0xzqyefcDOjRN8WvaQCTW"
    "4Q+GaMT/9S05wG00CjD/X+fgAOwRi014L+HKUw6miQxhBWLqZaTcT9uNFdaz2oj8MxID5C"
    "Ad4cB/95c6kFLLAymif0tQmEC8EZZS1afDDWS4NtKmSGqLIa7VOGt/8yeWR7MM3pCPbyDe"
    "wB58VgbZfGBTR07EypZzUrngtElMq3lnqN6WCep8mx/U+TZ9oROnphqnEtJhhnFFZcBLGP"
    "DcDOcVSroJY0qNmD+27SvcweByGxFDQCjXAq2Pvev3/esPXRDo35P33IzqAsMi6J78cN6/"
    "FNHlIq9DXWLLIRPuKZbROrlMPKqyVlaKtZrkoFo+vrGcFN59YMhxLEdm/YxrNc9FeHJQhg"
    "Byqdyu65UlY0yWhmYK61UxJjHV5kUf7KgLqcxtfYj4Jy3WaPaEqnIQ18dTmG5n27F0RNeL"
    "cE7qqpauW0vXxCn8k4XJJzi/RbrlxB2UmQLtItfwf7io9gTn5fzCYZyP0AJcCwQBccDiLJ"
    "gTSCdyid6ecNb+ciu8sg4Sl422AeEmt8P/CrQyHMJVVPCMcCKvKhlOtFBonDes+rv5ePUj"
    "PJZNZBFVaoSlW/k5UUf6ZpiISgMhPjks40/nUvk8/zDlUQ8SrGTYqPmRRlGdZ8UZrec/+O"
    "fIJV5OXTB0sckwoa9Fff+WdCjUNvxot8K+1eb9+pZXTXjaz6PovTxZRC0hUcjUpiMtmfet"
    "3Eb+J8Rn9uV9kOAJswnnUwhMR2Lz3XIJ64InISIu1BlajNMoZFARrA0JfeIanEaK2ybMef"
    "YO/qYryCBsf8bzsCUThf31nPhwtYO/rR38F0rAV7vZtvkZ+L41yAnWp9LHJCI6zfOeVxBg"
    "iygV19XlGOW5c3hKb3sbQMfVTucb2wBS2Zq23ZldMoNMn3CjgteK4FSiP2epqj3NdJcmTK"
    "OY6EgLianUnJGprWDO3DpeZDmVN62z9NXGR902PtQZiHKDazfdKDU/A/Hz6MJ1qOW0sh0o"
    "fll7letkKbbSaSIOZGkzOn5FAeEGUaDr7T4tPRptQOEjMgAccYsJIKhPFscWxOqc9pRs7K"
    "3P2M+qiwFeo32tTVG7gn2tRdcrvam10Gig8X3YKRP9zaXyIwI7qQhwtSipRWmri9Ktawqv"
    "N/HodGpZipQWLkxeVnV9Kbhyaeo9ImcOfA3Pfw7EK9pgimwGxGk5Xi587Vab/x8i7fAMnc"
    "jB4q8pe+KHgH8BXhe3cTJCMDZfxT25J4MJAiZ0xogygL2jemIvQLwZUMReiRCORyzcNF0Q"
    "xkFRoFszG/JXYyY+xEA6NrxPcpAowWYl6WLUdsC2tgNe4BqCukW8Nu1W3dotflUfRdCZHL"
    "VbKDQQ3s33X39pSeObH0Oz1FCZetYPlfHWcRnYFwoK9fVR90x8mclkodC8HZfNn3FXF+/u"
    "uklY83AvYfTdep+VaQ+KovYqY7CcFSiMKd11HG5dAREQJmI2rZEfcoXmT5ZjBDYbJp6Z9f"
    "AQPKYPD2DE7SZhx83AnpiEMizAzb/+GSZaHYyEb8pdObSMjCwgBYwrkN9+xHKDln5EBBCy"
    "aRUiWlvMqRB2/p1NqRC6muR8P1Gt7cUBNMQJlPbUy91mENdStnOZCCO1JdIw/rsDWyJ3DG"
    "ZmKlyUrWTAXphmORr8UZz19Iio2K0gyPT2IAw4B3vnFMN/3Ik9jAnE+10wwYy2gYNsEyMK"
    "xLYEV+JrpGE9EUBd23b8IFGaZsOV1ZJ5zMHwj+JGKGxQqzrjUKf1LJ8+Bw2Ynm+zwQ/Eiy"
    "bZHZxgC1AVk+TLX0ddN8AqvyosmEQkII6oNBDizW8Fick/jW/urBuKq5DitHnmrZ8SWEY0"
    "FJypQPiAd2R5F/Lj32NKClQBak1o9q/EPzSLjF9cRPNOFmdIFVJvdyGvfY4qrCLh+S2gwn"
    "J2lMEqrlA5V0ge5C+Nc0KvkWCXSTTEpQrgTmVd5DWyzGuf8lPoRlQagXKRj6uKBLrEcmbQ"
    "xP/Noh35qMe1FPBr3XIm6+9V+URr5eateZhDcF/pjcvEP1ncMyFRyDvDC0CtiPBKx+8nkU"
    "tmiHRerQhM8I5JBS/qBm7XGRbGC9izIWWgcwDofhtAU3SIuSYkwN7x4cHJ4X475e/d5Mvv"
    "Ce+SYSiFePj2lIsSy0un1gZ+Um0VxL7LbHnKf7wMhQvlG7G2Vc2T5dNRqCwUKlNQrSEPTG"
    "XpHJxJveZ1701lmI0cd16SirIwR1Qa2J03P0Mjx8nuybn0I6Kxll+5bn14w+56Zb4p820L"
    "5ptwwbTybbdBcHfUasMtvGWqTPJ4gp6+E341LhaaVN97EeQzDi+gNtLxCOtgLwy08a0kyu"
    "BotA9siEVq0awQnY2+OTMsJ7n6biLv6LdioD1zaly5UaGo1BaolLLEqjULZG/4U5f7PctF"
    "zheKyQyRrIidgkOucTWVor+4YdY4BqNi1pvGhmses37O1yh9kkWEg5JCDgyXMrWJk1Gs8p"
    "msMjjxKkN1IiqNWI/jZKdzclKC7XCpXLrjlSWWYD6oJBAOxBuI7mGpW0YPC24ZPUzfMpob"
    "71Jw+VBuvIs6ybuKwrzoYvb1/2/OjcI="
)
