from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "console_session" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "session_hash" VARCHAR(64) NOT NULL UNIQUE,
    "kind" VARCHAR(8) NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "last_seen_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "revoked_at" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_console_ses_name_0f26ba" ON "console_session" ("name");
COMMENT ON TABLE "console_session" IS 'A signed-in console: the browser holds a random value (an HttpOnly cookie), we keep';
        CREATE TABLE IF NOT EXISTS "staff_role" (
    "userid" VARCHAR(64) NOT NULL PRIMARY KEY,
    "role" VARCHAR(16) NOT NULL,
    "assigned_by" VARCHAR(64) NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON COLUMN "staff_role"."role" IS 'ADMIN: admin\nSPECIALIST: specialist\nVIEWER: viewer';
COMMENT ON TABLE "staff_role" IS 'The console role an admin gave a WeCom member (who signs in through WeCom).';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "console_session";
        DROP TABLE IF EXISTS "staff_role";"""


MODELS_STATE = (
    "eJztXetz2za2/1cw+hL7jprxM3Hc3Z1xHLX1xo+s7SadjTo0REIWVySgEKAV37393y8Akh"
    "KfEiGRMsXgw25q8hyQ+gEEzvv8t+MSCzn09dnE/oieO6fgvx0MXcT/I3WnCzpwMplfFxcY"
    "HDiSFE5sYxwSDSjzoMn45SF0KOKXLERNz54wm2BBfIZB7/YTsDFDjx4UV19RwLlPARshYE"
    "E+KqQIjIhjUUCw8wwgGEE6AjsUITAg7DXxLOTR18ib7L4Wz7SIyR9q48d6hvex/c1HBiOP"
    "iA/h8Yd8/ZNftrGFviMa/TkZG0MbOVYCQ9sSA8jrBnueyGsXmP0iCcWbDwyTOL6L58STZz"
    "YieEbNf4e4+ogw4r8GieGZ5wtYse844QRESAdvOicJXjHGY6Eh9B0xOYI7eIH5tY5hXN/c"
    "G3e9e8PoZCYu4oiBHV4yCRaTzl+Vyl//KF7hp4P9o7dHJ4dvjk44iXzN2ZW3fwWPngMTME"
    "p4ru87f8n7fKoCConxHFT5bwbW8xH08nGN6FPI8ldOIxvh2FxoXfjdcBB+ZCP+55ujBTh+"
    "Prs9/+3sdufN0a54IOEfZfCxXod3DuQtAfUcWv6dGHlrthjcOUfr4D3aKwHv0V4hvOJWEl"
    "6KTA8xQ2w3Khin2KoBOrowR3q+X7dgJXPEBBgGZFmkP/A7zHZRPtpJzhTYVsj6OvqPbYSe"
    "/0Drhp984de1APr7i6ve3f3Z1SfxOJfSb47E7+y+J+4cyKvPqas7b1LTNBsEfLm4/w2IP8"
    "G/b657El5C2aMnnzinu/93R7wT9BkxMJka0IptBNHVCLXErDuQMsOnK817mreCmQ9fuSkT"
    "vyUTHWGycKY99ETGK81zklPPctNmWQjTw3FM8hMXBtAcT6FnGZk75IAU0WZvuQdu+grE8F"
    "FOkkBTvOdc77nn6wR38nWi4F53mVbEZmTL9KLi+dX6h9Y/mgJtzVKbR5wCaHvYdyW8F/yF"
    "IDZRdl8PeZssHnfOPlxdXJ8CaLk27uO7T73zi7PLi7v7U0AnyLShY1PWx58vel96t6fgyU"
    "ZT5KVNHGWmZv9NianZT2/t86kRt5JTI3cyZdUlyaW/AK23rAG91lu03tLgidZ6yw89yw3R"
    "W/hZjDFyzvlfnRzVJX67u0h7MQNCvgBDyuWOHdD3D/f2zL5/snd81PffmsNB339zsL8vr1"
    "vg4YGLbgw9PIAn6PgIQGxJpww0v/k2tcU4IHwssBkQcp5FwZB4OV6eep+1hsoV4VVWQoro"
    "WycbHZYxnx8Wm88PQ/N5UxWxl5aGahZE/Ym1oiCa5NSCaINPLvn2TTm4OMhchb9DlAbzkT"
    "27khSLj6+A1qAx4hInGLUfMbJ+svnhEAwQhA0MPDKlyAujBiDw+GlB3PBo2YEY/MbYRKwI"
    "zkbGNtrtgikCY4QmOSdX5c/oY5tRGcTwGtzJwQEffGqzER9GauBg5+FhzL+Wv/cDjbzfeX"
    "jo8jNSAMyPSPF4ef0VBeKSfKE+ji4JywrgUDs2omA6svlf/Mh07CdEdwHxOLFH/McR+ILO"
    "+QvPHzVFJnGzj+pjrq14thX87GBwHJhEAKQBOvx1+F3IQEAaPV0HZDTRIBp+Yyv4tZN8rR"
    "OBagjQ4D9LBeKIvoUiz0kJbE8KoT1JI9s0YbJNq1YbNdsmS5Y2alKE8KpGzRhvC2d+S2a6"
    "lFUTfZ/YfLgVJjrJqae50dOsjddtneXm2AAY19B7TwizTr4FYH6/u0T/F5QGmpEu1f7Dwa"
    "VZ+BGJpIEJExZhYRxmNmW2SX/miix/lDEkjsNBFcop12ltoa47fBaA6VNGXJRjsK568OU6"
    "8NdOoDsLavSdIQ9Dxwgv/amkIL+3H38UHfndwcHh4duDvcM3J8dHb98en+zNlOXsrUVa8/"
    "uLX4XinPiIl2vSwepQch/MOFqo4h0elHEhHBS7EA4yVu3ZJ1EW4DnHSgA37JyqW9NLbzQK"
    "QOewasRL6NYpP63KxhHnax/WVTkg51iry72bVGs2ely2y2zRHPH3CXlUZq1eIUrhY34MRw"
    "7ZMmF4xmC4MY6lMnE4PBUOJRFCQXwGyJBLpPEhA0cOZ4QODAIrOBKvKBhxuZZ4z11AEWfl"
    "M8SXIM2KxjU9I0dC/srX32NwtFi2h0z5K/9cx3ekReNNisb8vFrhiGupcFx9iHf8e1PCOc"
    "XXPpfI/psysgSnWoB2RpqYb0G5WC/PeEgM0OQV3hE5DyLh4eb3+1Oxv6fPgDJzUEZyLhac"
    "M3IzPwkkVgrrPMbSZLSbtJ+w0PqWhPie63qFW0nEsjmIO52aAF4kFff+uE8IxBGQO1dnf+"
    "wmhOLLm+tfI/IY8OeXN++za1pN554xtE/7qyE5zXeQYnWMGItGeDnCcMFxWKBfr3f+NRrf"
    "6q2fE/jsEJizgv95d3OdD3CMJW3FsE0G/g+IjMXtQ3oBsgKLxTtzehPuJm0QYoD0zuyhod"
    "K+EZDXtKZfTo4+KSNGnxRL0ScZIZoLkwPyPXdbXqSbJ9iWq+jNX9CbVNJjkZ8MMp+qrOw5"
    "xwblOzKuS8KrW4QeQtsx8vWUwrWd4GnR2l4zfnlbzPg6/HD77fhhpMavHvEnnTwLfoKgu9"
    "B2H5IajzPapVb7G98DJpk8h2b0cAQgRwA7ff94AA9EtuTh277/dgiPdrthPIpH3DBCxZi5"
    "Y02RhiHDaHJs97U+aZ0sTD6Uoq4WY9GJCAWq2jbnYtZm5UnJAAdlEhM4VbEUcJBJTiBTHN"
    "SBKQvvjKF1+FZvdXCRO+D7q3BhKFofspwa7qVwWzZ1bUpRnsZGiIMgzgc7wZfCecAZ6wJ6"
    "dmWzZoj3NzeXCUnr/UXaAvz71fse30ok9pzIZgVaWpBEY0Qiqnr+zYxVB243LXA7oY0/Y3"
    "Ol6PwEo9ZyGjzpqgn76VMux1bzPmT85eMtcop8+Hl6y5UccQuXw1/R+o+uxoHdiE4YQrdM"
    "M5wjXFY/NNw5S6UVR792ZvpnPIdA59y/UM79xgPZGx2fU72UqmhzXcvc2rT9sWp763+IjV"
    "eSPhOMWvZsjhiSlT3lVFGT46/w1SSZtKsi38GmZFebMbTOElF9OISNn2xGlOxqMZbWAVz9"
    "IeqgIVul+MOcTW/6Td70v/k2U970k0x6089u+oEmpybdx3laGJxczd6UMZykMM8C/gvxkP"
    "2IP6LnTCh+CQvJFsJeZBvhlz04nWn3ifXGUeC/HQXm5/Ozu/OzD73OXy/jeu/NMsQ6OdaV"
    "2N3uIqMKStI1pneLTjcT93S6WVvSQ3S62ebSzcgEYWM8VBMrEkztC7HXBTC2H/EXCPX60R"
    "COXEyqQV4ZRo12iTQzBKnagTjn0HJHCblD5/HVvYSJZ4mPnihJGjEejfFyjBel3iwvHfAy"
    "aTiToBeqSuWAm0+961MgOPv4/PLs4qr34RSYDrRdZPXxbe/u5vKzuOQhSpynIDjw5bcYLs"
    "A92SZfz+pSYA6r/hyWfw78R/rKIaVzJh1PqhBPigmz+SNWiTRMsWr3TpPdOx5aY6YzzHqu"
    "Gz3X0BYtRJmSzJZg0qdUCd0uAGyFrynOqL+kJn9JoXBqDJ6VTCUJLv0tlbBKhYit0FQmwa"
    "m/piZ/TZFep/g5pdj091TG7hhCtoqsl2DVX1STv6jtasa1SSfsts9yQ6pfyNCna678maiT"
    "E4MTv91dFIQTWISDQCM8p19e/QIjIPPff+LzO7Q9ftSDoPpE3z8+tPYBg3Qse6+kK1Z0gU"
    "mgw0fjq4TftODzKwpcm19hBKO88he1Pio3DSvmu+RMOgvrRbOwmlBmpOViiVjkCvCG5C2E"
    "dr9UTNCCkKBMRNAWupD44x1R85qjpgZ65/zm8rJ3fn9x/espmI/Sx+e3PX5eC6dSIN308Y"
    "fe5cXn3q24xs8k+wl54uovZxeX4pKortYUN5PFTwd1MW7OpUW4polwurRl4SG+4dKWupZ2"
    "rdELiP8upcy7OYfGt4wxxxW/LK/eR+HGkeDZXCL7XqNl/wyk+YaT4gLaKTZdRHv1ItoYfW"
    "eGOULmeJXIgzTzRqyUWvZZsZQVwqtkDsfYtBG6yfNrIcb1KCXFfsbRvvP/YK+Mbs+pCiUA"
    "eS+v6t+22Pk3i/521oMrqnqdDb1WMvbGWXT9olDyW5AqLvHK4qucKn4TjbNl8JZNEY+vK9"
    "UU8XSwqSmzPdesXngdG2r7jowi2GutWiiddV+QYxIX3SN34kBW7NRL03UXefcCv940YDFY"
    "nGeph+8sLDAfcoPw9cEIeUi2kA0KmgJGwBd0TtxXFOQ/LuvRq3boitP/tb9uTX/dy1apb2"
    "FDgFjBRK5fZ6Et7vQY0bfCU7dIgKyj0SNkDJojN7e5ZrEpKsmlLVGrW6JsOvsNWYlkUcZR"
    "klFnHSlkHUUHq2K8RYqtfcaDGpwzTakj3zDct8RMUMoA50+sFa1DSU5tHWrwtKt2C6hTk7"
    "zAA/K9J5p7dXL0x9jd7iKt0RZ0BpoRlgoGhaaJJnz5ARM6jvg1XUAZ8fiFARryfwNNDnAd"
    "jQKb/+9gbw/sYMJGMjbTHHMwHWQJLdCmwOEzspsfCVrTc5YrkV9jwVgeMpEdxuJzsq8dNh"
    "LrWZ6uAdGfSjqnLjkn7m2i5JxY9QqCTUjeCv2p7krPFrL8CTLGSC2WNMHVOhtA9c2Yh26O"
    "NFGMb0jewhVcpgVgcQPATPs/ed4FACnAm+RqX5XEd2Xiad8Vx9O+y8TTCoHV4AKGciGRJK"
    "NW6xXUeq6c8wcqGg8TTK3YPzZtQdzC2P8JwtYKgf+fetcfZNR/yN/HH7hydQosglEzw/oh"
    "E0YrphK7GWfRoZvpPcaBlBnI89R6fSS52mc4PC4VdXS8IOroOBt1FFc/M1gvyyJPsLYvOW"
    "VLDUtlwo4QDmqprTDtKVZtNm6O/TA7zxOPmIiuVsMozatnuskzPTcblva0zTjad1buH5RR"
    "6TlVsZh3cJLbguZlrPH/JDb+Ap9vkUm8pA04l6C7yCYvu/hNg7zr8rFbggtwrijvFhCuaH"
    "AZ3QMPD7KJ3cMD2BFW8n/dCnO4h3y+c3QBRk+chIsKAVeOJb6OB6wRx/XSHfwaZHA8LCNv"
    "HhaLm4ehtLmgHoOowvGoWpEhztQKY0LtxXY9Dp+ltKpjLC2E+Hi/jMuCUxWrUvsZp0VYKS"
    "THDFAc4hXnWSvAazUTzd+GPjYFlGDg2w6zMX0tnvcPRZtNY+O+dE5N8QfRLuW2IXLax+F5"
    "vNtVjqCWolgoqY2HRrp5VrkIii+I7+xsXsJqarMRl6cQGA9F1APxMTsFU0HCxSMwIIyLUc"
    "iiIkoeYjrlHFyM5DIVc57zQyeqfkBu6axEM6t0t6W1CmnpIIlNBUm8UBezxu227W9j9qNB"
    "jm1zrJyfEuNpn9GljrIzlPJXMgqU8sI9PMO3OR/bUb3beWU+Nt3yZtOL2ccuZOaIKxX8qQ"
    "iOFdZzHqt2G2eXNGYGtbGJjEgwVdozcrk1zLne+VmrSHXVOo9f+5aa7FvSySfFH9d2mlEa"
    "nnzycXjue5R4nXwDSnCvu8x0MidbajQRmXCGSx9fURAUHpO80vs0t2h0AYVPyAJwyDUmgK"
    "A5muWLiNM5aympbNQ1/FlNUcAb5NeqSrRb4NeaLb3STq0ZRwuV78q88fpQ0ofSCx5KYcGc"
    "/FMpurnsWJrG6JaeS/cjBMZo6M/q2+yIKHpZ2MZF2N8FZJgyu3cBP2H4VREW8RxdBDsPD/"
    "/z8JATfVHHA/RptV2nVX42x6ISDS1K5NhAjLX4kLL4FgcFRPQ6ICBxKFUREKCFBi00bFRo"
    "uIpaROUJDfObC4WGoDCjmyBeJjkUT3u+qz2qbRkkoa7rX/9RnOu1Fb6bTYPCsRznaeHRXI"
    "sSOSDWszGCdKQCdIKphUjX4MdlfHdUcjFGDC2Et/pyGUOPuIYyxkmu9nlwa8CZeKZyrYE5"
    "k64zoFBnABO1NIyIvn3ruBadlJim73kraUIp1haqQtur+mR9t5T4nql29s44Wnj41lD9wW"
    "Rqrp4ZQwvhrV501CkcxdBvp8VGt0XZnI0hYwXTbVF0W5RGwl5rW5QEZDmG2DSky2yxOE1f"
    "KivLQ6Y9sRFmgGDpVDVHEGPkgKHwqPK/pQVP+FYhvy8e9LNMnwo6BAOPTMEOpxSXZMp8xp"
    "lbx0P6WPxYE+0CE3qejai8FTbafgYywr7Lr4mUfM5L4TMF0xGRHuTpqDC7S1uXX9C6POY/"
    "S0VijehbKLBWrw+E35sKvjGWFkJccXHV2QangnCCqYUY12Ky/2ELTt71ru9PgUgI6eMPvc"
    "uLz71bUXMyPPSQlS5DyTk+Xnz6JC7QsT2ZNKUwZXCm56pRizKgE2wrqVLNarS8yUxo3TJX"
    "t8xtBPrttQ0F/RsDrUTNRJTDWdP2tnWGokS8YhRppIZumk1Dm4VW2zW1XXNr7Jq5e0IFyC"
    "bCHrdrPygLbnovXA5w/GyqAGPZ4Pl6Nlo7Uc45z1Ut9HVanYMdJMfcPNtaiu3Ms/z42XZW"
    "bcivtr++oP01ciKoKIdxHp3jtNR8FcAlEVIGOeLaoOkq+s+NoF19YORst1qjDtmiMWqyh7"
    "Rpwc/gU61JlmFsn/GpRrQno1yZuATcM8724V39BvNCecGNRrn6Vc0QdLMAFyeqRvSbT1R9"
    "meDfWlJS6QSZNozAKh2km+BqX7PIOkqkcsiEzV9Y9ZWKtGc5m5GZLR7bmszsDaeINVk4rP"
    "74lFgFxQ1VPWUpVl2or8nJHoFBLGwqofIxZRgr+ahabWEIIBsQH6/igM5y6y+ryV9W1DTL"
    "WKllUT63VkmWf2USuRX6F6X52od1LT2MyBPyLB+FAe5c5A3i20tr3Pns7QN/v0w0035xMN"
    "O+jmXSsUynuh5V+2Y9R5pQrUeVHxSwZtaYWkBA0xZDYdZYbozKmlCpxKdsJVAvl4y4NXDV"
    "Ghci4+uvEKVQBhpk40MSBN2F+YhBrL4bo60zTuRrLLNDljSHjCF3Iv4NKsbpFmyNa8E2Rs"
    "8qMnxI3roYk1rqx4kPUwHbkLyFCWjV26zhxFaD1m4ptEdl1u1R8bI9yq5a71HJARbRaz/v"
    "Gg6u5uattmxP9tBQDeJhK72I78qkk74rTid9l0kn1SnBKinBVxd3d+Jv16a0KQnBE88mns"
    "1y5MGFJSzjbLqIpUIRSwtBy7HzAgQXG/fifNov2BxLXtaAG+q/ObtioXYbZ9HdJTN1X1NW"
    "BcUvJ4d9M7bxTR70bfqAZDdQ5HlqNTSTXO3zL9ZS85fPWphjUlbxm3Ospfo1DOpNa37atV"
    "u86rfTyVfGtSv7SatPeYxNS35NPri0675tX3UFrvs63Yaf7AmSSmGOx3B2r7u8eOkkTluq"
    "A6WMAadRK0g5ChDT2A3aFU9tNgJC4nZEfoRsbwx9y0bYRLIMKASW70kPcX7/yWqH18nuTU"
    "x2b0ImdoOckTWleCh5deYc2q+jW0pqOWBb5IBb30F848T5sUOxuwtlAY/TiYQfXDJqqNOT"
    "9b4DDsAIP3bFEF0wRhMmiouLftCnovR3l/8fwl0wQOJqcEQPGT+1d8QPAX8H/FlcyclpRl"
    "39I/q4j4WI4UCP73UM2BawgwrmYmRAEXtFAR/XpvxXnoKJR0xEKZcyTOJOIB/aZuJFLGTa"
    "lnwlD4k7toPqkDV0TJS4t4mYKLn61XJ4Yiztc8RXn7gDzSgktHQEj1kQatqGIB7dd2rL1m"
    "9wtKjI03MObSxfXZyW57gK7DMGjfrqqA8gM9V6IEcM7fO91RDKqqwaapWwWSphkcOnQSrh"
    "rXytXH1Q3OouUwbLm4Nl+1fMANfGhNoUGW7H6HlKPCvU2Wws1ayHh/AyfXgAQ643CT3OBT"
    "tiE8rRAKsffg0VrQlKQoNsllXJWMVa2YBYOaGJCySukF7bL9c4+hEWQKh2NY9xbTAiNFr8"
    "WxsQGpma1Gw/ca42tQDYcEeeyN4+UMqHS3Jp3bmE7qxdIm2Tf7fAJXLHICsSgOW9pRKwQS"
    "OypWLwJ+SFgmjUXlX4ICz4DHbORzaGgD8RW/x3gXu+TndPwchmtAs8NHFEC1XhnOCs/KS0"
    "yBTLpnE0KwzX9ZAckfgr/7jk/hYTYKOulH9ql0ZzTrNi4TmcwOxuW5BiAnNF5/gWu4Xb6w"
    "JUxRaZlsYaoOC99HlUd6F03Q23bkeQ2PWz+BbuuhG5Tj3KKmfy4FTAMsah4UzDSf3JxENR"
    "8mtJRJNMGtTcZncvI2RzaXM4vCXy7TNS9vzmQjGbCjLDI0rmZo4oZwCCi0vAAFqujcEjfO"
    "J/gS/onLjARe5ARP9MRwRQ+xHTwD7sEf9xFJAU2ZqrG3sNQ7N6s5w1W+M0TH7esJk5Wn5Z"
    "sJdXMYh4myyZdM4+XF1cnwaLuY/vPvXOL84uL+5EAYNZ24g+/nzR+9K7PQVPNpoGHvSXl2"
    "UgFZ+Yso0uxdbkyWmMZK6NdMXQayNdDfLD7xhiOhXFUv7lIxrOSUaQyKFaKFH4M3rjW5yh"
    "Md0ytQVsUxYwbWuo/XzmjxNhGbNyr6VxTvG1EuxSNeHfLCgK/yZbFZ5gllsy7h59L9hTYi"
    "ytQHnR4dv74z5x7mbiIWZn7+XN9a8ReTpIIlWAhngul5D/N89sUYx6kksDvwLwzY6S3Ohx"
    "up3yZ8ODJL8gxyQuuvGZ+CdP9kxRLJQ7pwGtQWLES81ZX0aQgQEy+WNFWGOQ3h4MdBr6a4"
    "NygWBnAikDB3uA7nYBdMSCeDYEBdg52t873t/tZuxZVQ7ex3xJRoGY4uK7N5wUE9lPpwuC"
    "Goc6BW6bpeUx//EqIlxE34qzrW45eeMW3UZnVNTRzHXlPvNVtZdv9pKuzZOv3Iktzde+5X"
    "1YRvE7LNb7DjNqX0yoKAtzjKWFy7n6HRp5Xv5KLhQ/Yhwr+aWbtoYrdvdr9U2rbxtQ34QJ"
    "plOsu8nb3TKKG4sol2ptZwCj6U/CrsbJIpXqZ5l/5nJ4A6fq0DbBThSnG2hJMthhF0yg7Y"
    "GpaNieUdkqHTk3rDd9+oZCz1oxvT+KglZbSTQtSm1OlNKaWL1qQbSNljWUR/StEFI3byLn"
    "B8XIRTgv4ndBiYwk2+bTZTt/G/pYlvcBA992mDiyxPP+0dn8xOgigDqYpoQ03PBgmjN+Rp"
    "mjPEE4vLNQBoZzmsbEyWipck2pMqyXoSLqxFhacR4nhZ2D4+MS0g6nKhR35D3d8TPfJFeq"
    "Rcn+ghYl+9kWJYXxLsXCTXG8i64DskyEedHD7K//B49Zzlo="
)
