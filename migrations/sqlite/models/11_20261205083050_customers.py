from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "contact_sync" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "staff" JSON NOT NULL,
    "chunk" INT NOT NULL,
    "cursor" VARCHAR(256) NOT NULL,
    "contacts" INT NOT NULL,
    "calls" INT NOT NULL,
    "error" VARCHAR(200),
    "started_at" TIMESTAMP NOT NULL,
    "finished_at" TIMESTAMP
) /* One run of the contact sync (batch get_by_user over every follow user), resumable: */;
        CREATE TABLE IF NOT EXISTS "contact_way" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "state" VARCHAR(30) NOT NULL UNIQUE,
    "config_id" VARCHAR(64) NOT NULL UNIQUE,
    "type" INT NOT NULL,
    "scene" INT NOT NULL,
    "style" INT,
    "users" JSON NOT NULL,
    "skip_verify" INT NOT NULL,
    "remark" VARCHAR(30) NOT NULL,
    "qr_code" VARCHAR(512) NOT NULL,
    "tags" JSON NOT NULL,
    "remark_template" VARCHAR(64),
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* A 「联系我」 made through the API; its ``state`` is also a ChannelCode (statistics, */;
        CREATE TABLE IF NOT EXISTS "corp_tag" (
    "tag_id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(30) NOT NULL,
    "group_id" VARCHAR(64) NOT NULL,
    "group_name" VARCHAR(30) NOT NULL,
    "order" BIGINT NOT NULL,
    "group_order" BIGINT NOT NULL,
    "created_at" TIMESTAMP,
    "synced_at" TIMESTAMP NOT NULL
) /* WeCom's corp tags (企业标签) as last read, with their group. */;
CREATE INDEX IF NOT EXISTS "idx_corp_tag_group_i_a439dd" ON "corp_tag" ("group_id");
        CREATE TABLE IF NOT EXISTS "customer" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "external_userid" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(64) NOT NULL,
    "type" INT NOT NULL,
    "corp_name" VARCHAR(64) NOT NULL,
    "gender" INT NOT NULL,
    "avatar" VARCHAR(512) NOT NULL,
    "unionid" VARCHAR(64),
    "phone" VARCHAR(32),
    "is_contact" INT NOT NULL,
    "via_kefu" INT NOT NULL,
    "first_seen_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* One person: their WeChat identity (external_userid, shared by 客户联系 and 微信客服) */;
CREATE INDEX IF NOT EXISTS "idx_customer_updated_8982c5" ON "customer" ("updated_at");
        CREATE TABLE IF NOT EXISTS "media_asset" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "filename" VARCHAR(128) NOT NULL,
    "content_type" VARCHAR(64) NOT NULL,
    "size" INT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "storage_key" VARCHAR(128) NOT NULL UNIQUE,
    "media_id" VARCHAR(128),
    "media_expires_at" TIMESTAMP,
    "uploads" INT NOT NULL,
    "image_url" VARCHAR(512),
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* A file of the media library (素材库): its bytes in the MediaStore, the temporary */;
        CREATE TABLE IF NOT EXISTS "customer_follow" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "userid" VARCHAR(64) NOT NULL,
    "remark" VARCHAR(64) NOT NULL,
    "description" VARCHAR(160) NOT NULL,
    "add_time" TIMESTAMP,
    "state" VARCHAR(30) NOT NULL,
    "add_way" INT,
    "status" VARCHAR(20) NOT NULL,
    "removed_at" TIMESTAMP,
    "synced_at" TIMESTAMP,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_customer_fo_custome_f1dcfd" UNIQUE ("customer_id", "userid")
) /* A staff member who has the customer as an external contact (follow_user). */;
CREATE INDEX IF NOT EXISTS "idx_customer_fo_userid_694c2c" ON "customer_follow" ("userid");
CREATE INDEX IF NOT EXISTS "idx_customer_fo_state_36a673" ON "customer_follow" ("state");
        CREATE TABLE IF NOT EXISTS "customer_tag" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "tag_id" VARCHAR(64) NOT NULL,
    "cause" VARCHAR(96) NOT NULL,
    "marked" INT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_customer_ta_custome_72ddc5" UNIQUE ("customer_id", "tag_id")
) /* A corp tag the customer has now, and the first application that gave it. */;
CREATE INDEX IF NOT EXISTS "idx_customer_ta_tag_id_175bd8" ON "customer_tag" ("tag_id");
        CREATE TABLE IF NOT EXISTS "tag_event" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "tag_id" VARCHAR(64) NOT NULL,
    "tag_name" VARCHAR(64) NOT NULL,
    "action" VARCHAR(8) NOT NULL,
    "cause" VARCHAR(96) NOT NULL,
    "outcome" VARCHAR(200) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
) /* Every application or removal of a tag, with its cause and WeCom's answer. */;
CREATE INDEX IF NOT EXISTS "idx_tag_event_at_c6d2bb" ON "tag_event" ("at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    # Tables that reference customer go first.
    return """
        DROP TABLE IF EXISTS "contact_sync";
        DROP TABLE IF EXISTS "customer_tag";
        DROP TABLE IF EXISTS "customer_follow";
        DROP TABLE IF EXISTS "tag_event";
        DROP TABLE IF EXISTS "contact_way";
        DROP TABLE IF EXISTS "customer";
        DROP TABLE IF EXISTS "corp_tag";
        DROP TABLE IF EXISTS "media_asset";"""


MODELS_STATE = (
    "eJztXWtz47bV/isYfVn7HWXHlu29OG1nvF4ldddrb20nm2mUoSESklBToEKQ1rpt/vsLgB"
    "fxLkImZYjBTJvEJA5IPQCBc55zwX97c8dCNn19tsCf0FPvFPy3R+Acsf/I3OmDHlwsVtf5"
    "BQ+ObdEULrDxEDYaU8+FpscuT6BNEbtkIWq6eOFhh/DGZwQMb74ATDw0dSG/+ooCJn0KvB"
    "kCFmS9QorAzLEtChxiPwEIZpDOwB5FCIwd77XjWsilr5G72H/Nn2k5JnsoJtN2uvcJ/t1H"
    "hudMEevCZQ/59Td2GRMLfUM0+nPxYEwwsq0UhtjiHYjrhve0ENcuiPeDaMjffGyYju3Pya"
    "rx4smbOSRuzX4HvzpFBLFfg3j3nutzWIlv2+EAREgHb7pqErxiQsZCE+jbfHC4dPACq2s9"
    "w7i6vjNuh3eG0csNXCSRADu8ZDqEDzp7VSp+/ZS/wneDw+O3x++O3hy/Y03Ea8ZX3v4RPH"
    "oFTCAo4Lm66/0h7rOhCloIjFegin/nYD2fQbcY16h9Bln2yllkIxzVhXYOvxk2IlNvxv58"
    "c1yB489nN+d/P7vZe3O8zx/osI8y+FivwjsDcYtDvYKWfSdG0ZwtB3cl0Tl4jw9qwHt8UA"
    "ovv5WGlyLTRZ7BlxsZjDNizQAdXVghvVqvOzCTGWIcDAN6eaQ/sjsenqNitNOSGbCtUPR1"
    "9B+7CD37gdY12/nCr6sC+ruLz8Pbu7PPX/jj5pT+bgv8zu6G/M5AXH3KXN17kxmmuBPw9e"
    "Lu74D/Cf51fTUU8DrUm7riiat2d//q8XeCvucYxFka0EosBNHVCLXUqNuQeoZPNxr3rGwD"
    "Ix++sioDvyMDHWFSOdIuenQeNhrntKQeZdVGmSvTk4eE5scvjKH5sISuZeTuOAOnrG3+1n"
    "wwz16BBE7FIHE0+Xuu7J47Nk9Ir9gmCu7111lFXtxsnV1UPr7a/tD2hyrQtqy1uY5dAu2Q"
    "+HMB7wV7IUhMlF/XQ1mV1ePe2cfPF1enAFpzTEbk9svw/OLs8uL27hTQBTIxtDH1RuTni+"
    "HX4c0peMRoidwsxVFnaA7f1Biaw+zSvhoafis9NGIlkzZd0lL6C9B2yzOg13aLtlsUHmht"
    "t/ypR1kRu4XtxYQg+5z91SswXZK3+1XWixk0ZBMwbLnesQNG/tHBgTny3x2cHI/8t+ZkPP"
    "LfDA4PxXUL3N8z1c1D9/fgEdo+ApBYwikDzd99TDHvB4SPBdgDXM+zKJg4boGXp91nPcPk"
    "ivCqqyFF7TunGx3Voc+Pyunzo5A+V9UQe2ltqGVF1F9YGyqiaUmtiCq8c4m3V2XjYiAzE/"
    "4WURqMR37vSreo3r6CtgZNNK6xg1E8Jcj6DrPNIeggCBsYu86SIjeMGoDAZbuFMw+3lj1I"
    "wN89b8FnBBNzHjDa74MlAg8ILQp2rsafMSLYoyKI4TW4FZ0D1vkSezPWjbDAwd79/QP7Wv"
    "46CizyUe/+vs/2SA4w2yL548X1VxTwS+KFRiS6xJkVwKC2MaJgOcPsL7Zl2vgR0X3guKyx"
    "6/jTGfiKztkLrx61RKYzzz9qRJi14mIr+NlB5ySgRACkATrsddhd6IGgafR0HZChIiEafm"
    "Mb+LXTcp1TgVoI0GA/SwbiqH0HVZ53NbB9VwrtuyyyqimTXZq1mtTsmi5Zm9SkCJFNSc2E"
    "bAdHfkdGuharib4tMOtug4FOS+phVnqYNXnd1VFWhwPwmIU+fETE6xUzAKv7/TX2P29poL"
    "jpWus/7FzQwlPEkwYWHmeEOTnsYephk37PDFn2KGPi2DYDlRunzKbF3Fy32SgA06eeM0cF"
    "hHXTna+3gX/tBbYzb42+ecgl0DbCS79JGcgf8PTPYiO/HwyOjt4ODo7evDs5fvv25N1BbC"
    "znb1VZzR8ufuSGc+ojXm9JB7NDyn0QS3TQxDsa1HEhDMpdCIMcqx1/EnUBXklsBLBi+1Tb"
    "ll52oZEAukBUI17Dts74aWUWjqRc97BuygG5wlpe792mWbPV7bJbtIVa6u/tEzErtF9xu5"
    "byS6OWa3Xfa4KA6xPgTIRTJuwA8A7A3hh65gwwRdMYP4nVGTiP7B9MtXafQKCtCj/Nfh+w"
    "YfDn/DVOcxpw848YkSVTfYUzimnJ7H8UPiILwInHRSHrcMFw1i4jBV1G2o/Rlh+D25M+lX"
    "LDxRLbQ7fHVgLCMdpRiCeTPML/uL2+KkU4EMgqApgtgP8DPOi/NaD/MvGJKcLdxj62PUzo"
    "a/68v7WFfAXUHKCUEhBhvPf57Jcs/OeX1x+yuzvv4ENO//XJg8QKHbdfv0g3NQYHSi/SCS"
    "h9lzqulBERS2xx6djOmjE4qZNCw1qVrhviXgbhQOkpWJ7L52tCRE/Z3JSFti2FZtReQ5mF"
    "Ermu3McfC3SPOhgc1OEOWKvyj/8gX/3Dg+5mURBpyQ46STtGJyRHfYIJprONhj0jqr2m2m"
    "taRRt9hYUF3BJ3+3VIoyWsW8htXQ7OHFooDg7mnM/Zl4vvAY9VXmXncPemTR0AQSIzCeyt"
    "vKL9HJG0peeOyBLZpjNHgCIbCRNqX6QR3d8zqCZ4amAr6Ij7ck9FvLXje5yNCgKhTdav4w"
    "FksSuOCxjgyONklSakFCSkVAv/7JSPSnx0spSUzoqr55SKFyMpwz0p1DmQm5/BApv6q27U"
    "fHtWpvJLb2I1MNnvlwAzbr89NAe7AqX3VFQwpxzKqP1GUCpmPTQNJvcvFnBJ5bR+LKBp/c"
    "ZpffqAF8YjcvHkKT8kHxzHRpCUzPG0ZGZsxky0rUGJNrztwv/h+voyBf+Hi0zc4dVPnz8M"
    "b/YOxViwRthDxV+Ai+bQLXCmlOsRK4nOOQCa19R+d6WjtBIinQP45LBOeCdrVQqxuJdR1O"
    "BUag2P2uslvPElPFgbDA/NF7ak/Vcg2j0nQ3t5luOCPbPCFkxJdW6Z0ems2pHThCNHF8Tp"
    "2qgX+HUUK4jDzBgqzrD5jCiFwt4t8u/kmvXXOHpiAWOekFjr8Qm7p7y8DPeEcHeHMwEQJL"
    "sMyrowQWjDoMwaQ+IVBTOm2zjuUx9QxER5FK/t0XyiXEvPKPC3/Mrm3zRgQC3sBh6eIDNu"
    "Uy+MTpTj97aVKEeQLaXmrEQ66LRpvuBz8nuTdC2k5LpXIOXwTR1qgLWqQDtHDqyWoEKs19"
    "c/T3Wg8gzv8QrovPz59U93p3x9z+4BdcagjlJfrtPnVHq2ExS7eMrneUJEZbRVWk+8MBc/"
    "DfEd+lYR+xqKdMAsrdKKh7/cVfMvsVJ8eX31Y9Q8S8rk5rScUzgW0FxLjaMqfBtJOt0TIh"
    "rh9QjDiu2wGGD4vP1PaXybr4WwgE+2AwtmcDlbnhB5FmGuGNLbZ8YL0seq2PCi5LGm5vTL"
    "6dHv6qjR78q16Hc5JZopk2PnW+GyXGWbp8Q6FBqxFSN951JPnYftOB6aV6EnENuGZChaSq"
    "ZDc7uxsB+1i3poHn89j698VQ93cQenvULuPrjVr+br3YXhha3WcvQi9+AVBVwK8OgGsDfy"
    "jycHh+yf6BCO/DdsqR/5b8dv0T6AFPBKq4CPez+oGO/NEHbB1HX8RZ6cb7rzZ2RBsKdLml"
    "8rCR3wXGJ86fyIFwkMEx+E5GxOynSPYm+eTQjwkp3GaSk9mWtMZse1UEEeeaX9FYl0Jit/"
    "y5ZXME03QD4jqPHfDH+FIsIUs9Z2xIQoCAXKR4DxUnWb1W9ICmq7UeFBVyr+K6z33SsyHK"
    "N7/UrLMdmqVg3IBXJpGF7FDDVm7vEzuLCFiIe9J7CXqdHbB5RpTsgC4ycw8k/GcMDz8I/e"
    "JjPzRRAXuzmBiJuK6DBu+PbA2s9ZmC/xEiPCby/5U/iJamwmfB/WnKR9YeX2gdgh2b/Ffk"
    "mD00Sh/cBPXSNT4EwmOq9fzbx+BQpSKwZ4y3aW+kTBzuYdKJ+Efqj0IpEMRXLlqYCUkJ6t"
    "6wkXRArN0XJbNBbojBnanJPqkW1wUtX5VhKdm6utJI6yH+oQyaNBViLdizdqfkFYMISkVt"
    "xYoHvoNh/NhakRVnArYACr6iWkBbdYLiG+srP1Eh4xNB7QxJdEPCmm8ZbAe4LdzY8UzQlr"
    "Ik4VIq576bf6LJ5tsK+JlSGg6woW4lDwh083yC7LScuQqj+Iznbw8/8jmvrR1dWMWFchZR"
    "OcwsiljoIUHB36TKgYRPFhpV3BaRs+j/ATrPB8rD7S9f6P8EjVem6QMyCOawFzNB8jFyxn"
    "DphBGpxZFfbHQ9sgARFBHJ9ltZc4unU/Hz3XaM+FCe1Jh0/yqFftfngh98PWzxtVTTdpOw"
    "tPV6xrE97ka0lgnBHrHNCtFABgWrERGSBS2QgJOR0/pI4xUxA/9MJl0GtsBTtbW5N/BeHJ"
    "FTVVmISETova2WQ+nvL9iLYzawf1DoWqOBOqQH1xHjcitdKSet1Xet1XJW5Uj3FrYxxTDV"
    "JmdEZKHxcRbkQ5DjgPdB7lHxwX4Sn5hJ4E2MlCWdU85g6CXEbOscsuXMbsTnaCMQyCY6jE"
    "Tn52e372cdj742XDm3/kIbW9CqYvaNCvRfRN47brw519F5jO4imsLhkRcKIHntaajCR+O4"
    "HH+31x0BeYuPxsLx73i4w4RNTkwcMBYZzn/Vp90jMCjnlXsucGrUR0LGwJfbLLSbTbIlAG"
    "dY5kZ63KCZRB7lh2Z0mKtoVyeGOBzuHbPBMY+Cz4uSpUkgzMS2q41xOvmM4xpaiokFFVaF"
    "FKTscWScQWBYmYGzGwGVFtqKlsqCljjKtmUugwomivaig8Rtgtn0WPOzgdXjT8IwndOstw"
    "hXBd+9CYr0TWmYnleBUGYMT2p46+0NEXhR/x7tu3O5SQqPzcXWH5bweTjbTPlKDWPdVRQ/"
    "K6pxgq2eOP00LaVV3sqlYrruLFmIgW8srII/YcKV4tIdI5gJvfRG008TYwRxNietFXedH/"
    "3cee9KKfFtKLflnJO/VqZm4X1BbWpgrfe2zdNuR4jz27OwZ7Xe97cr6p6Hovq0qdzu+qQa"
    "vUrk59FpeOTqe98DwYtoD2g8pa7I7I1gXs0TY2gyMePe74nsJHFJXayuTWNNfx2tSasJK0"
    "Jndektx5+QLg3SZ3TOhTuQJJkUAHt9b3dc7yeF9+lsf73FkePAtJ2r27EtK+XQnfrj7iY9"
    "e9fHUqROgQXB2Cq6ARoHAI7jA+QL1XYAYk7lZaASjdrlGP6nM0bH0aO7+nT2N/AXVRn8a+"
    "TaxbSMZ2FogYDxM5+zIl1L2ahc2bmAoU5/6TIf4CKR9/NoQjdU+6vnRWUKNdp/4LpHIb4k"
    "pC6x019A59zH3bU1gcLWIQR0rTSMhojNdjXFXMYkj8eY6tePnCFlyZ7MnB3bv+Mrw6BVxy"
    "RM4vzy4+Dz+eAtOGeI6sEbkZ3l5f/swvuYg69mNAJL/8EsMUuEdssvksrwUWiOrPYf3nwH"
    "6kL+17WAlp34OE74E4HmaP2CTjKCOqw7xUDvNy0TNGOiesx1rpsYaYsqHypHS2lJDepWrY"
    "dgFgG3xNSUH9Jan8JYXKqTEuqNxXQZWkpPS3VIOVChHb4IDilKT+mlT+miK7TvJzyojp76"
    "kO7xhCtomulxLVX5TKX5RCB7sr5oTd9VGWqA/RZgiOSIG4YsafiXoFMTjJ2/2qIJyAEQ4S"
    "Dsiqfa1Dv0UdrO/Y+E6wy7Z6EFShG/knR9Yh8CB9ABPHzVWu6wPTgTbrjc0SdtOCT68omG"
    "N2xXMIKiqD1+qjioP2V75LJqQD9l80YF+FcoMdV0usogroFec0FJY/7wK0h7VigipCgnIR"
    "QTvoQmKPt5HpcdTkQO+dX19eDs/vLq5+PAWrXkbk/GbI9mvuVAq0mxH5OLy8+Hl4w6+xPQ"
    "k/Ipdf/eHs4pJfmkC2SCviZrLY7iCvxq2ktAqnmgqX8qL73tj5Vri9VMUBp8Q6lGa9lYDg"
    "hLZKp3IbeyygyYYa0QuI/S6pChwrCY1vHTJnzn9ZUd2/0oUjJbO9pKEDpXX/HKTFxMk/bq"
    "+vKlEtY02w6YH/ARvTHVyYK+DjeKT22Wiy7n0++yU7j88vrz9kN1DewYds3AH65hnmDJkP"
    "m0QeZIW3wlJq3WfDkraIbFJBKCGmSWiVx9dCHrOjpAz7WKJ7+//goN4xXFXncOWs+93i+b"
    "eLfnczxgPSXIrsTYroXPH1ueICrzy+0oni11E/OwZv3Szx5LySTRHPBpsGdY2eWcX8KtHV"
    "7m0ZZbC3Wr1cOOu+Itt05ugOzRc29Mqdetl2/SrvXuDXWwYihpeUqVFyKzhoKpQG4euDGX"
    "KRqIoVHGwAPAd8RefO/BUFxY8rKrrVZNcNp/9rf90z/XUve1pVBw8GS9QuY/Z1Hto7drUY"
    "2qh9Jzx1VQrk8Je7aiYk1h8vr69+jJpn6ZFs9ScPmrM5IlJUVFpKM1GbM1GYxr8hr5FUZR"
    "ylBXXWkUTWUbSxylZITIt1jzxowTmjynlSiuG+IzRBLQLOX1gbskNpSc0OKTzssqeGtWlJ"
    "XpCx823ID/ntFdiPibv9KqsR83YGihvWCgaFpokWbPoBE9o2/zV9QD3HZRfGaML+HVhygN"
    "loFGD2/8HBAdgjjjcTsZnmAwPTRha3AjEFNhuR/eJI0Jaes96I/DURjOUiE+EwFp81+7Xn"
    "zfh8Frtr0Og3KZtTl5zj97ZRco7PegnFJmzeCfup7RNfLGT5C2Q8ILlY0pRU5ziAd3WcTu"
    "/KfU7vci6nybxAmyjHN2zewRlc5yjw8oPAc8eAi/0uAEgC3rRU96okNl/AnCusBlMwpAuJ"
    "pAW1WS9h1jPjnD1QkjxMCXVi/dg2g7iDsf8LRKwNAv+/DK8+iqj/UH5EPjLj6hRYDkFqhv"
    "VDj5NWnkzsZlJEh25m1xgbUs9Arit35l9aqnvE4UmtqKOTiqijk3zUUdL8zGG9Los8Jdq9"
    "5JQdJZbqhB0hEtRS22DYM6KaNlaHP8yP88J1TEQ3q2GUldUjrfJIr2jD2p62WKJ7e+XhoI"
    "5Jz1qVq3mDd4VHUb4MG/8PB5Ov8OkGmY6b5oALG/SrOHlxmvcyyLuuH7vFpQCTivJugcMM"
    "Daaju+D+XhxmfX8P9jhL/s8bToe7yGcrRx8Q9MiaMFUhkCpg4tt4wDPiuF76JG+FCMejOv"
    "rmUbm6eRRqmxX1GHgVDtkzFFNCnSATWi+26zL4LKlZnRDpIMQnh3VcFqxVuSl1mHNahJVC"
    "CmiA8hCvpMyzArw2o2j+MvGJKU6gHfvY9jChr/nz/ibJ2Sgb96Vzaso/iG4Zt4roaZ8m58"
    "nTrgoUtUyLSk3tYWJkD8+qF0HxFZ3zE6XjElZL7M2YPoXAw4RHPTg+8U7Bkjfh51GPHY+p"
    "UciiPEoeErpkEkyNZDqVZz8Vh040/YDC0lmpw6yypy09q5CWDpLYVpDEC51iptxq2/1jzP"
    "5skBNsPkjnpyRkuke6tFF2hlL2SkaJUV66hufktudjO253OW/Mx6aPvNn2ZPbJHHrmjBkV"
    "7KkIPkjM5yJR7TbOT2niGRQTExnl54NXrBmF0hrmQu98fFSkvGldJK99Syr7lnTySfnHtZ"
    "s0iuLJJ58m575LHbdXTKAE9/rrqJNVs7WkCc+EM+Z0+oqCoPCYkBXepxWj0QcUPiILwAmz"
    "mACC5izOF+G7c54paazXZ/izVDHAFfJrNaXaVfi14qlX26kVS3TQ+G7MG683Jb0pveCmFB"
    "bMKd6VopvrtqVlot3afeluhsADmvhxfZs9HkUvCtvMEfH3gTPJ0O59wHYYdpWHRTxFF8He"
    "/f3/3d8XRF+08QC9W+3WblWczVFVoqFDiRxbiLHmH1Ie3/KggKi9DghIbUpNBARopUErDV"
    "tVGj4jC8MzSlFhGYXE3Uq1Yc7bGTBuWCNqc4JtxLdp7n8X4mzhGLuQbdl7I/+tNTgY+W/e"
    "nrB/nqD3R/unosDB+MlDFGAihMS73XJLtC/+5glLDu8gp0O0+bARCX47tqJqDMxYZvJg74"
    "gfwkX3uarSF0d2Ldj66LNJ0weQm9hsSBBTTPyF7UALz6fgp5tLXeRPwSJ/D+xnyagfUfsO"
    "qh8N56Hzz1LWRZ2U6SDCrVAR7IneJhn/WbkO4t1CTAD+j1QoQNhcV8ou8pjO4ODkjZTvP5"
    "bQk7XOZGUqDVMMZSvZZMQ6x2m0sgpHiqIM0EmZ7sWwtAgz+rbATNfewJAuktfuf3Ws5yL3"
    "PzehZMpbJCR0/Ex208VzvrT7rtRxOimh7q1U7SRkhTk8Y6m9Ny21xXo5bXGsbes4OsmqHP"
    "rd5FQVT7L6jG3ENGRS6Ihd3exXMarBYTfzVON1rGr5sBenL0XnBQWF/Z6bs6R5xmfyjPEw"
    "SGwGSZkOGrytGAhjx3oyZpDOZIBOCXUQ6TaoBbY6ypEKoUAH4W2+BPHEdeaGNMZpqe7p6S"
    "3g7LimdP3WlZCu3SpRu5U4cqVtovbdm8etxPk4pum77kaWUEa0g6bQjpg+tQgx6viuKbf3"
    "xhId3HxbqKhrenLh87FAB+HVjI1mbPRR0+pwDDkWTB81rY+aVhL2Vo+aTkFWQMRmIV3HxZ"
    "Js+1qVrlxk4gXmgZ4OEYkq5gwSgmwREcr/Fgwej02F7D5/0PciwNTxvbHzDbjOEuyxlvyS"
    "KEPaywDeykNGhP9YE+0DE7ouRlTcYrhgkVMjqpbwOFhe5pTJUvhEwXLmiKyc5ay0YpZml3"
    "UUqwoKa/P2QPi9SblxVyIdhLjhQOF4gZNBOCXUQYxboez/tIf43A6v7k4BL7IzIh+Hlxc/"
    "D2/4OT7hpoes7NE+TOLTxZcv/AJ9wIsFUuSwn2BPLzSjqqpKpsQ2MqXW65xdrS6ZPBfSY5"
    "NDZpFaSXSPxB7UIrEHFST2IE9ia26oHP3uckPCLDECq0SOIiqQbGl52zmiKBU1HUUayaGb"
    "FdPQ5qHVvKbmNXeG1yxcExpANhX2uFvrQV1ws2vheoCTe1MDGP/Iu7uKe+smygX7uSxD3y"
    "brHKwgBXRzvLSU88xxzdF4OWs25Ffzry/Iv0ZOBBnjMCnTuRzL5umrAC7ZJPe01Bapq+g/"
    "t4J284GR8Wr1jLMdqvpoiQ/p0oSP4ZMtopET7B751CLai1mhTlwD7liye3g3v8C8UK1FpV"
    "FuflZ7CM7zAJcX/4vab7/438sE/7ZS5o8ukIlhBFbtIN2UVFuaSpc2SPSNQcY5f87qSx18"
    "mZdUo9olf2xnql1uOUVMZeWw+e1TYBUcGCPrKcuI6uonKid7BIRYeFCvzMeUE2zko+o0wx"
    "BANnZ8sokDOi+tvyyVv6x/O5gYS/hkbHQMfLG0NknWf2UCuQ3OhM/KdQ/rVsoQOY/ItXwU"
    "BrgzlTeIb69tcReLdw/8wzrRTIflwUyHOpZJxzKd6hr/3Rv1Am1CtsZ/cVDAM7PG5AICVJ"
    "sMpVljhTEqz4RKJj5lJ4F6uWTEnYGr1bgQEV//GVEKRaBBPj4k1aBfmY8YxOrPE23bjBP5"
    "NZHZIY6JhB4//oL/O6gYVzuIpCoBoWNxJFtJPKjI9pOr563reJcq7fn6cfzDlMA2bN7BBL"
    "TmOWu4wHLQ4o5Ce1xn3h6XT9vj/Kx1p1IOsKi99vM+w8Glbt5qx9ZkF03kIJ500ov4vk46"
    "6fvydNL3uXRSnRIskxL8+eL2lv89x5SqkhC8cLHjYq9AH6wsYZkU00UsJYpYWghaNi4KEK"
    "wm95Jy2i+oDpOXJ3BD+1fmwJGkiD5xJFf3NcMqSH45BeLb4ca3udF36QOyIfUM5LpyNTTT"
    "Ut3zL7ZS85eNWphjUtfwW0k8y/RTDOptW37atVs+63fTyVfHtctthQ2GPCGmNT+VNy7tuu"
    "/aV92A675Nt+EXvEDCKCzwGMb3+uuLly6SbdcWLr2bISBiwCmvGcoLiIpeAB/GPkDQnIEl"
    "9maAa9w2z4/g59kD6FsYEROJMqAQWL4rPMSvszRIC93rZHcVk91VyMRWyBnZUoqHlFdnJa"
    "H9Os/Q7rUeoPWAreoBN76N2MJJimOHEncrdQGXteMJP6Rm1FBvKOp9BxLAc9i2y7vogwe0"
    "8HhxccTun/LS3332D0T6YIz41WCLnnhs197jPwT8FbBnMSNnP68MNP+IERkRrmLY0GVrnQ"
    "ewBXBQwZz3DCjyXlHA+sWU/cpTsHAdE1HKtAzTmS8g6xp7/EUsZGJLvJKL+B1sozZ0DR0T"
    "xe9tIyZKzH65HJ6ESPcc8c0n7kAzCgmtHcFjloSadiGIR587tWPzN9haZPTplYQmyzdXp8"
    "U+LgN7LKBR3xz1MfRMuTOQI4Hu+d5aCGWVNg21SaiWSVjm8FHIJLwRr1VoD/Jb/XXGYH06"
    "WBz/SjzArDFuNkXE7QN6WjquFdpsmAgz6/4+vEzv78GE2U3cjpuDPb4IFViAzXf/DBNNBS"
    "NBIc6yKR2r3CobO1ZBaGKFxhW21/zlM7Z+RDgQsqeaJ6S2GBEaTf6dDQiNqCY57icp1aUj"
    "ALZ8Ik/Et4+l8uHSUtp2rmE7a5dI1/TfHXCJ3HrQK1OAxb21GrBBo2Zr1eAvyA0V0eh4Ve"
    "6DsOAT2DufYQIBeyKx2O8Cd2ye7p+CGfZoH7hoYfMjVLlzgomyndJylkQcGkfzynBbDylQ"
    "iX9lH5dY3xIKbHQq5W/apaHOblauPIcDmF9tS1JMYKHqnFxid3B5rUCVL5FZbUwBA++l96"
    "O2C6Xr03DbdgTxVT+Pb+mqGzXXqUd540xsnBJYJiQ0nFk4qb9YuChKfq2JaFpIg1p42N3L"
    "KNlM25xMbhzx9jkte3WzUs2mvJnhOlJ0M0OUCQAuxTRgAK05JmAKH9lf4Cs6d+ZgjuZjHv"
    "2znDmA4imhAT/sOv50FjQp45qb6/sZRLP8YTnPPBpHMf15yzRzNP3yYK+vYhDJqqyZ9M4+"
    "fr64Og0m84jcfhmeX5xdXtzyAgbxsREj8vPF8Ovw5hQ8YrQMPOgvr8tAyj8xaY4uI6by4C"
    "ijmWuSrhx6TdK1oD/cwenwEZFCki6+V6k9eHBqoLhZzYhl1p0dFqgEjgtcNHceoc29yhCw"
    "DvtBfhEzioAJ2bYqODaxrb+i7L8pWxrLApUb6lkHEe8o48ano5zatpLQW1Sd88gYXLLHGS"
    "ZlNMg6UFsW4DoF6crL0eWK0YmVX4r9jAQ6iG3zJekc3zMduQUiIbLFQnS9rQA8qFU2ZlBR"
    "NmaQLxujdvTqVtWO3bQL6lQriY+llcqBz0h1KTapWcY2D3Qe5R8cF+Ep+YSechRUce3980"
    "RXOwbyH9FMytTdZ5dduIwtnewEYxiwX46C6Lrzs9vzs4/D3h8vY87+RAIbDln/9BENAcgZ"
    "tgWt+lUmrh+3N35PCrRZ1F+bl0qal9p13jrdzB7HswygrAWUlesk2LWOOHtTccbZm/whZw"
    "7xCiug36FvZSrGSqQTKFfpjMNf7lLqYi68P1YZL6+vfoyaZ2P+M/VUHXcObfyfIi98Oepp"
    "KQ38BsBrs6mjZpMi7pSvyOY8xnVIZxTonpkWlXrnMmhrJNiR9Q6WrzPogTEy2WO51yOo1h"
    "Z0dBqGHwfV78HeAlIPDA4A3e8DaPMJ8WTwFmDv+PDg5HC/n/OxNNn5iLApGeUV8ovv37Cm"
    "xBHHw/ZBULJfO2N2WVt+YD9eRoWL2ndib2tbT956gJLSBQKa98EwPQy5BNqGPNAFoh2c0q"
    "0FpksfLJ6V6970Pqpj+B2V231HObNvV7w0O7xCI9ctnsml6kdCYiPeXrU53HD0ujbftPm2"
    "BfONUzC9cttN3O7XMdy8qOVaq+0MELT8jvNqrFlkUn0vyqnMGbxBjPAEm2AvSjsNrCQRu7"
    "8PFhC7YIlJQcJqoz0XZqlmd99Q6XlWiuqfxUBrrcK3VqW2p0ppS6zlkMNwGa1LlEftO6Gk"
    "bp8iZxvFbI5IUQJrRcXHtNj2qz/1/jLxiQiCBGMf2x7fsvjz/tbb/sDomvY6N6SGNqx4bs"
    "gZ26PMWZEiHN6p1IHhqo0ycTJaq3ymVhmWf5RRdRIindiPM8G9Jyd1gntPTsqDe/m9zBbM"
    "PioJhMPmHUT3sFbo9GFF6PRhPnS6NN6lXLkpj3fRZS3XqTAvupn98f+zJhp6"
)
