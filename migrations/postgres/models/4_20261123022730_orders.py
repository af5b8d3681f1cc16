from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "api_key" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(64) NOT NULL UNIQUE,
    "key_id" VARCHAR(40) NOT NULL UNIQUE,
    "secret_hash" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "last_used_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ
);
COMMENT ON TABLE "api_key" IS 'An ERP integration''s key: the database holds only a hash (see bot.orders.erp).';
        CREATE TABLE IF NOT EXISTS "customer_group" (
    "chat_id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(128) NOT NULL,
    "owner" VARCHAR(64) NOT NULL,
    "member_version" VARCHAR(64) NOT NULL,
    "dismissed" BOOL NOT NULL,
    "create_time" TIMESTAMPTZ,
    "synced_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "customer_group" IS 'Our copy of a customer group (客户群), kept from change_external_chat events.';
        CREATE TABLE IF NOT EXISTS "customer_order" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "order_no" VARCHAR(64) NOT NULL UNIQUE,
    "order_type" VARCHAR(32) NOT NULL,
    "customer_external_userid" VARCHAR(64),
    "customer_name" VARCHAR(64),
    "customer_phone" VARCHAR(32),
    "open_kfid" VARCHAR(64),
    "team" JSONB NOT NULL,
    "specialist" VARCHAR(64) NOT NULL,
    "expected_dates" JSONB NOT NULL,
    "stage" VARCHAR(32),
    "stage_since" TIMESTAMPTZ,
    "group_chat_id" VARCHAR(64) UNIQUE,
    "group_bound_at" TIMESTAMPTZ,
    "join_way_config_id" VARCHAR(64),
    "join_qr_code" VARCHAR(512),
    "overdue_notified_on" VARCHAR(10),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_customer_or_custome_dba6c4" ON "customer_order" ("customer_external_userid");
CREATE INDEX IF NOT EXISTS "idx_customer_or_special_9b92dc" ON "customer_order" ("specialist");
CREATE INDEX IF NOT EXISTS "idx_customer_or_stage_37093f" ON "customer_order" ("stage");
        CREATE TABLE IF NOT EXISTS "order_pipeline" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "order_type" VARCHAR(32) NOT NULL UNIQUE,
    "stages" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "order_pipeline" IS 'The stages of one order type, each with templates per audience and a duration.';
        CREATE TABLE IF NOT EXISTS "customer_group_member" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "userid" VARCHAR(64) NOT NULL,
    "type" INT NOT NULL,
    "join_time" TIMESTAMPTZ,
    "join_scene" INT,
    "state" VARCHAR(32) NOT NULL,
    "invitor" VARCHAR(64) NOT NULL,
    "left_at" TIMESTAMPTZ,
    "quit_scene" INT,
    "group_id" VARCHAR(64) NOT NULL REFERENCES "customer_group" ("chat_id") ON DELETE CASCADE,
    CONSTRAINT "uid_customer_gr_group_i_b1d42c" UNIQUE ("group_id", "userid")
);
CREATE INDEX IF NOT EXISTS "idx_customer_gr_userid_d0c55c" ON "customer_group_member" ("userid");
        CREATE TABLE IF NOT EXISTS "order_group_notice" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "chat_id" VARCHAR(64) NOT NULL,
    "day" VARCHAR(10) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "due_at" TIMESTAMPTZ NOT NULL,
    "outbox_id" BIGINT,
    "msgid" VARCHAR(64),
    "sender" VARCHAR(64),
    "reminders" INT NOT NULL,
    "next_check_at" TIMESTAMPTZ,
    "sent_at" TIMESTAMPTZ,
    "detail" VARCHAR(200),
    "created_at" TIMESTAMPTZ NOT NULL,
    "order_id" INT NOT NULL REFERENCES "customer_order" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_order_group_chat_id_501864" UNIQUE ("chat_id", "day")
);
CREATE INDEX IF NOT EXISTS "idx_order_group_due_at_af9c82" ON "order_group_notice" ("due_at");
CREATE INDEX IF NOT EXISTS "idx_order_group_next_ch_54af4a" ON "order_group_notice" ("next_check_at");
COMMENT ON COLUMN "order_group_notice"."status" IS 'COLLECTING: collecting\nCREATED: created\nDELIVERED: delivered\nFAILED: failed';
COMMENT ON TABLE "order_group_notice" IS 'One owner-confirmed 群发 task for a customer group, coalescing a day''s milestones.';
        CREATE TABLE IF NOT EXISTS "order_milestone" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "event_id" VARCHAR(128) NOT NULL,
    "body_hash" VARCHAR(64) NOT NULL,
    "stage" VARCHAR(32) NOT NULL,
    "from_stage" VARCHAR(32),
    "forced" BOOL NOT NULL,
    "note" VARCHAR(500),
    "occurred_at" TIMESTAMPTZ NOT NULL,
    "source" VARCHAR(16) NOT NULL,
    "actor" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "order_id" INT NOT NULL REFERENCES "customer_order" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_order_miles_order_i_a573bf" UNIQUE ("order_id", "event_id")
);
        CREATE TABLE IF NOT EXISTS "order_notification" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "channel" VARCHAR(8) NOT NULL,
    "recipient" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "outbox_id" BIGINT,
    "detail" VARCHAR(200),
    "created_at" TIMESTAMPTZ NOT NULL,
    "group_notice_id" INT REFERENCES "order_group_notice" ("id") ON DELETE CASCADE,
    "milestone_id" INT REFERENCES "order_milestone" ("id") ON DELETE CASCADE,
    "order_id" INT NOT NULL REFERENCES "customer_order" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_order_notif_outbox__01c405" ON "order_notification" ("outbox_id");
