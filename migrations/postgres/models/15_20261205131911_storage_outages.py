from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "missed_event" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(24) NOT NULL,
    "ref" VARCHAR(200) NOT NULL,
    "outage_id" BIGINT,
    "window_start" TIMESTAMPTZ NOT NULL,
    "window_end" TIMESTAMPTZ NOT NULL,
    "happened_at" TIMESTAMPTZ,
    "userid" VARCHAR(64),
    "external_userid" VARCHAR(64),
    "chat_id" VARCHAR(64),
    "order_no" VARCHAR(64),
    "reason" VARCHAR(200) NOT NULL,
    "action" VARCHAR(300) NOT NULL,
    "found_at" TIMESTAMPTZ NOT NULL,
    "done_at" TIMESTAMPTZ,
    "late_callback_at" TIMESTAMPTZ,
    CONSTRAINT "uid_missed_even_kind_e12fb9" UNIQUE ("kind", "ref")
);
CREATE INDEX IF NOT EXISTS "idx_missed_even_outage__08adfa" ON "missed_event" ("outage_id");
CREATE INDEX IF NOT EXISTS "idx_missed_even_externa_31fac9" ON "missed_event" ("external_userid");
CREATE INDEX IF NOT EXISTS "idx_missed_even_order_n_199161" ON "missed_event" ("order_no");
CREATE INDEX IF NOT EXISTS "idx_missed_even_found_a_7935dc" ON "missed_event" ("found_at");
COMMENT ON TABLE "missed_event" IS 'One thing WeCom told us during an outage that never arrived, found by reading WeCom';
        CREATE TABLE IF NOT EXISTS "storage_outage" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "source" VARCHAR(16) NOT NULL,
    "process" VARCHAR(96) NOT NULL,
    "started_at" TIMESTAMPTZ NOT NULL,
    "ended_at" TIMESTAMPTZ NOT NULL,
    "refused" INT NOT NULL,
    "lost" INT,
    "kinds" JSONB NOT NULL,
    "recorded_at" TIMESTAMPTZ NOT NULL,
    "reconciled_at" TIMESTAMPTZ,
    "found" INT NOT NULL,
    "note" VARCHAR(300)
);
CREATE INDEX IF NOT EXISTS "idx_storage_out_recorde_383722" ON "storage_outage" ("recorded_at");
CREATE INDEX IF NOT EXISTS "idx_storage_out_reconci_01d7ca" ON "storage_outage" ("reconciled_at");
COMMENT ON TABLE "storage_outage" IS 'A stretch of time in which callbacks were refused or could not reach us, as one process';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "storage_outage";
        DROP TABLE IF EXISTS "missed_event";"""


MODELS_STATE = (
    "eJztXWtz27jV/isYfYn9jjZjy3Eu3rYzjqNN3fUltd3NTlcdGiIhCzUFagnSitvuf38B8C"
    "LeRUikDDGY2U0i8hxQegAC537+25s5FrLp69M5/hk9907Af3sEzhD7R+ZOH/TgfL68zi94"
    "cGwLUjjHxmNINKaeC02PXZ5AmyJ2yULUdPHcww7hxKcEDG++AEw89OBCfvUVBYz7BHhTBC"
    "zIRoUUgaljWxQ4xH4GEEwhnYI9ihAYO95rx7WQS18jd77/mj/Tckz2UEwe2hneJ/h3Hxme"
    "84DYEC57yG//YpcxsdA3RKOP80djgpFtpTDEFh9AXDe857m4dk68nwQh/+Zjw3Rsf0aWxP"
    "Nnb+qQmJr9Dn71ARHEfg3iw3uuz2Elvm2HExAhHXzTJUnwFRM8FppA3+aTw7mDL7C81jOM"
    "q+s743Z4Zxi93MRFHAmww0umQ/iks69Kxa9/4F/hh8Hhm3dv3h+9ffOekYivGV9590fw6C"
    "UwAaOA5+qu94e4z6YqoBAYL0EVf+dgPZtCtxjXiD6DLPvKWWQjHNWFdga/GTYiD96UfXz7"
    "pgLHX05vzv56erP39s0+f6DDXsrgZb0K7wzELQ71Elr2nhhFa7Yc3CVH5+B9c1AD3jcHpf"
    "DyW2l4KTJd5Bl8u5HBOMPWDNDRhSXSy/26AyuZIcbBMKCXR/oTu+PhGSpGO82ZAdsKWV9H"
    "/9hF6NkPtK7ZyRe+XRXQ351fDm/vTi+/8MfNKP3dFvid3g35nYG4+py5uvc2M03xIODr+d"
    "1fAf8I/nl9NRTwOtR7cMUTl3R3/+zx7wR9zzGIszCgldgIoqsRaqlZtyH1DJ+uNe9Z3gZm"
    "PvzKqkz8jkx0hEnlTLvoyXlca57TnHqWVZtlLkxPHhOSH78whubjArqWkbvjDJwy2vyt2W"
    "CWvQIJfBCTxNHk33Op99yxdUJ6xTpRcK+/SivyYrJVelH5/Gr9Q+sfqkDbstTmOnYJtEPi"
    "zwS85+wLQWKi/L4e8qosHvdOP12eX50AaM0wGZHbL8Oz89OL89u7E0DnyMTQxtQbkV/Oh1"
    "+HNyfgCaMFcrMmjjpTc/i2xtQcZrf25dTwW+mpETuZtOqS5tJvgNZbNoBe6y1ab1F4orXe"
    "8l3PsiJ6CzuLCUH2GfvUK1Bdkrf7VdqLGRCyBRhSrnbsgJF/dHBgjvz3B8dvRv47czIe+W"
    "8Hh4fiugXu75no5qH7e/AEbR8BSCzhlIHm7z6mmI8DwscC7AEu51kUTBy3wMvT7rM2ULki"
    "vOpKSBF952Sjozrm86Ny8/lRaD5XVRF7aWmoZUHUn1trCqJpTi2IKnxyiW+vysHFQGYq/C"
    "2iNJiP/NmVpqg+vgJagyaIa5xgFD8QZP2A2eEQDBCEDYxdZ0GRG0YNQOCy08KZhUfLHiTg"
    "r5435yuCsTmPGO33wQKBR4TmBSdX488YEexREcTwGtyKwQEbfIG9KRtGaOBg7/7+kb0tfx"
    "4FGvmod3/fZ2ckB5gdkfzx4vorCvgl8YVGJLrELSuAQW1jRMFiitkndmTa+AnRfeC4jNh1"
    "/Icp+IrO2BdePmqBTGeWf9SIMG3FxVbws4PBSWASAZAG6LCvw+5CDwSk0dN1QIaKBtHwHV"
    "vDr53m65wI1EKABvtZMhBH9B0Ued7XwPZ9KbTvs8iqJkx2adVqo2bXZMnaRk2KEFnXqJng"
    "7eDM78hM17Jqom9zzIZbY6LTnHqalZ5mbbzu6iyrYwPwmIY+fELE6xVbAJb3+yv0f05poJ"
    "h0pfYfDi7Mwg+IJw3MPW4R5sZhD1MPm/RHpsiyRxkTx7YZqFw5ZTot5uq6zWYBmD71nBkq"
    "MFg3PfhqHfi3XqA7c2r0zUMugbYRXvqXlIL8ET98Lzryh8Hg6Ojd4ODo7fvjN+/eHb8/iJ"
    "Xl/K0qrfnj+WeuOKde4tWadLA6pNwHMUcHVbyjQR0XwqDchTDIWbXjV6IuwEuOtQBW7Jxq"
    "W9PLbjQSQBewasRr6NYZP63MxpHk6x7WTTkgl1jLy73bVGu2elx2y2yhlvh7+0zMCulX3K"
    "4l/NKIcqXse00QcH0CnIlwyoQDAD4A2BtDz5wCJmga42exOwPnif3BRGv3GQTSqvDT7PcB"
    "mwZ/xr/GSU4Cbv4RI7Jgoq9wRjEpmf1H4ROyAJx4nBWyAecMZ+0yUtBlpP0YbfkxuD7pUy"
    "k3XMyxPXR7bCcgHKMdhXgyySP8t9vrq1KEA4asIIDZBvg/wIP+WwP6TxOfmCLcbexj28OE"
    "vubP+0tbyFdAzQFKCQERxnuXp79m4T+7uP6YPd35AB9z8q9PHiV26Jh+9Sbd1BwcKL1JJ6"
    "D0Xeq4UkpEzLHFrWM7e8bguE4KDaMq3TfEvQzCgdBTsD2Xr9cEi16yuSULbVsKzYheQ5mF"
    "Ermu3MsfM3TPdDA4qGM7YFTlL/9BvvqHB931oiDSnB10knbMnJCc9QkmmE7XmvYMq/aaaq"
    "9pldnoKyws4Ja4269jNFrAuoXcVuXgzKCF4uBgbvM5/XL+I+CxysvsHO7etKkDIEhkJoG9"
    "pVe0nzMkbem5I7JAtunMEKDIRkKF2hdpRPf3DKoJfjCwFQzEfbknIt7a8T1ujQoCoU02ru"
    "MBZLErjgsY4MjjxiptkFLQIKVa+GenfFTipZM1SemsuHpOqXgzklLck0ydA7n5FSywqb/r"
    "RuTb0zKV33oTu4HJfr8EmDH99tAc7AqU3nNRwZxyKCP6taBUTHtoGkzuXyywJZWb9WMGbd"
    "Zv3KxPH/HceEIunjznp+Sj49gIkpI1nubMzM2YsbY1KdGBt134P15fX6Tg/3ieiTu8+sfl"
    "x+HN3qGYC0aEPVT8BrhoBt0CZ0q5HLHk6JwDoHlJ7XdXOkorwdI5gI8P64R3MqpSiMW9jK"
    "AGH6T28Iheb+GNb+HB3mB4aDa3JfW/AtbuORnay7McF5yZFbpgiqtz24xOZ9WOnCYcObog"
    "TtdmvcCvo1hBHKbGUNHD5hJRCoW+W+TfyZH1Vzh6YgZjluBY6fEJh6e8vAz3hHB3hzMBEC"
    "SHDMq6MEZow6DMGkPiFQVTJts47nMfUMRYeRSv7dF8olxLzyjwt/zG1t9DYAG1sBt4eILM"
    "uHW9MDpRjt/bVqIcQbaUmLNk6aDTpvmCz8n3TdK1kOLrXoGUw7d1TAOMqgLtnHFguQUVYr"
    "26/nlqAJVXeI9XQOflz6//cXfC9/fsGVBnDuoI9eUyfU6kZydBsYunfJ0nWFRGW6X9xAtz"
    "8dMQ36FvFbGvIUsH1NIqqXj46121/SUWii+urz5H5FmjTG5NyzmFYwZta6nRqsK3kaTTPc"
    "GiEV6NMKw4DosBhpudf0rj23wthDl8th1YsILLreUJlo0M5oohvX3LeEH6WJU1vCh5rKk1"
    "/XJy9Ps6YvT7cin6fU6IZsLk2PlWuC1X6eYptg6FRmxFSd+51FPncTuOh+ZF6AnEtiEZip"
    "bi6dDabizsR+2iHtqOv9qOr3xVD3d+Bx96hbb74Fa/2l7vzg0vpFppoxe5B68o4FyARzeA"
    "vZH/ZnJwyP5Eh3Dkv2Vb/ch/N36H9gGkgFdaBXze+0HFeG+KsAseXMef543zTQ++QRYEe7"
    "qk+rXk0AHPJcqXzo94kcAw8UJIruYkT/dM7M1bEwK8ZJdxmksv5hqL2XEtVJBHXql/RSyd"
    "ycrfsuYVLNM1kM8wavzXw1+hiDDFtLUdUSEKQoHyEWC8VN169RuSjFpvVHjSlYr/Cut994"
    "oUx+hev1JzTFLVqgE5Ry4Nw6uYosbUPd6DC1uIeNh7BnuZGr19QJnkhCwwfgYj/3gMBzwP"
    "/+hdMjNfBHGxmxOIuKqIDmPCdwfWfk7DfIkvMSL89oI/hXdUYyvhx7DmJO0LLbcPxAnJ/h"
    "bnJQ26iUL7kXddIw/AmUx0Xr+aef0KFKRWDPCW9Sz1DQU7m3egfBL6odKbRDIUyZU3BaSY"
    "9GpdbXBBpFAdLddFY4bOqKHNOame2AEnVZ1vydG5tdpK4ij7oQ6RbA2yZOlevFHzG8KcIS"
    "S148YM3UO3+WguTI2wgluBBbCqXkKacYvlEuIrO1sv4QlD4xFNfEnEk2wabwm8J9hdv6Vo"
    "jlkb4lQxxHUv/Vb34tmG9TWxMwTmuoKNOGT86ecbZJflpGWMqj+JwXbw9f8jWvrR1eWKWF"
    "UhZR2cwsiljoIUtA7dECoGUdystCs4bcPnEb6CFZ6P5Uu62v8RtlSt5wY5BaJdC5ih2Ri5"
    "YDF1wBTSoGdVOB4PbYMERAbiuJfVXqJ1634+eq7RkQsT2pMOn2SrV+1+eCH3w9b7jaomm7"
    "Sdhacr1rUJb/JrSWCcYesc0K0UAGBSsREpIFLZCAk+HT+kjjJTED/0wmXQaxwFO1tbk78F"
    "YeeKmiJMgkOnRe1sMh9P+X5C21m1g3pNoSp6QhWIL87TWkatNKfe95Xe91WJG9Vz3Nocx6"
    "YGKTU6w6XbRYQHUc4GnAc6j/JPjovwA/kZPQuwk4Wyqu2YOwhymXGOXXbhIrbuZBcYwyBo"
    "QyVO8tPbs9NPw94fLxve/JmH1PYqLH0BQb+Woe8hpl0d7uy7wHTmz2F1ycgAJ0bgaa3JSO"
    "J3E/hmvy8afYGJy3t78bhfZMQhoiYPHg4Mxnm7X6tP2iDgmA8l2zdoyaJjYUvMJ7ucRLst"
    "A8qgTkt2RlVuQBnk2rI7C1J0LJTDGzN0Dt/mLYGBz4L3VaGSxsA8p4Z7teEV0xmmFBUVMq"
    "oKLUrx6dgiidiiIBFzLQtshlUraiorasoo46qpFDqMKDqrGgqPEXrLpRhxB5fDi4Z/JKFb"
    "pRkuEa6rHxqzJcsqNbEcr8IAjFj/1NEXOvqi8CXeff12hxISlV+7Syz/7WCylvSZYtSypz"
    "piSF72FFMl2/44zaRd1cWuarXiKl7MEtFCXhl5wp4jZVdLsHQO4OYPURtNvDXU0QSb3vRV"
    "3vR/97EnvemnmfSmX1byTr2amdsFtYW9qcL3Hmu3DTneY8/ujsFe1/ueXG8qut7LqlKn87"
    "tqmFVqV6c+jUtHp9NeeB4M20D7QWUtdkdk6wL2aBubQYtHjzu+H+ATikptZXJrmht4ZWpN"
    "WElaG3de0rjz8gXAu23cMaFP5QokRQwdPFo/1Onl8aG8l8eHXC8PnoUk7d5dMmnfroRvV7"
    "f42HUvX50KEToEV4fgKqgEKByCO4wbqPcK1IDE3UotAKXpGvWobiJh627s/J7uxv4C4qLu"
    "xr5NrFtIxnbmiBiPEzn9MsXUvZqFzauYChTn/s4Qf4GUj+8N4Ujck64vnWXUaNep/wKp3I"
    "G45NByRw25Q7e5b3sJi9YiBnGkJI0Ej8Z4NcZVxSyGxJ/lrBUvX9iCC5M9Obh711+GVyeA"
    "c47I2cXp+eXw0wkwbYhnyBqRm+Ht9cUv/JKLqGM/BYbkl99imAD3hE22nuWlwAJW/Tqsfh"
    "3Yj/SlfQ9LJu17kPA9EMfD7BHrZBxlWHWYl8phXi7aYKZzzHqulZ5riCmbKk9KZksx6VOq"
    "hm4XALbG25Rk1G+Sym9SKJwa44LKfRWmkhSXfpdqWKVCxNZoUJzi1G+Tym9TpNdJvk4ZNv"
    "0+1bE7hpCtI+ulWPUbpfIbpVBjd8WcsLs+yxL1IdoMwREpEFdM+TNRryAGJ3m7XxWEE1iE"
    "g4QDsqSv1fRb1MH6gc3vBLvsqAdBFbqRf3xkHQIP0kcwcdxc5bo+MB1os9HYKmE3Lfj8io"
    "IZZlc8h6CiMnitPqo4aH/pu2RMOmD/RQP2VSg32HGxxCqqgF7Rp6Gw/HkXoD2sFRNUERKU"
    "iwjaQRcSe7yNTI+jJgd67+z64mJ4dnd+9fkELEcZkbObITuvuVMpkG5G5NPw4vyX4Q2/xs"
    "4k/IRcfvWn0/MLfmkC2SatiJvJYqeDvBi35NIinGoiXMqL7ntj51vh8VIVB5xi61Ca9VYC"
    "ghPSKn2QO9hjBm1sqBG9gNjvkqrAseTQ+NYx5sz4Lyuq+1e6caR4tpc0dKC07J+DtNhw8r"
    "fb66tKVMusJtj0wP+AjekObswV8HE8UudstFj3Lk9/za7js4vrj9kDlA/wMRt3gL55hjlF"
    "5uM6kQdZ5q1YKbXss2ZJW0TWqSCUYNNGaJXn10Ie06OkFPuYo3vn/+CgXhuuqj5cOe1+t+"
    "z820W/uxnjgdFcytibZNG54qtzxQVeeXylE8Wvo3F2DN66WeLJdSWbIp4NNg3qGm1Yxfwq"
    "MdTuHRllsLdavVw4674i23Rm6A7N5jb0yp16Wbp+lXcv8OstAhbDS/LUKLkVNJoKuUH49c"
    "EUuUhUxQoaGwDPAV/RmTN7RUHx44qKbjU5dMPp/9pft6G/7mW7VXWwMViidhnTr/PQ3rGr"
    "xdBG9J3w1FUJkMNf76otIbH8eHF99Tkiz5pHstWfPGhOZ4hImaLSXNoStb4lCtP4N+Qlkq"
    "qMozSjzjqSyDqKDlbZColptu4ZD1pwzqjST0ox3HfETFDLAOfPrTWtQ2lObR1SeNplu4a1"
    "qUmek7Hzbcib/PYK9MfE3X6V1og5nYFiwlrBoNA00ZwtP2BC2+a/pg+o57jswhhN2N+BJg"
    "eYjkYBZv8PDg7AHnG8qYjNNB8ZmDayuBaIKbDZjOwXR4K29JzVSuRviWAsF5kIh7H4jOy3"
    "njfl61mcrgHRv6R0Tl1yjt/bRsk5vuolBJuQvBP6U9sdXyxk+XNkPCK5WNIUV+dsAO/rOJ"
    "3el/uc3udcTpNZgTRRjm9I3sEVXKcVeHkj8FwbcHHeBQBJwJvm6l6VxOYLmHOB1WAChnQh"
    "kTSjVusl1HqmnLMHShoPU0yd2D+2bUHcwdj/OSLWGoH/X4ZXn0TUf8g/Ip+YcnUCLIcgNc"
    "P6oceNVp5M7GaSRYduZvcYG1LPQK4r1/MvzdU9w+Fxraij44qoo+N81FFS/cxhvSqLPMXa"
    "veSUHTUs1Qk7QiSopbbGtGdYtdlYHfthfp7nrmMiul4NoyyvnmmVZ3ppNqztaYs5undWHg"
    "7qqPSMqlzMG+TU+jmklB14hovmdoFhqtyRn2PUvnw5X74iPpG/OZh8hc83yHTctCW+kKBf"
    "5RkRPdUXQfZ7/Qg6zgUYV5T9DBym7jFNyQX396Kl+P092OO+ir/fcKeEi3y2f/cBQU+MhA"
    "lsAVeBP6SNB2wQTffS/dQVMvse1ZH6j8qF/qNQ5q+oisFroch2skwxdcKk03rJY5fBZ0mt"
    "6gRLByE+PqzjOGJU5QrtYc51FNZrKTDGlJ/PSZ6Njub1DGV/mvjEFH2Axz62PUzoa/68v0"
    "hazpQ6sXVmU70XolsmBkXktJ8nZ8meYwWCWoaiUlJ7nBjZFmb14li+ojPe1zsuJLbA3pTJ"
    "Uwg8TnjsieMT7wQsOAnvCj52PCZGIYvyXAVI6IJxMDGSyVSe/VwcwNL0AwoLmKVaimV7Xm"
    "1UzkyHqmwrVOWFeskpt9t2v5nc9wY5weajdJZQgqd7pq82iv9Qyr6SUaKUl+7hOb7teTrf"
    "tLudN+bp1I2Htr2YfTKDnjllSgV7KoKPEuu5iFU77/NLmngGxcRERnmX9oo9o5Bbw1wYIx"
    "E37JRXrYv4tYdPZQ+fTgEqf7l204yieArQz5Mz36WO2ys2oAT3+qtMJ0uylUYTno9ozOjD"
    "KwqC8m+CV3iflhaNPqDwCVkATpjGBBA0p3HWDj+d85aSxkbdwJ+ligKukF+rKdGuwq8VL7"
    "3aTq2Yo4PKdysxEfpQ0ofSlg+lsGxR8akU3Vx1LC0SdCvPpbspAo9o4sdVhvZ4LoMoLzRD"
    "xN8HziRjdu8DdsKwqzws4jm6CPbu7//v/r4g+qKNB+jTardOq+KcmqpCGR1Kp9lCpDt/kf"
    "L4lgcFRPQ6ICB1KDUREKCFBi00bFVouEQWhqeUosJiFom7lWLDjNMZMCasEbU5wTbixzT3"
    "vwt2tnGMXciO7L2R/84aHIz8t++O2Z/H6MPR/okoMzF+9hAFmAgm8d1uuSbaF5952pjDB8"
    "jJEG0+bESC346tqCYGU5YZP9g74q3Q6D4XVfqicdqc7Y8+WzR9ALmKzaYEMcHEn9sOtPDs"
    "Afzj5kKXWlSw1OIj+1ky4kdE30Hxo+FqAPy1lHVRJ3k6iHArpgj2RG+dugtZvg7i3UJMAP"
    "6PVChASK7rlRd5TKdwcPxWyvcfc+jFWmexMpGGCYay9YQybJ2zabSyC0eCogzQSZ7uxbC0"
    "CDP6NsdM1l5DkS7i1+5/dbTnIvc/V6FkiowkOHT8TPbQxTO+tfuuVFOjFFP3dqp2ErLCHJ"
    "6x1Nmb5tpi1aK2bKxtyzg6yaoc+t20qSqeZHWJbcQkZFLoiF3e7FdZVIOWQ7MU8Sqravm0"
    "F6cvRV2bgvKKm+YsaTvjhnbGeBokDoMkTwcV3lYUhLFjPRtTSKcyQKeYOoh0G6YFtjvKGR"
    "VChg7C23wh6InrzAxpjNNc3ZPTW8DZcU3pKrpLJl1BV6KCLnHkSttE9N1bx63E+Tim6bvu"
    "WppQhrWDqtCOqD61DGLU8V1T7uyNOTp4+LZQ19j05MLnY4YOwqstNtpioxt+q2NjyFnBdM"
    "Nv3fBbSdhbbfh9iXmF5tI+bcnb/crYVkEo26ktaIUWhIR6jm0BnwLLd0V/NAIcn6vgjAh6"
    "YYFQ6Lq8YjyPFPWJBcbPgG/08Ri9DM5tPGNEOPBBnieHn4YVsrAHFpD22QdE+J/P4RUQIC"
    "NycQQhv8Z7UQA4Zg9nVOWls6IYSRdNdKWs3aiUpcNgY4l3UEfiHZRLvIOcxMvfAwlsQ/Iu"
    "QlvL8DGoMHwMCgwfYissFC2r9o8U21ri5epzuKv7yBL8BfuxTA9gIqUrrc5leTuo0O2IAl"
    "fL7hROFyo6KGpNNCo8MvQ0qzXNUyYsM/TXsc9kWHVcpcrzLF95Txfc27GiqIoJKG3blYNq"
    "9jJAJ1j0kl6NcGA4I44MxEkevYhXQuwiSAMjYH1tMeLQCmM9hRGakaFVwsFXbMDd/Yjso1"
    "oIH1UgfJRHWJgg1xAgk3y6r6Yi0mQd7x43DK8x3wk2rSyorCzYDHXDhLbNnQhrVd3N8+sZ"
    "V23GFcmwSLlDC5x7WXfpqjwLkqWv5eNzkYnnmBdxcYgoQseUBUKQLaq98M/CZ8jrznB3HH"
    "/Qj6J4jON7Y+cbcJ0F2GOU/JJoMVjo5Gv6ISPCf6yJ9oHJ/YGIilsMFyzq5YmOBLzGDW9h"
    "yHgpfKZgMXVCL19pNxydOaIr1KigDjQf6xe+b5JGg4ilgxA3XAQo3uDkVNoEUwcxbiUdx/"
    "MLopA4xkPiz3KRX9ncnJB7i+rtHBEenSKp5fa+DK8+nV99PgEh/4jcDq/uTgBvoDEin4YX"
    "578Mb4afTqJDD1kj8tPp+QW/NIHY5p9vfz7/8oVfoI94Pg9SOV5+KwrO9HX82Es27cde04"
    "9tIY8tDplNasnRPdNxK2Y3Hfddjn53LUNCLTECrUQu/LuAs6XtbeeCwFMVkaIqAnLoZtk0"
    "tHlodc6CzlnYmZyFwj2hAWRTJU12az+oC252L1wNcPJsagDjz3y4q3i0bqJccJ7LZt+0aX"
    "UOdpACc3O8tZTbmeN+gvF21mw5H21/fUH764tEvSgG8VYCiwRC0iBHXFs0XUX/3ArazRc9"
    "iXerDUIUq8bQYV4rF3wMn2yB/Bxj94xPLaI9nxbKxDXgjjm7h3fzG8wL9VFTGuXmV7WH4C"
    "wPcHljr4h++429XibkppUWXnSOTAwjsOqu7TRXW5JKlw5I9I1Bxm3+3Kpf4NgsX+Z5TjU6"
    "2fHHdqaT3ZbLP6osHDZ/fAqsDIpJkW2p2lOWYdUhlqqFWOaNiGukLeUYG3mpOm1hCCAbr5"
    "mXkOfWb5bKb9a/HUyMBXzmRukJfpB8vYq5tUqy+i0TyP3uMuAsKekgy9c9rFtpMeI8Idfy"
    "URjgzkReuay2EvbugX9YJ5rpsDyY6TAXyzR3Hb5fUcPG5NFgONLCjMJS30sp//ZiBg7bgr"
    "7hIIw0VOt3/qoaR5/mKp/mOnCw/GXrbuBguuW9zKynOfWsqzLrBS97XCe0ZtphcQTOhuVX"
    "5aJvVFsMZeE3xQFhG0IlEwy2k0C9XFXfnYRrhmZjJrxuBpQIsLoUI3UJp9aD1ULIykLWlo"
    "iubES3pFyZGn0KAupkTvIrCrhzsQ8ogq455YODPZ54zK8C7FFkTwCmgHsS9kWOcSoRevMh"
    "R2REbmMfWx+w74wf2CrqA8xjL22bDx4kVLNniARqHlpHT8CoJz7xR1JwDtjYDhn1ROlkKv"
    "Kk+yMCKbj9+wX2EDAhz68OvxMfG1tIfIXyWshxRGAYH6O78L1kLN/Wi959Z25bnTGhMyYU"
    "CTffpMtDq0e3yNe9RJRCsVDyh3eKoPr4DnJ/ZwnaNuPOf0tkihP0zWMatodmc/53cK7pwv"
    "7qFfZHUv3HQ/LOxay30muWv5gS2IbkHSxo0XwMDJxjOWhxR6F9U2fdvilftm/yq9Z9kAqo"
    "i+h13OgGAXPq1sHp2J68xV4rKkclfqhTnuZDeXmaD7nyNLrEkEyJocvz21v+OeiilTV51X"
    "o7Gi8wNHex42KvQB6sbHedZNMNryUaXlsIWjYuSjhaURU3wacjE9RxVuZ91KH+W7Arlmq3"
    "SZbtmbsO2jp0Gg72yVoVJN+cAvbulRHv0gtkQ+oZyHXl+m2nuboXr3hcq/zacUX5teN8+T"
    "U2a2HOel3Fb8mxkeqnGNTb1vx09Fr5qt/NOKY60WtcV1hjyhNsWvJT+eDS0Ylde6vLohOT"
    "s47JOhV6k1wdKrO4BceWRGRomy7bL3iOhEJe4K2N7/VXx1nNk7QrI63upgiIfF7Kg5ZE7B"
    "IfBXDw+gBBcwoW2JsCru3w/ioUzHkbeN/CiJhItHSAvGO8iL7LR101P7wuXKZWsJM6VbUU"
    "cgS3lK4v5VFbcmif2gaalZbBvhcZTBE54Ma3Eds4SXHcVuJupSzgMjpevIHUjNjqDUXvpo"
    "ADeA47dvkQffCI5h5vFIXY/RPexqnP/kCkD8aIXw2O6InHTu09/kPAnwF7FlMwC0Kwm38E"
    "D8nmIoYNXbbXeQBbPFybB1vzkQFF3isK2LiYZ76egLnrmIhSJmWYzmwO2dDY41/EQiaPsW"
    "b/chG/g23Uhqyh49GaFNurhBKx+uVCsBMs3QuCaD4Gezfa224vyqRxPzqDS85fETN0EN7m"
    "129wtMjI00sO7ahYX5wW57gM7DGDRn191MfQM6cym0nM0D2/ZwthxNKqoVYJ1VIJy5xtCq"
    "mEN+JrFeqD/FZ/lTJY3xxs+q7L+wGHBYMiw+0jel44rhXqbJgINev+PrxM7+/BhOlNXI+b"
    "gb2SJNzmh99ARVNBSVDIZtmUjFWulY0dqyAstELiCum1/XKDox8RDkSRNaIqHDfBtcVo3G"
    "jx72wwbmRqkrP9JLm6lJy85e6qkb19LJWLmObSunMN3Vm7RLom/+6AS+TWg16ZACzurZSA"
    "DRqRrRSDvyA3FES5t4IgW/ggLPgM9s6mmEDAnkgs9rvAHVun+ydgij3aBy6a2xhRkcPDWN"
    "lJaTkLIhqA07ww3NZDCivEsGH5vYQAGz50s1ox2qWxLZdGOIH53bYkvQcWis7JLXYHt9cK"
    "VPkWmZXGFFDwXvo8arvpVbiJSECcYOkgxM07gviun8e3dNeNyHXaV145EwenBJYJDg1nFk"
    "7qz+e81HWRbaEU0TSTBlWh+ONb5D4h9xaZLioUtFP3K4VtKigNuiStUfAxoBZWX86PTQRm"
    "0BIG36gSo0P4v8AEu9TjUcWuB8bIhD5FIZvnsbmigH/xXDZ8C48YEcIt16JiZFT4HfDC7/"
    "QV4KUhGSU3azPJXUQ4MVmcjeCwgaAHkIiFCgOS+kLyF5dGhI3Cn9sXQ1Bxx5wi85GGkdL8"
    "a7Cnc6P5phZw2b6gG7UDVUyob8UnWC6+P0Hbl8I6ZuiikNRGTRadAlmO/m5apRT3yt56cD"
    "K5ccRPzp+W8c3qo5KTGW5EV88/yyaXMQDOxUsZQ2uGCXiAT+wT+IrOnFlU6nhvMXXCY0Q4"
    "VF3Hf5gGJGXO2ebG3uBcevkCugqdTe37ZaPllwd7dcmliFflU6p3+uny/OokWMwjcvtleH"
    "Z+enF+y6stxfW8R+SX8+HX4c0JeMJoEYScvbzyD6moMS7r1MqwqTw5ypiytFera/KD4l6t"
    "W4/94gd07XslNZrTBCvkCEFqOEvaOjq3x/RhcyraFbCVyQ/yxRSzCya0bf4jmc7JlVYXTd"
    "gBa/HuBqbj2xbg/Qlckb3rc+WVigiuUJktUrzbeM6IULhg2vprcMs1Z2gn0nsoQkGysYDj"
    "RKT1EBPbWOQRAw8+IpEmhF2mVBPLWbBPoZyiE3922UtGHd8tamhd0TM85ujgKdlGecf4Ja"
    "+LcIKlgxC3UgPVXU8QSXN2UBDZXcEjsFykAzOttSY5yaenWOkpDuUZKY9jzKGdY1mPo+3Q"
    "grelFMuIvEPVkBqD8pH9DqlqIjHD9oPxe3+a+EQkD4Oxj20PE/qaP/Yvve1vQW2V7ef1cN"
    "Y5DDKs3atDu6OmhzrVGyOldO2JTzFvpZKjrkC8niAwcXwiIwbE9FoIyBXvdjy5mIWQvoOJ"
    "zLUKOB9VFHA+Cgo4K2IPvYMPwydECoOP4nv9KiuoBx8MFJPVLHnEhrPDBsrc8OiimfMEbd"
    "EmFrAB+0HYDY8KCuKAeECOcHO+4sE5dBGaDAsqHTU0sjZG7qgxki9HOTf2kqODlrLmXXYc"
    "LtkYtiSPBllXepIFuE7kWnncWj5qje/8MuDGDB3EtnlbuuN7piO3QSRYtthFrC1bRhrgQS"
    "2RcVAhMg7yPT/ULn+jjRWNGCtMn3rsrZBsu57h6lJxg7Y6r0eQ5VGWbr5+lhhqx0D+I1pJ"
    "K/qvZxaYSi3Y/0ECHQ5Zf/cRDQHIKbYFVP0qFdeP6Y3fkwxtdmTX6qWS6qXOvW092oU9jp"
    "cpg7IaUJavk2DXESUZVQXcOVGSPdErbF99h76ViRhLlk6gXCUzDn+9q3Y+xiLjxfXV54g8"
    "65HM2tPdGbTxf4rCFMpRT3Np4NcAXqtNHVWbFHGnfEU2t2Nch+aMAtkzQ1Epdy4CWiNhHV"
    "ntYPnKM515/jRPV56E7Z6CgU7C+kVB63KwN4fUA4MDQPf7ANp8QTwbnALsvTk8OD7c7+d8"
    "LE0OPiLcmx4WJuUXP7xlpMRhL5/FflfQb70fh6sbPLQI7AWem+ASEJcw4UlzQdT5xllwWr"
    "p+SemaBzzJiHwRfSfOwrbl6q0neCrtyG/eZ8PkNuQSaBvyQBewdnBJt1YJS5wYa6jkMV/3"
    "lvdRvTCViiiVXfXq7PAOjVy3eCWXih8JDh1xnY9b0+qeVve2oO5xk02vXNcTt/t1FD0voq"
    "yRR0zQ4gduh2NkkQr2oyhUNeNKkaixMMEm2Ivq3AZalah9sg/mMMjCLaiQ2+jIhWVxs6dv"
    "KPRsVBP3e1HQWmsprEWp7YlSWhNrOUQx3EbrGtYj+k4Iqds3qbODYjpDpKhibkWLuTSbGh"
    "lu/HmdyXDTtXW6Jg0XpD2pVFvnlJ1R5rRIEA7vVMrAcEmjTFyNlio3lCrDfnMyok6CpRPn"
    "cSYY+Pi4TjDw8XF5MDC/lzmC2UslgXBI3kF0D2uFWh9WhFof5kOtS+NjyoWb8vgY3UdvlQ"
    "jzoofZH/8PiW8M+w=="
)
