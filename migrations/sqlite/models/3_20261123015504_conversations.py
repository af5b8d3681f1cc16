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
        DROP TABLE IF EXISTS "welcome_outcome";
        DROP TABLE IF EXISTS "join_way";
        DROP TABLE IF EXISTS "rule_change";
        DROP TABLE IF EXISTS "unanswered_question";
        DROP TABLE IF EXISTS "kf_cursor";
        DROP TABLE IF EXISTS "welcome_text";
        DROP TABLE IF EXISTS "contact_event";
        DROP TABLE IF EXISTS "conversation_message";
        DROP TABLE IF EXISTS "escalation";
        DROP TABLE IF EXISTS "rule";
        DROP TABLE IF EXISTS "rule_stat";
        DROP TABLE IF EXISTS "kf_conversation";
        DROP TABLE IF EXISTS "group_welcome_template";
        DROP TABLE IF EXISTS "channel_code";"""


MODELS_STATE = (
    "eJztXftz2zYS/lcw+iXOjJqz5Ucc9e5mHEdN1fqR2mrcad2hIRKScKJAhgDt6Hr93w/gQ+"
    "JbhCzKFIMf7lKTuyT14fXtYnfxV2tmGcikb85sPLCmiLS64K8WgTPE/yN1rw1a0LaXd8QF"
    "BoemJwxtrLGF2JAyB+qM3xhBkyJ+yUBUd7DNsCVeQlzTFBctnQtiMl5ecgn+4iL+qDFiE+"
    "TwG3/8yS9jYqCviIZ/2lNthJFpxL4XG+Ld3nWNzW3vWp+wHzxB8bahplumOyNLYXvOJhZZ"
    "SGPCxNUxIsiBDInHM8cVny++Lvip4S/yv3Qp4n9iRMdAI+iaLPJzh9ryWkvTrq4H2m1voG"
    "ktCYB0iwhw+adS79ePxSd81zk4ent0enhydMpFvM9cXHn7t//qJTC+ogfP1aD1t3cfMuhL"
    "eBgvQfX+TcF6PoFONq6hfAJZ/slJZEMc6wvtDH7VTETGbML/PDkqwPHz2c35j2c3eydHr8"
    "ULLd75/WFxFdzpeLcE1EtoHcvMgbZH3JkHb59/ECQ6SsEc6m4G5vDCEuflsF0f6NbZh8v+"
    "VRdAY4bJPbn91Dvvn130bwddQG2kY2hiyu7J537vrnfTBY8YPSHv82Wb5uCkRNMcnOQ2jb"
    "gVbxpvJtMmkE5k+n5cS42AlSNAd5CAQoMsDfMHfofhGcqGOq6ZgNoIVN+E/1GfMVEeev4D"
    "jWtizoMmL4B+0L/s3Q7OLj+J180o/WJ6+J0NeuJOx7s6T1zdS46GxUPAXX/wIxB/gt+vr3"
    "oevBZlY8d741Ju8HtLfBN0maUR60mDRqR3hldD1GKtbkLKNJeu1e5J3Q20fPDJdWn4HWno"
    "EJPClnbQI58S12nnuKZq5bq1siDho2mEMYoLQ6hPn6BjaKk7VsfKk03fmnVmySuQwLHXSA"
    "JN8Z2BbcLXYkKQec7/amWYLtHb7SLrRfcFeQcMJFcZMK0zcO8e7u/r9+7p/vHRvftWHw3v"
    "3ZPOwYF33QAPD5y6MfTwAB6h6SIAiQG4RQOg/sXFFIvngOC1ADMgeJ5Bwchy3iQpUNXveo"
    "bJFeJVliGF8o3jRof7JbjR4X4uNxK36myIvTQbqpiIuraxJhGNayoiWuOVy/v6uixcFmF8"
    "fek9IsIyV67o/eKly5fU0EJ05doVPNxbEsaIgimymVgNxMLAuE2Odfo9X1P4q7SRZZocU8"
    "64Hb66YAogMHkjAN2lzJqhjMVq0w/fsEPwPR5/Kz7Bd53O4eHbzv7hyenx0du3x6f7C+dg"
    "+laRl/B9/6NwFMaG6WrPod8BpNjBQqOBi9ZhpwxD6OQzhE5q0eLjJquL5wO81FgL4JrZUF"
    "WTAvSVIYdAU5MHOkNVIV7CH5gww2Qmjqhe87DelH2xxFqe6m6T4m51udxNhpvnaq0Pw31E"
    "DoWiNS4RpXCc7aLJEFvFdxcK2iyisZL2Bo+nABPPQ2K5DFgjTjqjj+x6jhOuCE3o+004Eq"
    "8omHDqajnzNqCIq/IW4l2QptlvRe9QJHiHSTBfmdZYzBpKgze/VxsdWXK+yLheVWC/nFPy"
    "4KQMa+BSBWineIOBHaTnY706dCH2gDr38JYIXhCRC9e/DrpiJk/O9mXaoAxHzqfIKYY8o2"
    "MPK4l+HlGpM9p1mk9Y4EqLQzzgVl3uVBKqbA/iVqsigIv4b++3QYz6hkDuXZ799jpGfy+u"
    "rz6G4hHgzy+u36f7tJx1vVCoyM5rUoiN45pIk4M3otI8Q3rzCMOC1TDHkH7e8ldrfDfv5r"
    "Th3LRgRg/+6fb6KhvgiErSXYF1Bv4HROTh7iFdgKzAonhiTs7B7bizQTwgOTE7aCQ1b/ji"
    "jZuUT8uw6NN8En2a4tCcSw6tr5nTcpFpHlNbbaHXv0Nv00Zfoi82Il0q07OXGlukd9a0Ko"
    "JXNYMeQWxq2WZKbt+O6TSobz8zMWNX/PUqJGXnHfa9hT+6leGnj9xtF7nnUVyuNolgyuWt"
    "XN5NclEpl/f2XN6WjYg2Hcl5UWJKzbPzVbjN7iPOp10m6RuMqCiESyAcRLJqstH7KUWFdg"
    "lfN4JUbkFcaijeUYJ3qM2Eqruw5Rhi0FtSTCOiozBejXGR/291+MLL+AJtv7CKTPTC9afe"
    "VRcIzXtyfnHWv+x96ALdhHiGjHty07u9vvgsLjmIWuYj8vvVi08xnMA9Yp33Z3kWmKGqhs"
    "Pq4cB/pIuyPCaWZSJIsrFeKiUgHnKtqobB4sp299beX19fxNyH7/vJqIZfL9/3eEf3UOdC"
    "mOVsPRCLYf6KdRINE6oqJb4+iYW+GzfORJ/R0ill1da1bmuIRT0SJsXZYkpqlSph2/mArT"
    "GaoopqJNV5JAXkVBvOpVwlMS01lkp4pQLE1ii7FdNUo6nOoym06ySHU0JNjacyfscAsnW4"
    "XkxVjag6j6jdKle4zU3YXW/lmoTgfHQs175Dpm7N0ADNbBN6joRUME6mXLsoLGcsNLQnX0"
    "VjUZ0Spc48bRBog+DzwQQ5fqkxOic6/5tZ4A6dW7NXFGS/Lquy2SYfrWpHq9rRdYG2YsrB"
    "0FepDLVQvhHbnNtOUIOMQX0yy0wKzE9CiWupPJT181AwXfyGFP6FuxRxRbVTIbFTES6skt"
    "v9CTVlPZbYjvYozhpGRUxRWY51sylUfdFyw2s3kzkymr1O9UX7ZGh9za0uGrnbLrIasZCT"
    "qSx6TUTRaR3ZvPsBHZqm+DVtIMoa8QtDNOL/+pYc4DYaBZj/r7O/D/aIxSa8l3DlKQfTRI"
    "awAjH16oG+TtuNFb5ntRH5RyQGyEE6woH/7k+VkFLLhBTRvyUoTCDeCEup6tx8AxmujbQp"
    "ktpiiGs1ztrffL74aJbBG/LxDcQb2INPyyCbD2wq5USsbDmZygXZJjGt5uVQvSsT1PkuP6"
    "jzXfo4LU5NNU4lpMMM44rKgJcw4LkZzl8o6SaMKTVi/ti2r3AHg8ttRAwBoVwLtD71rj70"
    "rz52QaB/Tz5wM6oLDIuge/LDWf9CRJeLug51iS2HTLinWEbr5DLxqMpaVSnWapL9avn4xm"
    "pSeKexIcexHJn1M67VPBfh8X4ZAsilcruudy8ZY7I0NFNYr4oxiak2L/pgR11IZc5KRMTP"
    "tFij2ROqykFcH09hup1tx9IRXS/COamrWrpuLV0Tp/BPFiZ3cH6DdMuJOygzBdpFruH/cF"
    "HtCc7L+YXDOB+hBbgWCALigMVZMCeQTuQIwz3hrP3lRnhlHSSOem0Dwk1uh/8VaGU4hKt4"
    "wTPCibxXyXCihULjvGHVn4zIXz/CY9lCFlGlRli6leeJOtLn8kRUGgjx8UEZfzqXyuf5By"
    "mPelBgJcNGzY80iuo8K85oPf/BP0cu8Soag6GLTYYJfSPe929Jh0Jtw492K+xbbd6vb3nV"
    "hKf9PIqeipRF1BIShUxtOtKSdd/KbeTfIT6zL0/jBE+YTTifQmA6EpvvlktYFzwJEXGc0d"
    "BinEYhg4pgbUjoE9fgNFKc9WHOs3fwN/2CDML2R7wOW7JQ2J/PiQ9XO/jb2sF/oQJ8tZtt"
    "m1+B71uDnGB9Kp0mEdFpnve8ggBbRKk4LDDHKM+dw1N629sAOqp2Ot/YBpCq1rTtzuySGW"
    "T6hBsV/K0ITiX6c5aq2tNMd2nCNIqJjrSQmErNGZnaCubMreNFlVN50zpLX2181G3jQ+VA"
    "lBtcu+lGqXkOxM+jc9ehltPKdqD499qrXCdLsZVOE5GQpc3o+BUFhBtEga63+7T0aLQBhY"
    "/IAHDELSaAoD5ZpC2I1TntKdnYU5+xn1UXA7xG+1qbonYF+1qLrld6U2uh0UDj+6BTJvqb"
    "S+VHBHZSEeBqUVKL0lYXpWvvDL9LRCn0GHVqZYoLFC5PwXmAs4hslectRfPevJUoCI5VuW"
    "/19ZxLZmY1NSWrkrVD5RVWllcIbSwHLW4otEdl+u1Rfrc9SvdaZywVXBLKbz+w5GX8KhWd"
    "pKxjG2cWECqqxBlRal6aYSVzsjqyuqIUzm85r+22dzXoAuHavycfehf9z70bkdrG+Th+RI"
    "44TSWe7XZPLvu3t+LvGRZx+UmXzstkv9kOthzMMvhgYQpuVE0l4Eok4BrcfDYxydhxLnYs"
    "RPXUjkZ9vAjpHQ2VT7rhTcGkV0Fy5GSoNy/ZsUkDSOUPbzF/mGbWz8w3/JYaqnapSh5QGw"
    "wyadteGNAaFT2Xaor51XnhUtuGTRvVNd82vHFNkSxDsvcMI3fbRRuG3mHM+lJwZURL7xE5"
    "c+BreGk3QDyiDabIZkAU2eT3RYqO1eb/h0g7LL0pjm7wQ1H2xA8B/wL8XXxyy8jc3vwr7s"
    "k9GUwQMKEzRpQB7FX4FClE4smAIvZKZH4/YhHd3QVh+QQKdGtmQ/5ozMSHGEjHhvdJDhJ3"
    "sFnJKRNqL3Rbe6EvcHp5zWzHqoPToR5mGJbeuVtoNHDzroIKZjqTs5UXCg2Ed/P9119aZI"
    "zkpYYyktc3kr11XAb2hYJCfX3UvchgmclkodA8n1sFISzSpqEyCetlEta8SoQw+m68z8q0"
    "B8Wt9ipjsJwVKIwp3XUcbl0BUUdClHqxRn6lBjR/shwjsNkw8cysh4fgMn14ACNuNwk7bg"
    "b2xCSUYQFu/vHPMNHqYCTUKHCy+iyHoWVkhCQUMK5AXsWjPWPpR0QAIVuNPaK1xUiQsPPv"
    "bCBI6GqS8/1EtbYXKdAQJ1DaUy93CHpcS9nOZQoTqC2RhvHfHdgSuWWQ5RFg795KBuxVdy"
    "lHgz+JErEeERW7FQSZ3h6EAedg74xi+I9bsYcxgfh1F0wwo23gINvEiHqRo1yJr5GG9UQA"
    "dW3b8WvL0DQbruwtmdXRDL+Cb4TCBm9VpdHqtJ7l0+egAdPzbU5wKcwkz9FJdgcn2AJUxS"
    "SZ5GM1MPFeekWqmAyEk4gExBGVBkK8+a0gMfmn8c2ddUNxFXScNs+89VMCy4iGgjNVPyvg"
    "HVnehfyyWTElBaoAtSY0+1fi19pFxi8uonkFiTOkCqm3u5DXvkQVqqxfoBhsLRms4gqVc4"
    "Vk/e/SOCf0Ggl2mWQLLlUAdyrZgr+RZSZ755+8GVFpBMpFPq4qzt0kljODJv5vFu3IRz2u"
    "pYBfA/h6xzmoYwh3PczhDpm6NUPXLhP/ZHHPhEQh73zyZTUrIrzS8XsnjqAYIp2/VgQmeN"
    "UVgwd1A7ern+gP9mxIGejsA/q6DaApOsRcExJg7+hg//jgdTvl793kw+8J75JhKIW4+O6E"
    "ixLLO4WpDfzqBCqIfZfZ8pT/eBkKF8o3Ym2rmifLV7FXxevVASO1hjwwlaWP7kvqNa97b+"
    "pgykiV5CWpKAtzRKWB3XnzMzRynOyenEs/Ihpr+ZXr1oc37K5X5psy37ZgvgkXTCvfdvNu"
    "t8sYbiyULHHmNEFP3wm/GhcLTarvvQjyGYcXUBvpeIR1sBcG2vhWEmVwNHoNbIjFiYRZIT"
    "obfXJmWE5y9d3EcYXfioH2zKlx5UaFolJboFLKEqvWLAin0bKO8lC+ESR1+y5yvlBMZohk"
    "RewUJLnG1dTJ3sUNs0YajIpZbxobrnnM+hlfo/RJFhEO7hRyYLiUqU2cjGKVz2SVQcarDN"
    "WJqDRiPY6Tnc7xcQm2w6Vy6Y53T53Vke2SK1Vc9KCguOhBurhobrxLPrnJj3dRmbyrKMyL"
    "LmZ//x/qE/ti"
)