COMMENT ON COLUMN "order_notification"."status" IS 'PENDING: pending\nSENT: sent\nDELIVERED: delivered\nFAILED: failed\nSKIPPED: skipped';
COMMENT ON TABLE "order_notification" IS 'One recipient on one channel for one event of an order; the outbox row (or the group';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "order_group_notice";
        DROP TABLE IF EXISTS "api_key";
        DROP TABLE IF EXISTS "customer_order";
        DROP TABLE IF EXISTS "order_notification";
        DROP TABLE IF EXISTS "customer_group";
        DROP TABLE IF EXISTS "customer_group_member";
        DROP TABLE IF EXISTS "order_pipeline";
        DROP TABLE IF EXISTS "order_milestone";"""


MODELS_STATE = (
    "eJztXdty2zi2/RWUXmJXqVO2fEniPmeqHEfd44kvGdvd6Zo4RUMkZHFEgQpB2tHMyb8fAC"
    "Ql3kVIpAwheJjpmMAmqQUQWHtjX/7bmbgWcsjr06n9Ec06J+C/HQwniP4j09IFHTidLq6z"
    "Cz4cOLwrnNrGOOo0IL4HTZ9eHkKHIHrJQsT07Klvu5h1PsWgf/MJ2NhHjx5kV18RQKVPgD"
    "9CwIL0rpAgMHIdiwAXOzMAwQiSEdghCIGB6792PQt55DXypruv2TMt16QPtfFjO7cPsP0t"
    "QIbvPiJ6C48+5MtXetnGFvqOSPzndGwMbeRYKQxti92AXzf82ZRfO8f+b7wje/OBYbpOMM"
    "GLztOZP3LxvDf9HezqI8KI/hrEbu97AYMVB44TDUCMdPimiy7hKyZkLDSEgcMGh0mHL7C4"
    "1jGMq+s747Z/Zxid3MDFEgmwo0umi9mg01cl/Nc/slf4pbd/+Obw7cHx4Vvahb/m/MqbH+"
    "GjF8CEghyeq7vOD95OhyrswTFegMr/m4P1bAS9Ylzj/hlk6StnkY1xlBfaCfxuOAg/+iP6"
    "5/FhBY5/nt6c/f30Zuf4cJc90KUfZfixXkUtPd7EoF5AS78To2jOloO7kFAO3sO9GvAe7p"
    "XCy5rS8BJkesg32HIjgnFGrBmg4wsLpBfrtQIzmSLGwDCgn0f6A23x7QkqRjstmQHbikRf"
    "x//YRujpD7Su6c4XfV0V0N+dX/Zv704vP7HHTQj55nD8Tu/6rKXHr84yV3eOM8M0vwn4fH"
    "73d8D+BP+6vupzeF3iP3r8iYt+d//qsHeCge8a2H02oJVYCOKrMWqpUXcg8Y2ArDTuWdkG"
    "Rj56ZVkGfksGOsakcqQ99OSOVxrntKQeZdlGmZHp4TjB/NiFATTHz9CzjFyL23PL+uabJr"
    "1J9grE8JEPEkOTvedC77mj8wR3inWisK27TCvy592W6UXl46v1D61/yAJty6zNc50SaPs4"
    "mHB4z+kLQWyi/LoeycpMjzunHy7Pr04AtCY2vse3n/pn56cX57d3J4BMkWlDxyb+Pf7zvP"
    "+5f3MCnmz0jLysiaPO0Owf1xia/ezSvhga1pQeGr6SCasuaSn9BWi9ZQ3otd6i9RaJB1rr"
    "LT/1KEuit9C9GGPknNG/OgWqS7K5W6W9mGFHOgGjnssPdsB9cLC3Z94Hb/eODu+DN+ZwcB"
    "8c9/b3+XULPDxQ6uajhwfwBJ0AAYgtfigDzW+BTWx2HxA9Ftg+YDzPImDoegWnPO0+aw2V"
    "K8arLkOK+yvHjQ7qmM8Pys3nB5H5XFZF7KXZUMtENJhaKxLRtKQmohLvXPztZdm4XOzT/a"
    "X/hLBfuHMl26u3rrCngeZdl+5d0c35lvCImMPA1Ge7AdsYfKqT2yb5le4p9FHG0HUciill"
    "3B7dXWwCIHDoIAAzIL47QQWbVdM3b9gg+N5+/Flsgu96vYODN729g+O3R4dv3hy93ZsbB/"
    "NNVVbC9+e/M0Nh6jNdbjkMJ4AQO5hLKLhpHfTqMIReOUPo5TYt+t2I+S8sJFYCWDIdqm1S"
    "gL77yMPQMcSBLhDViNewB2bUMJGFIymnHtZN6RcLrMWp7iYp7ka3y+1kuGWmVnkY7hPyCH"
    "dKvUSEwMdiE01Bt2V8dy5gTBISS2lvdHsCbMwtJG7gA3dISWfylqHnLBWEDgztJhSJVwSM"
    "KHV1vVkXEERF6QjRKUjy7LelZ2gSvMUkmO5MK2xmitLg5s9qk1+WmC0yLdcW2C9nlNw/rs"
    "MaaK8KtHO8wbI9ZJZjvdx1IXUDmWd4hzkvMM+F6z/uTthKnl3ta/lV13GrLveqzqI/IY8c"
    "K4F5nhCRGW2Z1hM/MqWlIb6jWl3pUhKLbA7iTqclgKv4b/+vuxT1jYHcuTz9azdFfy+ur3"
    "6PuyeAP7u4fp+f02La9VygJT1PJRcbL3CQYJRLQkQ9Rbp5hGHFbliiSK+3/UmNb/Nmzimc"
    "OS4smMH/uL2+KgY4IZI1V9imD/4PMM/D7UO6AlmGRfXCnF2Du2ljA7tBdmH20FBo3Qi7K7"
    "cov63Dot+Wk+i3OQ5NueTA/V64LFep5imx5Rq6/BN6kzp6IjDRh35ARGb2QmKD9M4dt0Xw"
    "2mbQQ2g7RrGaUjq3UzIKze01AzO2xV6vXVK232AfeV387rnBtFNkqk916FYa6aOuxuO871"
    "Lz/HXgAdOdziJ7eXQHwO8Adu6DowHsMa/Hgzf3wZshPNztRr4lnjuJvE2M+bkr/dsH3CWm"
    "wEjf6pPW8aaktxLU1RIiyvlUNqWqbbNPZWtGngwH6L2tQwJ6b8tZAGvLsNxnHMZz1YV3Lq"
    "Acvs1bHSZoMqDrKzvBELQ+5CU13EvhtmwysQlBRRqb6zoI4mKwU3IZnAdUsC2g51c2a4Z4"
    "f319kWJa78+zBuA/Lt/36VLCsaedbL9ESwsj/IyYoooHB85FdfSQPD7Y+RgxMsPmSp73KU"
    "Gt5Ug86KKO99ldrsBW8z4S/O3jDXLKjvCL9JZLfsctnA4/4vkfX00CuxGdMIJumWa4QLiu"
    "fmhMFiKNZg750pnrn5Ej7ledTOQFk4ls3GNdavec5lmqoM11LXOrbOtj0/bWf7s2Xol9pg"
    "Q195SHhuS5Jx8qYlL8Bb6atJA+qig+YBOyq80FlLNENO8OYeMn23eF7GoJEeUAbn4TddDQ"
    "XyUzzUJML/oyL/rfAtsXXvTTQnrRzy/6oSYnxu6TMgr6JjezNuUMJxnM84D/5nrIfsQf0S"
    "zniV/DQrKFsJfZRuhlDz7PtfvUfKMo0N+OQvPz2ent2emHfufHyxy99+ehYJ0C60qitVtl"
    "VEHpftLkYNXRZqxNR5upEh2io802F23mThE2xkMxWpESUs/FXme62H7EX8DV62dDOD5iEn"
    "XyyglqtGuEmSFIxDbEhYTmHTV4h47ja3sK80p4BnaFmEZCRmO8HOOq0JvlmQNeJgxnGtY0"
    "EUkccP2pf3UCmOQ9Prs4Pb/sfzgBpgPtCbLu8U3/9vriT3bJQ8R1nkLnwJdfYiiBe7JNOp"
    "/FWWCBqP4cln8O9EcGwi6lCyHtTyrgT4pd36aPWMXTMCOqj3dkPt7x0BojnRPWYy31WEOb"
    "lQLxhThbSkjvUjV0uxCwFb6mpKD+kmT+kiJyagxmQqaSlJT+lmpYpSLEVqh4lZLUX5PMX1"
    "Os1wl+Thkx/T3VsTtGkK3C9VKi+ouS+YvarkqBmzyE3fZRliT7BXd9uqLKn4k6BT44yeZu"
    "lRNOaBEOHY3wov/y7BcYAR7//gsd36Ht0a0ehNkn7oOjA2sf+JCMeR2VbMaKLjBd6NC70V"
    "lCGy04e0XAxKZXfBejovQXrT6qMAwrcXZJhXQU1otGYcmQZkRxWsImuQC8UXcFod2v5RNU"
    "4RKU8wjawiMk+niHpbymqImB3jm7vrjon92dX/1+AhZ3ucdnN326X7NDpZDd3OMP/YvzP/"
    "s37Brdk+wn5LGrv52eX7BLLLuaLMdMFt0dxGncQkpTONkonE5tWbqJbzi1pXSptJXa1VlZ"
    "FrGMVgsJjW8dY86E/bKifB+lC0dKZnOB7HtSc//EqTf67hvmCJnjVc69s8IbsZHpnXfFRE"
    "oIrxK3mhDTJlCZx9dCPmXxQmrlXEK93ae3V0ezpL1K9x/eVpRzbluszJtFfzuzkZXlXM47"
    "/gqZGpMiOntOxDsqApU5Xnl8hQOVr+P7bBm8dQOUk/NKNEA56+po8ljDNXPnXSVutX1bRh"
    "nsrebM40dFn5FjuhN0hyZTB/rlR0rZft2qs6XwVOk5FDH8pMzS86XTKL15JA2i1wcj5CFe"
    "qTRMpwl8F3xGZ+7kFQHFj8ufJzV764aDz/Vp0ZqnRS+bI13BdPSJdH1Uv85DW15mMO6vxD"
    "lRFYFso8og9H1ojiaFlR3LK4mlpXQxsdWLidlk/hvyjKQq3iUtqGNeBGJe4o1V8LQ/I6ae"
    "8aCFowFZsphLhvuWmAlqGeCCqbWidSgtqa1DEg+7aK76NjXJczxwv/dZaalOgf6YaO1WaY"
    "0262egecdarojQNNGUTj9gQsdhv6YLiO969MIADel/Q00OUB2NAJv+r7e3B3aw64+4Z6A5"
    "pmA6yGJaoE2AQ0dkt9gPsaXnLFcivyRcgTxkIjvyBP+qU5tJmdqMzW8BChN1V0JTajujsI"
    "WsYIqMMRLzWUxJKaftN1/0dzgp4A3l+EbdFZzBdUrNlReay5WZ4ztbCJAAvGkp9bLxvavj"
    "t/mu3G/zXc5vk1FTg1IJ4YQVaUGtwAso8FQNpw8UNBOmhJRYPzZtK9xCH/MpwtYKDuaf+l"
    "cfuHd5JH+PP1A16gRYLkZyuo9Dn5mnfBEfwaSIdhHMrjEOJL6BPE+spkRaSj0T4VEt/6Kj"
    "Cv+io7x/UVLRzGG9LFo5JapeEMSWmpDqOBghHObsWmHYM6LaQCyPpTA/zlPPNRFZLVdOVl"
    "aPtGwjLYlR+B+ujT/D2Q0yXS9toCzs0K0yDfNSZs9h8Gl9FyImBahUHHwIXMqCKYH0wMMD"
    "r+T18AB2mLH2nzfMKuuhgE7rLsBU5fboX5FUgUG4jQes4U700mXMJLKGHdQhQwflXOggok"
    "IVQeksFcGjaFh6UkgJTbf1jKMehc8SmtUJEQUhPtqvY0+nvcp5/n7Ooh6lSyjQUcs9jZIy"
    "a/kZrWY/+J9hgE0GJRgEtuPbmLxmz/uboEFBWvcjHdpR/kGopXlJwtM+Ds+SJX8KiFqmRy"
    "VTGw+NbAWhegf5nxFd2f1FHp9n2x9RPoXAeMgO390A+yfgmXWh9AgMXJ/SKGQR5qwNMXmm"
    "EpRGUk7lO7PiE/ymH1CYPyhV0SdbcmatbEL6BH9TJ/gvVMpJutVW/VpOPxvk2DbHwmESCR"
    "n1rOdt5N4ghL6SUaKUl67hObnNHQAdtrucN1euXdf92PBkDvAE+uaIKhX0qQiOBeZzkag+"
    "08xPaewbxMYmMmJiKrRmFEprmAuPjuf18sRV6yJ5ffAh28GHjoGo93FtpxlF8hiIj8OzwC"
    "Ou1yk2oIRt3WWmk0W3pUYTFpBlTMjjKwLC/Fdclp8+LSwaXUDgE7IAHFKNCSBojuZhC2x3"
    "zltKGrvrGudZsijgEp1rNUXtKs615lOv9qHWXEJB5Xu/V8f7m/Yq9wjs5TzA9aakN6WNbk"
    "qXccr7ol1p0Vi5LYWpfiapzss2p/JhL7aax9mSwmCHdU3lP4udvLVUKvNhENgNkjJ6P6i3"
    "Hwxca2aMIBmJAJ0SUhDpVoo5P4r6Rz2q6kfSfFjm0HMnhjDGaSn1jLEt4Ox6pnBM20JIx7"
    "OJFWEWOyVz13ColHoetxJf4ppUefRW0oQyogqqQtur+uTNsMQNPFNs751LKLj5thBlaPpi"
    "Vpu5gILwtlAGV3tjKmax0Ym2N2djyFnBdKJtnWhbSthbTbSdgqzAEJuFdJktFmf713Kw9p"
    "BpT22EfeBi7vdsjiDGyOEFVNnf3IIH3CGAtJ096FfuCR1WPAOe+wx2aE92iUe/5Y4O23jI"
    "PQ5r0+4CE3qejQhvigoHzgB3luvSayy6jsoSOCPgeeTybN7Po1JHbW1dfkHr8pj+LBHGGv"
    "dXkLA2rw9E35vQOe5CREGIG07iNV/gRBBOCSmIcSsm+582sdFt/+ruBDDfznrVcqnEx/NP"
    "n9gFMranU1kSIElcYVXVoCZdhE0XYZMCfXVtQ2FFoFArETMRFUgqVEC6MV/9uaeRGLpZMQ"
    "1tHlpt19R2za2xaxauCQ0gm3J73K71oC642bVwOcDJvakBjHnJwKv53dREuWA/F7XQt2l1"
    "DleQAnPzfGkptzPPQ93my1mzLr/a/vqC9tf4EEFEOUzK6OCapearEC6OkDDIsdQGTVfxPz"
    "eCdvOOkfPVao2UIlX3aMkeotKEn8Mnml4kJ6ie8alFtKejQk5cA+65pHp4N7/AvFBAqtQo"
    "t1FlGE7yAJcnooz7bz4J5cs4/7aSbpJMkWnDGKzaTropKfWKErWR7YxCxmz+zKovlG81Ly"
    "lH1lX2WGWyrm44RExmctj89smxCvMUiZ6UZUR1zh2Zgz1Cg1iUH1rkY8oJNvJRKW1hCCEb"
    "uAFe5QA6L62/LJm/rLj+hbFS9YFiaa2SLP/KOHIrlCLIyqmHdSvlCNwn5FkBihzcKeUN/d"
    "tra9zF4uqBv1/Hm2m/3JlpX/syaV+mE52PSr1RL2ATovmoip0C1owaE3MIkG0ylEaNFfqo"
    "rAmViH/KVgL1csGIWwNXq34h3L/+EhECuaNB3j8k1aFbGY8Y+upPEn3b9BP5kojs4NlJo4"
    "LJbBv6KuREoqupsLZNVFMZo5kIh4+6K+dj0kr+OPZhCmAbdVcwAK15mzWc2mLQ2opCe1hn"
    "3h6WT9vD/Kz1HoUOwOL++px3jQMueeNWFVuTPTQUg3io5CniuzrhpO/Kw0nf5cJJdUiwSE"
    "jw5fntLft7YrNa7Z1Vvo7GA4Knnu16tl/ABytTWCbFdBJLgSSWFoKWYxc5CFYb95Jy+lxQ"
    "Hkte3oAb6b8Fq2KpdpsU0YWicnlfM1YFwS+nQHwztvFNbvQqfUC8sBfyPLEcmmkp9c4XW8"
    "n5S0ctijGpq/gtJNZS/SSDetOanz7aLZ/123nIV+dol5eGFB/yhJhmfjJvXProXrWvuoGj"
    "+zaPDT/ZU8SVwoITw3lbd3ny0mmy79LEpXcjBLgPOGE5Q1kCUX4XwIaxG1YefLb9EWCM22"
    "HxEbxSIQwsG2ET8TSgEFiBx0+I89UOm7+9DnaXMdhdhkhsiQ4jWwrxEDrVWUjoc5012L3m"
    "AZoHbJQH3AQOogsnLvYdSrRWcgGP9mMBP7im11Cnz/N9hxLAd+m2y27RBWM09VlycUTbT1"
    "jq7y79P4S7YIDY1XCL5mWKd9gPAf8L6LOokrObJwPNP+Ie32NGMRzo0bXOB7YF7DCDObsz"
    "IMh/RQC9r03orzwBU881ESGUZZjuZArprW2fvYiFTNvir+Qh1mI7qA2uoX2iWNsmfKL47B"
    "eL4UmIqHcQ33zgDjRjl9DaHjxmiaupCk48uu7Uls3fcGsR4dMLCW0sX51O831cBPa5gEZ9"
    "ddQH0DfFaiDHAuqdvbXgyiqsGmqVUC6VsOzARyKV8Ia/VqE+yJq6y5TB+uZgXv4V+4BqY0"
    "xtig23YzR7dj0r0tlszNWsh4foMnl4AEOqNzE9bgJ22CJUoAE2f/s1VDQZlASJbJZNcaxy"
    "rWzgWgWuiRWMK+qv7ZdrbP0IMyBEq5onpDboERpP/q11CI1NTWK2n6SUSiUANlyRJ7a3D4"
    "Ti4dJSWneuoTvrIxHV+O8WHInc+tAvI8C8bSkDNkjcbSkN/oS8iIjG5VXZGYQFZ2DnbGRj"
    "COgTsUV/F7ij83T3BIxsn3SBh6YOK6HKDieoKN0pLfcZ86JxJE+G23pIASX+Qj8uvr4lCG"
    "xclfKrPtKQZzcrJ8/RAOZX25IQE1hInZNL7BYurxWosiUyy8YkUPBeej9qO1G6robb9kEQ"
    "W/Xz+JauunF3HXqUV874ximAZUJCw5mFkwTTqYfi4NeaiKaFNKiFxe5ehmT/gSEmzyzY+Z"
    "8BIhEQObpd0KuSeAfz/sa3pIA01a40g90Ug9VcoXWuQB/HjlWgqG9OVk5JsGvldD2uSOp6"
    "nM/q6mK/MOXLHfpesqYkRJRAucrC1f/rrvo8Y27guri++j3unj3kyASQu94EOvZ/imhHOe"
    "ppKQ38CsDL7eWw0e10O428kjs5fEaO6U7QdeCz/xRxz0yPSt75HPY13ETnpWbfzyPogwEy"
    "6WOZW0IYnhbe6CSyt4bpfsDOFBIf9PYA2e0C6LAJMTNYD7BzuL93tL/bzZl7m7z5PaZTMn"
    "akYBffHdOu2OX58LsgzFGkXdi3mS2P6Y8XoXBxfyX2trZ5snj50taLlSplFl6jTmxT5WHl"
    "ntKtWeKFK6lk5dSb3gd1FL+Dcr3vIKf2JUhFXZgTIgpO5+ZXaOR5xTO5lH4kJFayK8s2hx"
    "s212v1TatvG1DfmAmmU6678eZuHcXNj3su1dpOAUbPvzC7Gu0Wq1S/cv/xCYUX8Fq6Q9sE"
    "O7GfTaglER8Oh7tgCm0PPLOCqzmVrdE7F7rlZHffiPSs5ZPzsyhoraU00VRqc1RKa2Jt13"
    "z/LnQ8EfdXgqRu3kRON4rRBOEij52KENe0mBzVx9nzlKk+rj3WVWPDknusn9I9yhwVEeGo"
    "pZIDw0UfafxkNKtck1VG8a4iVCchosR+nCY7vaOjGmyH9iqlO7xNV+wqKWFcr4ZxVRHj+v"
    "4u5eSm3N9Fx/EuozAvupn9+H/JCVXB"
)
