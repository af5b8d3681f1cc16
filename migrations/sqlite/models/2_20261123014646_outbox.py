from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "outbox_message" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(128) NOT NULL UNIQUE,
    "app" VARCHAR(32) NOT NULL,
    "api" VARCHAR(48) NOT NULL,
    "args" JSON NOT NULL,
    "recipient" VARCHAR(128) NOT NULL,
    "ref" VARCHAR(96),
    "status" VARCHAR(16) NOT NULL /* PENDING: pending\nSENT: sent\nDELIVERED: delivered\nFAILED: failed\nMISSED: missed */,
    "priority" INT NOT NULL,
    "deadline" TIMESTAMP,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "last_error" VARCHAR(500),
    "result" JSON,
    "created_at" TIMESTAMP NOT NULL,
    "sent_at" TIMESTAMP,
    "updated_at" TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_outbox_mess_recipie_87eed0" ON "outbox_message" ("recipient");
CREATE INDEX IF NOT EXISTS "idx_outbox_mess_ref_bc8636" ON "outbox_message" ("ref");
CREATE INDEX IF NOT EXISTS "idx_outbox_mess_next_at_9c52b3" ON "outbox_message" ("next_attempt_at");
CREATE INDEX IF NOT EXISTS "idx_outbox_mess_status_4d04e0" ON "outbox_message" ("status", "next_attempt_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "outbox_message";"""


MODELS_STATE = (
    "eJztW1tv2koQ/iuWn1IpJwKHJCRvJHFTHwWIAiep2lTWYg+wir127XUuavvfz+5y8d3BtF"
    "CX+iEizIVdfzNrz3wD32TbMcHyDzouHjqPQOQz6ZtMkA3sn5RuX5KR64YaLqBoZAlj5GKd"
    "Ls1GPvWQQZlijCwfmMgE3/CwS7HDFyGBZXGhYzBDTCahKCD4awDsoyZAp+AxxecvTIyJCS"
    "/gL966j/oYg2XG9otNvraQ6/TVFTKN0PfCkK820g3HCmwSGruvdOqQpTUmlEsnQMBDFPjH"
    "Uy/g2+e7m1/q4opmOw1NZluM+JgwRoFFI5c70kOZrOu9/lAfqENdl0sAZDiEg8u26ourn/"
    "At/KM0Wyet9uFxq81MxDaXkpMfs6VDYGaOAp7eUP4h9IiimYXAOARVvKZgvZgiLxvXhX0C"
    "WbblJLILHKsLrY1edAvIhE7Z2+NWAY53nduLD53bvePWO76gw5J/dix6c40iVBzqEFrPsX"
    "KgVUlgC3g1tiFEDEjBvPD9NTAvBCHO4bFdH2i5c9nVemcSMm1MHsjgRr3QOtfaYHgm+S4Y"
    "GFnYpw/kTlPv1dsz6QnDM4jtlw1N83iF0DSPc0PDVfHQiDuZPkX+tEzux73qE/DmCTA84F"
    "DoiKZhvmQaim3IhjrumYDanLseLP6pzplYHXp2gWafWK/zkBdAP9S66mDY6d7w5Wzf/2oJ"
    "/DpDlWsUIX1NSPeSp2H5IdK9Nvwg8bfSp35PFfA6Pp14YsXQbvhJ5ntCAXV04jzryIxk50"
    "K6QC0WdQv5VA/8teKe9P0FkZ9vuSqB/0MCvcCkMNIePLFb4jpxjnvWUa5alHkRPn6MVIxc"
    "MELG4zPyTD2lcRQnzzatshU7KUEETUSQOJp8n/PeRCMj50V9AkLljM4lot0v6l0wt9Nhaf"
    "hW9yL3CUjIMMBl6SYZyLL41exLPnU8JhjBmL1K93Dh2BJrY3wJsz+l0ZD2iEOnLC2Y8yND"
    "0wKTXZWEfcliIXl3kKx9NrnO233WZ1ayIBoIqDwwAD/NzuOXUg3YOZ78LT3YqaIcHp4ojc"
    "Pj9lHr5OSo3Vg2Y2lVUVd2rl3xxix2oN/u1Hh+lyhW5+ZVbiDWrFMPlRXq1EMlt07lqnid"
    "aoIZuKA/wmsZhONeO9cOtBsrwNxu5MLMVXGYx3ZGnZCP79x8BzO4vQqy+cAmcRVPthlAJe"
    "CNe20K5d+Xv6ersAan+azBaZo1YKWozkoJyHoOOo4FiOQQBzHHBNQj5rmpjF5Ktlvinvf7"
    "17Hq9lxLPO56/3XP1du9pkCfGWEaewqGmLsWXxBeMu4cQybNxjvmtBP3j6J+Qv04jIG9SO"
    "G9bufju1g7cd3vXS3MI7G4uO6fJ2APS8N12MvQe3vgyy4Qk0NYLgLyjdq71HpXZ9Lc/4Fc"
    "sj7qTDIdAg/kfUe7Vi/5etiand7fT14iSsF2aUZ0civxqMvb9fivCkljs/X4T85EEoQVeJ"
    "7jlXl+xr3WSvSKkRbxxD1qrFIAMqvc1BW6xEwk0mimsH6LMoq5bocT3mr5sruUMBAGcLBW"
    "2BOuNVVYNaowVq15jgH+etR/0reOdNUiXRFSuB9Q1kt1Wa4gUQikeOG4wX4RNewIU92O2G"
    "7yuy1RzpWw/kSfF2Y171pd3rUkK7irdGBTWYW1Ylb5nYySYq5qTntjnDZycTlo8Y5C21ol"
    "b1v5adtKZ603yWi+/x30eznYzu2TFQ02qPRd4t+S+gNBLgCVI1HMSCXJp0SBwj8gyUix9g"
    "+7eD7CXTWrY067R3Fv5J7swbgcxOMN8h+7ND74mznVgdrjXwtlJ/GBXKrX2p16y2lVVo/j"
    "J/DATDKtD6SrDQb8vY15T1gN5tX1sONhmlEPFo5/om718KfE8McEZFqYZIw1i6mEqF9NI1"
    "SNRqhnGRucZSRZhZInJ8N994j2XTpA9exqi7Mrn285BXN+4xd6/FTrVzGot9351b8iyc/6"
    "3R0Z8l5hjZBH3OrKr8oPrsA11zzVcc/6VFc47GL3FRkbdsDDxlTO+gX8TLNf+Pv30Kb+8f"
    "vWDsKGf/z+BJ7Pt1Sico647OCsRDk6WqFuZla5dbPQ1UO+bEJypa6kWdCVNNNdCVuRZk5F"
    "8tuSiEs9kirZmPzWh9mP/wHKvzps"
)
