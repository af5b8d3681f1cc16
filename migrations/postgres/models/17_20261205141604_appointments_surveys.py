from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "survey" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(8) NOT NULL,
    "key" VARCHAR(100) NOT NULL UNIQUE,
    "external_userid" VARCHAR(64),
    "customer_name" VARCHAR(64),
    "open_kfid" VARCHAR(64),
    "order_id" INT,
    "order_no" VARCHAR(64),
    "stage" VARCHAR(32) NOT NULL,
    "asked_via" VARCHAR(8) NOT NULL,
    "ask_status" VARCHAR(8) NOT NULL,
    "score" INT,
    "comment" VARCHAR(200),
    "answered_via" VARCHAR(8),
    "answered_at" TIMESTAMPTZ,
    "answer_msgid" VARCHAR(64),
    "comment_until" TIMESTAMPTZ,
    "escalation_id" BIGINT,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_survey_externa_fd135e" ON "survey" ("external_userid");
CREATE INDEX IF NOT EXISTS "idx_survey_order_i_35a5ac" ON "survey" ("order_id");
CREATE INDEX IF NOT EXISTS "idx_survey_answere_7e3cf4" ON "survey" ("answered_at");
CREATE INDEX IF NOT EXISTS "idx_survey_created_f9c277" ON "survey" ("created_at");
        CREATE TABLE IF NOT EXISTS "order_appointment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "stage" VARCHAR(32) NOT NULL,
    "slots" JSONB NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "chosen_at" TIMESTAMPTZ,
    "decided_at" TIMESTAMPTZ,
    "reminded_at" TIMESTAMPTZ,
    "source" VARCHAR(16) NOT NULL,
    "proposed_by" VARCHAR(64) NOT NULL,
    "event_id" VARCHAR(128) UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "order_id" INT NOT NULL REFERENCES "customer_order" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_order_appoi_chosen__62f659" ON "order_appointment" ("chosen_at");
COMMENT ON COLUMN "order_appointment"."status" IS 'PROPOSED: proposed\nCHOSEN: chosen\nDECLINED: declined\nREPLACED: replaced';
COMMENT ON TABLE "order_appointment" IS 'One to three times proposed for a stage that needs an appointment (量尺, 安装), and';
        CREATE TABLE IF NOT EXISTS "survey_person" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "userid" VARCHAR(64) NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "survey_id" BIGINT NOT NULL REFERENCES "survey" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_survey_pers_survey__4dbed6" UNIQUE ("survey_id", "userid", "role")
);
CREATE INDEX IF NOT EXISTS "idx_survey_pers_userid_9914ef" ON "survey_person" ("userid");
COMMENT ON TABLE "survey_person" IS 'Who a survey rates: the session''s servicer, or the order''s specialist, designer and';
        ALTER TABLE "order_notification" ADD "appointment_id" INT;
        CREATE INDEX IF NOT EXISTS "idx_order_notif_appoint_ea38af" ON "order_notification" ("appointment_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_order_notif_appoint_ea38af";
        ALTER TABLE "order_notification" DROP COLUMN "appointment_id";
        DROP TABLE IF EXISTS "order_appointment";
        DROP TABLE IF EXISTS "survey_person";
        DROP TABLE IF EXISTS "survey";"""


MODELS_STATE = (
    "eJztXXtz2za2/yoY/RP7jjbjR5yHu3dnHEfteuvYWdttOrfaoSESsnhNgSpB2vHdzXe/OO"
    "BDfIuQSRliMdMmEXkOKP0AAud9/j2YuxZx2OuThf0zeRoco38PKJ4T/o/cnSEa4MVieR0u"
    "+HjiCFK8sI37iGjCfA+bPr88xQ4j/JJFmOnZC992KRCfUDS6+oJs6pM7D8PVVwxx7mPkzw"
    "iyMB8VM4JmrmMx5FLnCWE0w2yGdhghaOL6r13PIh57TbzF7mt4puWa/KE2vetm+IDafwTE"
    "8N07wofw+EN+/xe/bFOLfCMs/ri4N6Y2cawMhrYFA4jrhv+0ENfOqP+jIIRvPjFM1wnmdE"
    "m8ePJnLk2o+e+Aq3eEEv5rCAzvewHASgPHiSYgRjr8pkuS8CumeCwyxYEDkwPc4RdYXhsY"
    "xsXljXE9ujGMQWHiYo4U2NEl06Uw6fyrMvHr7+Ar/OVg/827N+8P3755z0nE10yuvPsePn"
    "oJTMgo4Lm4GXwX9/lUhRQC4yWo4u8CrKcz7JXjGtPnkOVfOY9sjKO60M7xN8Mh9M6f8Y9v"
    "39Tg+OvJ1enfT6523r7ZhQe6/KUMX9aL6M6BuAVQL6Hl74lRtmarwV1y9A7eN3sN4H2zVw"
    "kv3MrCy4jpEd+A7UYG4xxbO0DHF5ZIL/frHqxkjhiAYWC/iPQnfse356Qc7SxnDmwrYn0d"
    "/2Mboec/0LrkJ1/0dtVAf3P2eXR9c/L5CzxuztgfjsDv5GYEdw7E1afc1Z23uWlKBkFfz2"
    "7+juAj+p/Li5GA12X+nSeeuKS7+Z8BfCcc+K5B3UcDW6mNIL4ao5aZdQcz3wjYWvOe521h"
    "5qOvrMrEb8lEx5jUzrRHHtz7teY5y6lnWbVZBmF6ep+S/ODCBJv3j9izjMId98Ctoi3emh"
    "/M81cwxXdikgBN+J5LveeGrxM6KNeJwnvDVVqRn5Ct0ouq51frH1r/UAXajqU2z3UqoB3R"
    "YC7gPeNfCFOTFPf1iFdl8Xhw8unz2cUxwtbcpmN6/WV0enZyfnZ9c4zYgpg2dmzmj+mvZ6"
    "Ovo6tj9GCTR+LlTRxNpmb/bYOp2c9v7cupgVvZqRE7mbTqkuXSb4DWW54BvdZbtN6i8ERr"
    "veVPPcvK6C0Ll0M6J9QflKouy9vDOu1FeEEMnCNf6d25pAT5LvJnHuH/4AuRoYXncnyJha"
    "auhzDi4tsdvzXDPqKEWAxhilKPQTvj4MO+OR0HR+YhHiL+9+T9h3Hw/r15tDvkxFbB5bOB"
    "Z47pIzCDC8kMmO/OiYfm2CLIncLFuXYUKaioiVmXMrTHDCrrEGuKqocHDUTVw4NKURVu5b"
    "wZjuuzIrz/uL68qIA3ZsgfXrbpo/8g0H22EOYaWAGKzJEVw7nz+eS3PNKn55cf82cRDPAx"
    "D7uP/aAE92Za8pJ7c2t8EO/GA7kpGHy5uvxyeT36dJzs52N6+nd+havQ5ox/5jr0p9Hp+d"
    "kF0FjEdGwKNFejL+cnp3DNIwsHm6RwZryMDh1+53V0uzTjRkS/TZ4D2y75paeYL0LbWku+"
    "z3Jq+V7lWfbIHFBcT43LsOp5VnmemRt4ppwImXD0UIZs/0SMz3Vj8iSDco6th1C3b1kmD1"
    "zTlYzuSvOsBXJ+b1LIdr9/8L7Jaj54X72c4Z4232vzfWgrk7LhpFlWW3K2YXpbMOYUTKg5"
    "iIv4/uh6xL6jP5OngtqbQzWyf17G42wZvN/jBRRfXS5NDz8mFsXMuuK/nv9m4oeb/Mn16c"
    "mn0eD7y5il+RlDKXFO+adBiVk6fXtYZ5Y2Q0IORES5Ot8AjYPDvT1zHLzfO3ozDt6Z08k4"
    "eHuwvy+uW+j2Fowi5PYWPWAnIGDuFYZebP4R2MyGcVD0WGT7YEumFgPDcknyQbfPeoaBOc"
    "ar6ckf0/fOZX/YJKr7sDqq+zCK6lY1Puilj4GOpdhgYa0pYGU5tYClioBVooiLb6+IP/WU"
    "g+w65JowFs5H8ezKUtQfXyGtwVLEDU4wxmUcYv3F5odDOECYzTbx3EdGvCiZDSOPnxbuPD"
    "padjBFf/f9BawIzube22R3iB4JuidkUXJytf6MMbV9JnLrXqNrMTjigz/a/owPIwLD0M7t"
    "7T1/W/57HAaKjQe3t0N+RgLA/IiEx4vrrxiCS+ILjWl8CQL+wIvr2IShx5nNP/Ej07EfCN"
    "tFrgf+YDe4m6Gv5JR/4eWjHonpzouPGtOA/07bCn92ODgNI/UQZiE6oZsZ+ygkjZ+u8wSV"
    "dP+G79ga6VZZvt6JQB3kDdpULmswou+hyNPEqFRtUioYlFQTJvu0arWxrm+yZONYW0bW8s"
    "PneXs481sy043cd+TbwubDrTHRWU49zUpPs46p7ussq2MD8LmGPnqoCKrO3B+u0P+B0iAP"
    "jSOqo8GFWfiOQC2bhS/CmsGSbDPfNtkPXJHljzKmruNwUEE55TqtDeq6w2chCVkuGqzbHn"
    "y1Dvz7INSdgZp884lHsWNEl/4lpSB/tO/+LDryh4ODw8N3B3uHb98fvXn37uj9XqIsF2/V"
    "ac0fz34CxTnzEq/WpMPVIeU+SDh6qOK1H0q9fCWaArzkaCUuQyl8O4h9yW00EkCXsGrEG+"
    "jWOT+tzMaR5usf1m05IJdYy8u9m1RrNnpc9stsoZb4e/1EzRrpV9xuJPyymLJRNqEX0CjL"
    "DkUDIBgA7Uywb84QFzSNyZPYnZH7wP/gorX3hEJpVfhpdoeIT0Mwh69xXJCA238E5AoSTz"
    "ijuJTM/2P4gVgIT31gxXzABcdZu4wUdBlpP0ZXfoy6rLXKZMzNZ6rxnYACRlsK8XRaRLgm"
    "HzNm2Hw+5uCv04CaItxtEtiOb1P2Gp73t66Q33SWpjkL6L3EDp3Qby4YeE/pTToFZeAxty"
    "T2t0aJSDg2uHVsZs84OGqSg8OpKvcNcS+HcCj0lGzP1es1xaKXbGHJYseRQjOm11DmoSSe"
    "J/fyJwz9Mx0c7DWxHXCq6pd/r1iU2sfeelEQWc4eOkl7Zk5Iz/rUpjabrTXtOVbtNdVe0z"
    "qz0Vdc2lckdXfYxGj0iJv2F1mVgyPqNsXBwWDzOfly9gOCWOVldg64Nx3mIoxSmUloZ+kV"
    "HRYMSRt67pg+Esd05wQx4hChQu2KNKLbWw7V1L4zbCscCHy5xyLe2g18sEaFgdAmH9f1Eb"
    "H4FddDYYYYv60NUgoapFQL/+yVj0q8dLImKZ0V18wplWxGUop7mql3ILe/ggU2zXfdmFwn"
    "nJcomszkv18CzIR+c2gebAuU/lNZHfdqKGP6taBUTHtoG0zwL0qVWUwYtFm/dbM+u7cXxg"
    "Px7GlJvaKPrusQTCvWeJYzNzcTztrVpMQH3mbh/3h5eZ6B/+NZLu7w4pfPH0dXO/tiLjiR"
    "HRaqKL4BHpljr8SZUi1HLDl65wBoX1L7w5OO0kqx9A7go/0m4Z2cqhJicS8nqOE7qT08pt"
    "dbeOtbeLg3GD6ZLxxJ/a+EtX9Ohu7yLOVq/GW5erfN6HRW7chpw5GjC+L0bdZL/DqKFcTh"
    "agwTrdU/E8aw0HfL/DsFsuEKR0/CYMxTHCs9PtHwDMrLgCcE3B3uFGGUHjIs68IZsYPDMm"
    "sciVcMzbhs43pPQ8QIZ4UoXsdnxUS5jp5R4m/5na+/u9ACatle6OEJM+PW9cLoRDm4t6lE"
    "OUocKTFnydJDp00HPRRS75ukayHD178CKftvm5gGOFUN2gXjwHILKsV6dcORzAAqr/ABNO"
    "aErpyXv9wcw/6ePwOazEETob5api+I9PwkKHfxVK/zFIvKaKu0n/hRLn4W4hvyrSb2NWLp"
    "gVpaJxWPfrupt78kQvH55cVPMXneKFNY03JO4YRB21pWGwG8wCGSTvcUi0Z4NcK45jgsBx"
    "g/7/xTGt/2ayEs8JPj4pIVXG0tT7E8y2CuGNKbt4yXpI/VWcPLksfaWtMvJ0e/byJGv6+W"
    "ot8XhGguTE7cb6Xbcp1unmHrUWjERpT0rUs9de8343hoX4SeYtsxJEPRMjw9Wtuthf2oXd"
    "RD2/FX2/GVr+rhLW7w3aDUdh/eGtbb672F4UdUK230IvfgFUPAhSC6AXpuv5nu7fM/yT4e"
    "B2/5Vj8O3k3ekV2EGYJKqwjmfRhWjPdnxPbQnecGi6Jxvu3Bn5EFwZ8uqX4tOXTAc4Xypf"
    "MjXiQwTLwQkqs5zdM/E3v71oQQL9llnOXSi7nBYq5oIFerf8UsvcnK37DmFS7TNZDPMWr8"
    "18NfoYgwxbS1LVEhSkKBihFgUKpuvfoNaUatNyo86UrFf0X1vgdlimN8b1irOaapGtWAXB"
    "CPReFVXFHj6h704LItQn3bf0I7uRq9Q8S45EQsNHlC4+Bogg8gD//wXTozXwRx8ZtTTEBV"
    "JPsJ4bs9a7egYb7ElxhTuP0IT4GOanwl/BDVnGRDoeUOkTgh+d/ivGRhN1Hs3EPXNXqH3O"
    "lU5/WrmdevQEFqxQDvWM9S31CwtXkHyieh7yu9SaRDkTx5U0CGSa/W1QYXQkvV0WpdNGHo"
    "jRranpPqgR9wUtX5lhy9W6udJI7yH+pSydYgS5b+xRu1vyEsOEJSO27C0D9024/mspkRVX"
    "ArsQDW1UvIMm6wXEJyZWvrJTzY2Lgn00AS8TSbxlsC76ntrd9StMCsDXGqGOL6l36re/Fs"
    "wvqa2hlCc13JRhwx/vjzFXGqctJyRtUfxWBb+Pp/j5d+fHW5IlZVSFkHpyhyqacgha1Dnw"
    "kVhyhpVtoXnDbh84hewRrPx/IlXe3/iFqqNnODnCDRrgXNyXxCPPQ4c9EMs7BnVTQehLZh"
    "imIDcdLLaifVunW3GD3X6silCe1ph0+61at2P7yQ+2Hj/UZVk026zsLTFeu6hDf9tSQwzr"
    "H1DuhOCgBwqdiIFRCpbIQUn44fUkeZKYkfeuEy6A2Ogq2trQlvQdS5oqEIk+LQaVFbm8wH"
    "Kd8PZDOr9qBZU6ianlAl4ov7sJZRK8up932l931V4kb1HHc2x4mpQUqNznHpdhHRQVSwAR"
    "eBLqL8o+sR+47+TJ4E2OlCWfV2zC0Euco4xy97+DGx7uQXGMcgbEMlTvKT69OTT6PB95cN"
    "b/4JQmoHNZa+kGDYyNB3l9CuDncOPGS6i6eoumRsgBMjQFprOpL43RS/2R2KRl9o6kFvL4"
    "j7JUYSImpC8HBoMC7a/Tp90jMCjmEo2b5BSxYdC1thPtnmJNpNGVAOmrRk51TVBpSDQlt2"
    "95GWHQvV8CYMvcO3fUtg6LOAvipM0hhY5NRwrza82mxuM0bKChnVhRZl+HRskURsUZiIuZ"
    "YFNseqFTWVFTVllHHVVAodRhSfVS2Fxwi95bMYcQuXw4uGf6ShW6UZLhFuqh8a8yXLKjWx"
    "Gq/SAIxE/9TRFzr6ovQl3n79dosSEpVfu0ss/9e16VrSZ4ZRy57qiCFF2VNMlWz74yyTdl"
    "WXu6rViqt4MUtEB3ll9MH2XSm7WoqldwC3f4g6ZOqvoY6m2PSmr/Km/0dg+9KbfpZJb/pV"
    "Je/Uq5m5WVA72JtqfO+JdtuS4z3x7G4Z7E297+n1pqLrvaoqdTa/q4FZpXF16pOkdHQ27Q"
    "XyYPgGOgwra/E7IlsX8Uc7thm2ePTB8X2HH0hcaiuXW9PewCtTa6JK0tq485LGnZcvAN5v"
    "446JAyZXIClm6OHR+qFJL48P1b08PhR6eUAWkrR7d8mkfbsSvl3d4mPbvXxNKkToEFwdgq"
    "ugEqBwCO4oaaA+KFEDUndrtQCSpWvVo/ocCVt3Y4d7uhv7C4iLuhv7JrHuIBnbXRBq3E/l"
    "9MsMU/9qFravYipQnPtPhvgLpHz82RCOxT3p+tJ5Ro12k/ovmMkdiEsOLXc0kDt0m/uul7"
    "BoLWJQV0rSSPFojFdjXFfMYkSDecFa8fKFLUCYHMjBPbj8Mro4RsA5pqfnJ2efR5+Okelg"
    "e06sMb0aXV+e/wqXPMJc5yE0JL/8FsMFuAfb5OtZXgosYdWvw+rXgf/IQNr3sGTSvgcJ3w"
    "N1fZs/Yp2MoxyrDvNSOczLI8+Y6QKznmul5xrbjE+VLyWzZZj0KdVAtwsBW+NtSjPqN0nl"
    "NykSTo1JSeW+GlNJhku/Sw2sUhFiazQoznDqt0nltynW6yRfpxybfp+a2B0jyNaR9TKs+o"
    "1S+Y1SqLG7Yk7YbZ9lifoQXYbgiBSIC678mWRQEoOTvj2sC8IJLcJhwgFd0jdq+i3qYP2F"
    "z+/U9vhRj8IqdOPg6NDaRz5m92jqeoXKdUNkutjho/FVwm9a+OkVQ3ObX/FdSsrK4HX6qP"
    "Kg/aXvkjPpgP0XDdhXodxgz8USq6wCek2fhtLy532Adr9RTFBNSFAhImgLXUj88Q4xfUBN"
    "DvTB6eX5+ej05uzip2O0HGVMT69G/LwGp1Io3Yzpp9H52a+jK7jGzyT7gXhw9ceTs3O4NM"
    "V8k1bEzWTx00FejFtyaRFONREu40UP/In7rfR4qYsDzrD1KM16IwHBKWmV3ckd7AmDNjY0"
    "iF4g/HdJVeBYcmh8mxhz5vDLyur+VW4cGZ7NJQ3tKS37FyAtN5z84/ryohbVKquJbfroP8"
    "ix2RZuzDXwAR6ZczZerDufT37Lr+PT88uP+QMUBviYjzsg33zDnBHzfp3IgzzzRqyUWvZZ"
    "s6QtoetUEEqxaSO0yvNrEZ/rUVKKfcLRv/P/YK9ZG666PlwF7X677PybRb+/GeOh0VzK2J"
    "tm0bniq3PFBV5FfKUTxS/jcbYM3qZZ4ul1JZsing82DesaPbOK+UVqqO07Mqpg77R6uXDW"
    "fSWO6c7JDZkvHOxXO/XydMM6717o13sMWQw/zdOg5FbYaCriRtHXRzPiEVEVK2xsgHwXfS"
    "Wn7vwVQ+WPKyu61ebQLaf/a3/dM/11L9utqoeNwVK1y7h+XYT2hl8thzam74Wnrk6AHP12"
    "U28JSeTH88uLn2LyvHkkX/3Jx+ZsTqiUKSrLpS1R61uibJb8hqJEUpdxlGXUWUcSWUfxwS"
    "pbITHL1j/jQQfOGVX6SSmG+5aYCRoZ4IKFtaZ1KMuprUMKT7ts17AuNckzOnG/jaDJ76BE"
    "f0zdHdZpjTbQGSQhbBQMik2TLPjyQyZ2HPg1Q8R81+MXJmTK/w41OcR1NIZs/v/B3h7aoa"
    "4/E7GZ5j0H0yEWaIE2Qw6fkd3ySNCOnrNaifw9FYzlEZPYUSw+J/t94M9gPYvTNST6l5TO"
    "qUvOwb1NlJyDVS8h2ETkvdCfuu74YhErWBDjnsjFkma4emcDeN/E6fS+2uf0vuByms5LpI"
    "lqfCPyHq7gJq3AqxuBF9qAi/MuBEgC3ixX/6oktl/AHARWgwsY0oVEsoxarZdQ67lyzh8o"
    "aTzMMPVi/9i0BXELY/8XhFprBP5/GV18ElH/Ef+YfuLK1TGyXErUDOvHPhitfJnYzTSLDt"
    "3M7zEOZr5BPE+u51+Wq3+Gw6NGUUdHNVFHR8Woo7T6WcB6VRZ5hrV/ySlbalhqEnZEaFhL"
    "bY1pz7Fqs7E69sPiPC881yRsvRpGeV490yrP9NJs2NjTlnD076zcP2ii0nOqajHvoKDWLz"
    "Bj/MAzPLJwSgxT1Y78AqP25cv58hXxifzDtelX/HRFTNfLWuJLCYZ1nhHRU/0xzH5vHkEH"
    "XIhzxdnPyOXqHteUPHR7K1qK396iHfBV/PMKnBIeCfj+PUSUPHASLrCFXCX+kC4e8Ixoup"
    "fup66Q2fewidR/WC30H0Yyf01VDKiFItvJMsPUC5NO5yWPPQ6fJbWqUyw9hPhov4njiFNV"
    "K7T7BddRVK+lxBhTfT6neZ51NK9nKPvrNKCm6AM8CWzHtyl7Dc/7m6TlTKkTW2c2NXsh+m"
    "ViUERO+3l6mu45ViKo5ShqJbX7qZFvYdYsjuUrOYW+3kkhsUfbn3F5iqD7KcSeuAH1j9Ej"
    "kEBX8InrczGKWAxyFTBlj5yDi5FcpvKdp/IAlrYfUFrALNNSLN/z6lnlzHSoyqZCVV6ol5"
    "xyu23/m8n92SCntnkvnSWU4umf6auL4j+M8a9kVCjllXt4gW9zns433W7nrXk6deOhTS/m"
    "gM6xb864UsGfSvC9xHouY9XO++KSpr7BbGoSo7pLe82eUcqtYS6NkUgadsqr1mX82sOnso"
    "dPpwBVv1zbaUZRPAXo5+lp4DHXG5QbUMJ7w1WmkyXZSqMJ5CMac3b3iqGw/JvgFd6npUVj"
    "iBh+IBbCU64xIYLNWZK1A6dz0VLS2qjP8GepooAr5NdqS7Sr8WslS6+xUyvh6KHy3UlMhD"
    "6U9KG04UMpKltUfirFN1cdS48pupXn0s2MoHsyDZIqQzuQyyDKC80JDXaRO82Z3YeInzD8"
    "KoRFPMUX0c7t7X/d3pZEX3TxAH1abddpVZ5TU1coo0fpNBuIdIcXqYhvdVBATK8DAjKHUh"
    "sBAVpo0ELDRoWGz8Sy8QljpLSYRepurdgwBzoDJ4QNojantkPgmAb/u2DnG8fEw/zI3hkH"
    "76yDvXHw9t0R//OIfDjcPRZlJiZPPmHIpoJJfLdr0ESH4jOkjbkwQEGG6PJhYxr+dtuKa2"
    "JwZZnzo51DaIXGdkFUGYrGaQu+PwZ80QwRBhWbTwnhgkmwcFxs2fM79MvVuS61qGCpxXv+"
    "s2TEj5i+h+JHy9UA4LWUdVGneXqIcCemCP5Ef526C3m+HuLdQUyA/X9SoQARua5XXuYxne"
    "GDo7dSvv+EQy/WJouVizRcMJStJ5Rj651No5NdOBYUZYBO8/QvhqVDmMm3hc1l7TUU6TJ+"
    "7f5XR3suc/+DCiVTZCTFoeNn8oeuPYetPfCkmhplmPq3U3WTkBXl8Eykzt4s1warFnVlY+"
    "1axtFJVtXQb6dNVfEkq8+2Q7iETEsdscubwzqLathyaJ4hXmVVrZ728vSluGtTWF7xuTlL"
    "2s74TDtjMg0Sh0Gap4cKbycKwsS1nowZZjMZoDNMPUS6C9MC3x3ljAoRQw/hbb8Q9NRz54"
    "Y0xlmu/snpHeDseqZ0Fd0lk66gK1FBl7pypW1i+v6t407ifFzTDDxvLU0ox9pDVWhLVJ9G"
    "BjHmBp4pd/YmHD08fDuoa2z6cuHzCUMP4W1fdPQgy6QIb3VEYsKgywfqYkTaTqbbrOs26w"
    "rB+z1eQLrNugqwd9pm/bMNdbEru+Olbw9rI4oFoWx/vLABXRiI67uOhQKGrMATXekocgMw"
    "fHAi7EdlWbHnQZ1+iM8NqIUmTwg2+mSMQQ7nLp4xpgB8mF0L8LOoLpnto0fMhvwDofDnU3"
    "QFhciIDChBCNegAwjCE/5wTlVdsCyOTPXIVNcn2476ZDr4ONEzDproGQfVesZBiZ4xlcE2"
    "Iu8jtI3MTQc15qaDEnOT2ApLRcu6/SPDtpZ4ufoc7us+sgT/kf9YrgdwkdKTVufyvD1U6L"
    "ZEgWtk7Yumi5QdFI0mmpQeGXqa1ZrmGReWOfrr2GdyrDqaVeV5lq93qMscblkpWsUElK7j"
    "L8MeAjJAp1j0kl6NcGg4o64MxGkevYibuKRYaARsri3GHFphbKYwYjM2tEq4VcsNuNsfB3"
    "/YCOHDGoQPiwgLE+QaAmSaT3czVUSabOLdA8PwGvOdYtPKgsrKgsNRN0zsOOBEWKvWcZFf"
    "z7hqM65IXkvGHVri3Mu7S1dlt9A8fSMfn0dMe2FD6RyXitJ/XFmglDiixg58Fj5DqPYD7j"
    "h40A+iZI8b+BP3G/LcR7TDKeGSaOxY6uRr+yFjCj/WJLvIBH8gYeIWx8UWVQpFHwioLASN"
    "Izkvw08MPc7cyMtX2YNI5+u8YL4OX94uf9a8KmunEuAiY3/cHK1lIWvHZ4fxq9FuJmmSiV"
    "l6CHHLha2S40POYJBi6iHGnaSY+UFJjBdgPKLBvBBXl883i7g3aDxYEAqxP5I2hMGX0cWn"
    "s4ufjlHEP6bXo4ubYwRNYcb00+j87NfR1ejTcSxSEGtMfzw5O4dLU2w78Pn657MvX+ACu7"
    "cXizA96eW3olBiWidKYMnWn+Nzw1ECFvH54pDZpJYc/TPMd2LU1FH11ej31+4mlD4j1Pnk"
    "lIMSzo62t60Lsc9U+YorY8ihm2fT0Bah1RkhOiNkazJCSveEFpDNlOnZrv2gKbj5vXA1wO"
    "mzqQWMf4LhLpLR+olyyXkum9vUpU0/3EFKjPnJ1lJtxU96ZCbbWbslqrR1+wWt2y8SU6QY"
    "xBsJ2xIISYMcc23QdBX/cyNot1/IJ9mtnhEAWjeGDqJbueAT+GSbPhQY+2d86hDtxaxUJm"
    "4Ad8LZP7zb32BeqDeg0ii3v6p9gudFgKtLw8T0m29W9zIBTZ2UhmELYto4Bqvp2s5ydSWp"
    "9OmAJN84ZGDzB6t+iWOzepkXOdXozgiP7U13xg2XNFVZOGz/+BRYGcymZbalek9ZjlUHsK"
    "oWwFo0Iq6RFFZgbOWl6rWFIYRssmbWR5Fbv1kqv1n/69rUeMRPYJSe2neSr1c5t1ZJVr9l"
    "Ark/PA6cJSUd5Pn6h3UnbXPcB+JZAYnSB7jIK5czWMHeP/D3m0Qz7VcHM+0XYplEmVUDs3"
    "tp0IucGu/VeC88F84HZjg2vTf4umWl+bGVvq5K/s3FaOx3BX3LQS9ZqNbvHlg3jpaeVJae"
    "dKBm9cvW30DNYGGtOetZTj3rqsx6ycueVL1tmERbmuP3zFrCJ8uRtnAtVEU7VYaHPRMtud"
    "CwrUQrCb97JlQykYpbCdTLFfTeSrjmZD7hkv7zgBLRf5/FSH3CqfNIygiyqnjKJaIrO38u"
    "KVdWRThBIXW6HMErhsDzPUSMYM+cweBoB2oOwFVk+4w4U2QzBG6uXVFeIFMD4flDjumYXi"
    "cO4CHi39m+46toiGwIDHYcGDyspcCfIWonQNwnO0bjgfgEj2ToDPGxXToeiKrpTJRIGI4p"
    "Zuj6n+e2T5CJobRC9J1gbNsi4itUl0FPwlWj4C3d9vQlA003Xu/yTxZToNN5dDqPIrkQz2"
    "nw0unRLZLJPxPGsFgoxcM7Q1B/fIeJ6fMUbZdJEb+nyhhQ8s03sO+T+QL+Ds813dNDvZ4e"
    "5EnmuIvIe5dQ0Ulzb3gxJbCNyHtYbaX9AC28sOWgtXsK7Zsm6/ZN9bJ9U1y13p1UtGdMr4"
    "OanxHNqW6Rpp7tyRtss6RyyOyHJrWTPlTXTvpQqJ2k61/J1L/6fHZ9DZ/DBnp5k1ejt6P1"
    "6lcLz3Y92y+RBz+6rkMwrYoyWLLlJm/C+bqaveTKZnf/j5eX55nd/+NZTua++OXzxxGHXi"
    "DPiWw/I4qnC15hy7HLsuFWFMRO8ekwDnU8u0WHfqT/luyK1fVYUyybM3ftdXXotBwZlbcq"
    "SL45Jez96yDQpxfIwcw3iOe5JRbNaqEty9W/4M6jRrUBj2pqAx4VawPyWYsKKjRV/JYcz1"
    "L9FIN605qfDvWrXvXbGfTVJNQPdIU1pjzFpiU/lQ8uHcrZt7e6KpQzPes2Xad8dJqrRzVA"
    "N+DYkgij7dJl+8VeEKGQl3hrk3vD1XFWizTtykirmxlBItmcQdCSiF2CURCAN0SQ44QebX"
    "+GQNuB1koMLfhdHFg2oSYR3VwwsgJPRN8Vo67aH15X1VMr2Emdkm8KOYI7qiUh5VFbcmif"
    "2jM0Ky2D/VlkMEXkgKvAIXzjpOVxW6m7tbKAx+mgsghtGLE1GIm2bSEH8l1+7MIQQ3RPFj"
    "70iCP8/jF0cBvyPwgdogmBq+ERPfX5qb0DPwT9N+LP4gpmSQh2+4+AkGwQMRzs8b3OR7YF"
    "4doQbA0jI0b8VwzxcW1IEz5GC881CWNcyjDd+QLzoW0fvohFTIix5v/yCNyxHdKFrKHj0d"
    "oU2+uEErH65UKwUyz9C4JoPwZ7Ozpbby7KpHU/OodLzl+RMPQQ3vbXb3i0yMjTSw7tqFhf"
    "nBbnuAzsCYNGfX3UJ9g3ZzKbScLQP79nB2HE0qqhVgnVUgmrnG0KqYRX4muV6oNwa7hKGW"
    "xuDjYDz4NW4FF1pdhwe0+eHl3PinQ2mwo16/Y2usxub9GU602gx83RTkUSbvvDP0NFU0FJ"
    "UMhm2ZaMVa2VTVyrJCy0RuKK6LX98hlHP6EARJk1oi4cN8W1wWjcePFvbTBubGqSs/2kuf"
    "qUnLzh1r+xvX0ilYuY5dK6cwPdWbtE+ib/boFL5NrHfpUALO6tlIANFpOtFIO/EC8SRMFb"
    "QYkjfBAWfkI7pzObYsSfSC3+u9ANX6e7x2hm+2yIPLJwbMJEDg9n5Sel5T5S0Z2eFYXhrh"
    "5SWiGGDwv3UgJs9NDn1YrRLo1NuTSiCSzuthXpPbhUdE5vsVu4vdagCltkXhpTQMF76fOo"
    "645s0SYiAXGKpYcQt+8Igl2/iG/lrhuT67SvonImDk4JLFMcGs48nCxYLKAueJltoRLRLJ"
    "MGVaH442viPRDvmpgeKRW0M/drhW0mKA22JG1Q8DGkFlZf4LdNgubYEgbfuBKjS+FfaGp7"
    "zIeoYs9HE2LigJGIzff5XDEEX7yQDd/BI8aUguVaVIyMq+QjqJLPXiEoDckpwazNJXcR4c"
    "RlcT6CywfCPiIiFioKSBoKyV9cGlM+Cjx3KIZg4o45I+Y9iyKl4Wvwp4PR/LkWcNmmtc/q"
    "VauYUN+JT7BafH/ATiCFdcLQRyGpi5osOgWyGv3ttEop7pW99vF0euWKn1w8LZOb9UclkB"
    "leTNfMP8snlzMg4IJSxtia2xTd4Qf+CX0lp+48LnW88zhzo2NEOFQ9N7ibhSRVztn2xn7G"
    "ufTyBXQVOpu698vGy68I9uqSSzGvyqfU4OTT57OL43Axj+n1l9Hp2cn52TVUW0rqeY/pr2"
    "ejr6OrY/Rgk8cw5OzllX/MRI1xWadWjk3lyVHGlKW9Wn2THxT3al37/BffkcvAr6jRnCVY"
    "IUcIUsNd0jbRuX2uD5sz0a6Ar0w4yB9nNr9gYseBH8l1TlBaPTLlB6wF3Q1MN3AsBP0JRA"
    "NEFIDyykQEV6TMlineXTxnTBl+5Nr6a3QNmjN2Uuk9jJAw2VjAcSzSeqhpO7bII0Y+vici"
    "Tcj2uFJNLfeRf4rkFJ34s81eMuYGXlm39ZqG9glHD0/JLso7Ji95U4RTLD2EuJMaqN56gk"
    "iWs4eCyPYKHqHlIhuYaa01yWk+PcVKT3Ekz0h5HBMO7RzLexwdl5W8LZVYxuQ9qobUGpT3"
    "/HdIVRNJGDYfjD/46zSgInkYTQLb8W3KXsNj/zbY/BbUVdl+qIezzmGQY+1fHdotNT00qd"
    "4YK6VrT3yGeSOVHHUF4vUEgakbUBkxIKHXQkCheLfry8UsRPQ9TGRuVMD5sKaA82FYwFkV"
    "e2jgPZCnQZkhNLwzrLWALmm67E6n7X5K2v1APJXZFWL6HhqkmoTWVAfWFMJqdGu/0JLaaL"
    "Pdr9ls94vV8sk3n3gUO4Z8wEMJa+/aS3WQrhAw350Tz5CNfCww9k+c6KBP84JQ434qt7Az"
    "TBrlBii/QDdsxXaNllWMEB7qSi3bFI9etatXLYvjFBr7aWOGDbb268rA2HlBKnZPLOPBxj"
    "IAZ5i0XLxKLuZwGXXdKitBNraoS6UaUDOztFRjdZKZWV6oUXt+QJJ153PJDsEplv4dbQeN"
    "FLuDGsXuoKjYYcogoE1+D87x9Q/utnfhGLA1ajBmWbX/RGH/SThXxpzdySmTeb7+vU8d2E"
    "jC3d4IqG+XFHZYkUqXZ9YN5lR+rzgC2BEx0dL9xgqsPRK2Nly4brsyV3X0xyYSV1MR18Rd"
    "lOXnfYz4fvz5ioQvYskayDhQvxCPhVRbpsh/j9d9fDVeDt27oyPMKp3SS0xXuaaNxZJ0ZW"
    "7O1xm0xwkZEcwUO44KUDCoFPqKxRUsvCFky8AtYYGEG0lK4xDxUSEP0IMqEoMc1F08Y0xt"
    "SBR1HEgQxiLF5ilM7YGGPtBt55FfFZamyiTh31Ou/KVzS+SZ6lJ1Cp1f1c74l0/f7rcXsz"
    "pfuyJWcAtytNd1y7ee4BRt1rI7SIZNF3GW2ksKYlF+NopT8aPrEX7q/EyexHSkyxPUSUBb"
    "OA1Vsg+cifgxOfuyC5D/fv6rSVim/PTk+vTk02jw/WXC+m7w3eiB0NKaYsm9WvnJx3cGSc"
    "gadjLkwzm2Geb7cunFI3P3ATuQgowRH3AYVtOCYl9heS+osyWql7yCmltgNqpqYNjSyDrW"
    "UOEtqU68geUoJ94sOXp4BLcv3wBcsgFaaR4Nsm7g+MJ+KbHzS/lYY4YeYtt+irwb+KYrt0"
    "GkWHoXQdSND1vprnbaCt1KDmIS1ywVP5rj6pO6224l5yLQLaiyp6mhtgzkpspsboGppM7+"
    "QuPAkX8GhEUAFBTbEqphnYobJPTGH2kGncr2p1MvdUuNzm28/HHQfRTLakB5vl6C3SjP7W"
    "1NntvbgijJn+iXxpzekG9VIsaSpRco18mMo99uMuJioaZIIjKeX178FJPnC43k0+S9OXbs"
    "/yurPlSNepZLA78G8Fpt6qnapEiVhK/EATvGZWTOKJE9cxS1cudjSGukrCNNglNw2BYFup"
    "BMkajPGg10HLUlnNvQ4wftLDDz0cEeYrtDhB1YEE8GUKCdN/t7R/u7w4KPpc3BxxSK5ET9"
    "xuHih7eclLr85bP475piqJ8zTKrQGlAxDO2EnpvwEhKXbAq18MNiss8ubq+la10oQhFRr2"
    "25euOBP6qFD3fss1GgXoTaS7qzBpfixFhDJU/4+re8D5tVn6opPrWtXp0t3qGJ55Wv5Oo8"
    "jyVHjzI8Wkun1eqeVvc2oO6ByWZQreuJ28Mmip4fUzZoD0LJ41/ADsfJYhXsB5EGMAelSO"
    "QATG0T7cTt60OtSrQ020ULHDbXKGl83+rIpRkE+dM3EnqelT/wZ1HQnrk1rnRsaFFqA6KU"
    "1sQ6DlGMttGmhvWYvhdC6uZN6vygmEFeuVTJ+hybGoXr4Xm9KVyvW+b1TRqOMVK0Zd4JP6"
    "PMWZkgHN2plYHxkkaZuBotVT5TqoSADMkwjhRLL87jXDDw0VGTYOCjo+pgYLiXO4L5SyWB"
    "cETeQ3Q7qQNdGR9TLdxUx8dsQLB5GdmyNRHmRQ+z7/8P2b7Cpg=="
)
