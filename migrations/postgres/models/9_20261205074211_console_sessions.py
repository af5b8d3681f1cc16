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
    "eJztXVlz2zi2/isovcS+pU55T+KemSrHUXd74iVju5OuibpoiIQsjkhAIUArvnP7v1+Ai8"
    "RVIiRShhg8zKRNngNSH0Dg7Oe/HZdYyKGvzyb2R/TcOQX/7WDoIv4fmTtd0IGTyfy6uMDg"
    "wAlI4cQ2xhHRgDIPmoxfHkKHIn7JQtT07AmzCRbEZxj0bj8BGzP06EFx9RUFnPsUsBECFu"
    "SjQorAiDgWBQQ7zwCCEaQjsEMRAgPCXhPPQh59jbzJ7mvxTIuY/KE2fmxmeB/b33xkMPKI"
    "+BAef8jXP/llG1voO6Lxn5OxMbSRY6UwtC0xQHDdYM+T4NoFZr8EhOLNB4ZJHN/Fc+LJMx"
    "sRPKPmv0NcfUQY8V+DxPDM8wWs2HecaAJipMM3nZOEr5jgsdAQ+o6YHMEdvsD8Wscwrm/u"
    "jbvevWF0chMXcyTAji6ZBItJ569Kg1//KF7hp4P9ozdHbw9Pjt5ykuA1Z1fe/BU+eg5MyB"
    "jAc33f+Su4z6cqpAgwnoMa/JuD9XwEvWJcY/oMsvyVs8jGOKoLrQu/Gw7Cj2zE/zw5WoDj"
    "57Pb89/ObndOjnbFAwn/KMOP9Tq6cxDcElDPoeXfiVG0ZsvBnXO0Dt6jvQrwHu2Vwitupe"
    "GlyPQQM8R2I4Nxhq0eoOMLc6Tn+3ULVjJHTIBhQJZH+gO/w2wXFaOd5syAbUWsr+P/2Ebo"
    "+Q+0bvjJF31dC6C/v7jq3d2fXX0Sj3Mp/eYE+J3d98Sdg+Dqc+bqzklmmmaDgC8X978B8S"
    "f49811L4CXUPboBU+c093/uyPeCfqMGJhMDWglNoL4aoxaatYdSJnh05XmPctbw8xHr6zK"
    "xG/JRMeYLJxpDz2R8UrznObUs6zaLAthejhOSH7iwgCa4yn0LCN3hxyQMtr8LffAzV6BGD"
    "4GkyTQFO8513vu+TrBnWKdKLzXXaYVsRnZMr2ofH61/qH1D1WgbVhq84hTAm0P+24A7wV/"
    "IYhNlN/XI16VxePO2Yeri+tTAC3Xxn1896l3fnF2eXF3fwroBJk2dGzK+vjzRe9L7/YUPN"
    "loirysiaPK1OyfVJia/ezWPp8acSs9NcFOJq26pLn0F6D1ljWg13qL1lsUnmitt/zQs6yI"
    "3sLPYoyRc87/6hSoLsnb3UXaixkS8gUYUS537IC+f7i3Z/b9t3vHR33/jTkc9P2Tg/394L"
    "oFHh646MbQwwN4go6PAMRW4JSB5jffprYYB0SPBTYDQs6zKBgSr8DL0+yz1lC5YryqSkgx"
    "fetko8Mq5vPDcvP5YWQ+V1URe2lpqGFB1J9YKwqiaU4tiCp8cgVvr8rBxUHmKvwdojScj/"
    "zZlaZYfHyFtAZNEFc4waj9iJH1k80Ph3CAMGxg4JEpRV4UNQCBx08L4kZHyw7E4DfGJmJF"
    "cDYyttFuF0wRGCM0KTi5an9GH9uMBkEMr8FdMDjgg09tNuLDBBo42Hl4GPOv5e/9UCPvdx"
    "4euvyMFADzI1I8Prj+igJxKXihPo4vCcsK4FA7NqJgOrL5X/zIdOwnRHcB8TixR/zHEfiC"
    "zvkLzx81RSZx84/qY66teLYV/uxwcByaRACkITr8dfhdyEBIGj9dB2SoaBCNvrEV/Nppvt"
    "aJQA0EaPCfJQNxTN9CkedtBWzflkL7NousasJkm1atNmq2TZasbNSkCOFVjZoJ3hbO/JbM"
    "dCWrJvo+sflwK0x0mlNPs9LTrI3XbZ1ldWwAjGvovSeEWafYAjC/312i/wtKA81Il2r/0e"
    "CBWfgRiaSBCRMWYWEcZjZltkl/5oosf5QxJI7DQRXKKddpbaGuO3wWgOlTRlxUYLCue/Dl"
    "OvDXTqg7C2r0nSEPQ8eILv0ppSC/tx9/FB353cHB4eGbg73Dk7fHR2/eHL/dmynL+VuLtO"
    "b3F78KxTn1ES/XpMPVIeU+mHG0UMU7PKjiQjgodyEc5Kzas0+iKsBzjpUAVuycalrTy240"
    "EkAXsGrEK+jWGT+tzMaR5Gsf1nU5IOdYy8u9m1RrNnpctstsoY74+4Q8GmStXiFK4WNxDE"
    "cB2TJheMZguAmOpTJxNDwVDiURQkF8BsiQS6TJIUNHDmeEDgwDKzgSrygYcbmWeM9dQBFn"
    "5TPElyDNi8YNPaNAQv7K199jeLRYtofM4Ff+uY7vSIvGmxSN+Xm1whHXUuG4/hDv5PcmhX"
    "OGr30ukf2TKrIEp1qAdk6amG9BhVgvz3hIDaDyCu+InAeR8HDz+/2p2N+zZ0CVOagiOZcL"
    "zjm5mZ8EAVYS6zzBojLaKu0nLLK+pSG+57pe6VYSs2wO4k6nIYAXScW9P+5TAnEM5M7V2R"
    "+7KaH48ub615g8Afz55c37/JqW07lnDO3T/hpITvMdJFkdI8GiEV6OMFxwHJbo1+udf0rj"
    "W7/1cwKfHQILVvA/726uiwFOsGStGLbJwP8BkbG4fUgvQFZgsXhnzm7C3bQNQgyQ3Zk9NJ"
    "TaN0Lyhtb0y8nRb6uI0W/Lpei3OSGaC5MD8r1wW16km6fYlqvo6i/oTSrpichPBplPZVb2"
    "nGOD8h0ZNyXhNS1CD6HtGMV6SunaTvG0aG2vGb+8LWZ8HX64/Xb8KFLjV4/4k06RBT9F0F"
    "1ou49IjccZ7VKr/Y3vAZNMniMzejQCCEYAO33/eAAPRLbk4Zu+/2YIj3a7UTyKR9woQsWY"
    "uWNNkYYRhNEU2O4bfdI6WZh8KEldLcGiExFKVLVtzsVszMqTkQEOqiQmcKpyKeAgl5xApj"
    "isA1MV3hlD6/Ct3+rgInfA91fhwpC0PuQ5NdxL4bZs6tqUoiKNjRAHQVwMdoovg/OAMzYF"
    "9OzKZs0Q729uLlOS1vuLrAX496v3Pb6VBNhzIpuVaGlhEo0Ri6jy+TczVh24rVrgdkobf8"
    "bmStH5KUat5Sg86bIJ+9lTrsBW8z5i/OXjLXLKfPhFestVMOIWLoe/4vUfX00CuxGdMIJu"
    "mWY4R7iqfmi4c5ZaK45+7cz0z2QOgc65f6Gc+40Hsisdn1O/lCppc13L3Kra/li3vfU/xM"
    "YrSZ8pRi17qiOG5GXPYKqoyfGX+GrSTNpVUexgk7KrzRhaZ4moPxzCxk82I1J2tQRL6wCu"
    "/xB10JCtUvxhzqY3fZU3/W++zaQ3/TST3vTzm36oyclJ90meFgYn17M35QwnGczzgP9CPG"
    "Q/4o/oOReKX8FCsoWwl9lG+GUPTmfafWq9cRT4b0eh+fn87O787EOv89fLuN57swyxToF1"
    "JXG3u8iogtJ0yvRu0elm4p5ON2tLeohON9tcuhmZIGyMh3JiRYqpfSH2ugDG9iP+AqFePx"
    "rCsYtJNsgrx6jRrpBmhiCVOxDnHFruqCB36Dy+ppcw8Szx0RMpSSPBozFejvGi1JvlpQNe"
    "Jg1nEvZClakccPOpd30KBGcfn1+eXVz1PpwC04G2i6w+vu3d3Vx+Fpc8RInzFAYHvvwWww"
    "W4J9vk61leCixg1Z/D8s+B/0hfOqR0zqTjSSXiSTFhNn/EKpGGGVbt3lHZveOhNWY6x6zn"
    "Wum5hrZoIcqkZLYUkz6lKuh2IWArfE1JRv0lqfwlRcKpMXiWMpWkuPS3VMEqFSG2QlOZFK"
    "f+mlT+mmK9TvJzyrDp76mK3TGCbBVZL8WqvyiVv6jtasa1SSfsts+yItUvgtCna678mahT"
    "EIOTvN1dFIQTWoTDQCM8p19e/QIjEOS//8Tnd2h7/KgHYfWJvn98aO0DBuk46L2SrVjRBS"
    "aBDh+NrxJ+04LPryhwbX6FEYyKyl80+qjCNKyE75Iz6SysF83CUqHMSMvFErHIJeCNyFsI"
    "7X6lmKAFIUG5iKAtdCHxxzui5jVHTQ70zvnN5WXv/P7i+tdTMB+lj89ve/y8Fk6lULrp4w"
    "+9y4vPvVtxjZ9J9hPyxNVfzi4uxSVRXU0VN5PFTwd5MW7OpUU41UQ4Xdqy9BDfcGlLXUu7"
    "0egFxH+XVObdnEPjW8WY44pfVlTvo3TjSPFsLpF9T2nZPwdpseGkvIB2hk0X0V69iDZG35"
    "lhjpA5XiXyIMu8ESulln1WLGWF8CqZwwk2bYRWeX4txLgeJaXYzzjad/4f7FXR7TlVqQQQ"
    "3Cuq+rctdv7Nor+d9eDKql7nQ6+ljL1JFl2/KJL8FqSKB3jl8ZVOFb+Jx9kyeKumiCfXlW"
    "yKeDbY1AyyPdesXnidGGr7jowy2ButWhg4674gxyQuukfuxIGs3KmXpesu8u6Ffr1pyGKw"
    "JM9SD99ZVGA+4gbR64MR8lDQQjYsaAoYAV/QOXFfUVD8uLxHr96ha07/1/66Nf11L1ulvo"
    "UNARIFE7l+nYe2vNNjTN8KT90iAbKJRo+QMWiO3MLmmuWmqDSXtkStbomy6ew35CWSRRlH"
    "aUaddSSRdRQfrJLxFhm29hkPGnDOqFJHXjHct8RMUMkA50+sFa1DaU5tHVJ42mW7BTSpSV"
    "7gAfneE829OgX6Y+Jud5HWaAs6A80IKwWDQtNEE778gAkdR/yaLqCMePzCAA35v6EmB7iO"
    "RoHN/3ewtwd2MGGjIDbTHHMwHWQJLdCmwOEzslscCdrQc5YrkV8TwVgeMpEdxeL/qYvLKV"
    "lcTqxvCREmIm+FptR0TWcLWf4EGWMkFzWa4mqdtl9/2+WhWyA3lOMbkbdwBVdp9lfe6i/X"
    "6C842UKAJOBNc7WvHuK7KpGz78ojZ9/lImeFaGpwUUK6ZEiaUSvwEgo8V8P5AyXNhCmmVu"
    "wfm7YVbmGU/wRha4UQ/0+96w9BfH/E38cfuBp1CiyCkZoB/JAJ8xSTidJMsuggzewe40DK"
    "DOR5cl090lztMxEeV4ovOl4QX3Scjy9KKpo5rJfli6dY25eGsqUmpCoBRgiHVdNWmPYMqz"
    "YQq2MpzM/zxCMmoqtVK8ry6plWbaYVMQr/k9j4C3y+RSbx0gbKQoLuItNw0ExuGqb/Vg8h"
    "ElyAc8Xpn4BwKZgLkB54eAh6qT08gB1hrP3XrbDKesjny7oLMFe5Pf5XxFVgEG7iAWuEE7"
    "10IzmFrGGHVYShw3JZ6DAShRaUBRDFIB5lCwMkmVqh6TZe89Xj8FlSqzrB0kKIj/er2NM5"
    "Vbmcv5+zqEcFKwp01PJIoyTPWnFGq9kP/jb0sSmgBAPfdpiN6WvxvH9IGhSUDT/SqR3lH0"
    "S7NC9F5LSPw/Nk06UCQS1DsVBSGw+NbA+nao78L4jv7GxeSWlqsxGXpxAYD4XznfiYnYKp"
    "IOHiERgQxsUoZFERrA0xnXIOLkZymYo5z8Ue/LofUFjBKdVTKdv0Z616TtqDvykP/gs101"
    "Jut21/N60fDXJsm2PpNIkET/us501UP6GUv5JRopSX7uE5vs05gI6a3c5rcwDpziubXsw+"
    "diEzR1yp4E9FcCyxnotYtU8zv6QxM6iNTWTEgqnUnlHIrWEudB3POhbKq9ZF/NrxoZrjQ+"
    "dAVPu4ttOMongOxMfhue9R4nWKDSjhve4y08mcbKnRRCRkGS59fEVBWP8q4A28T3OLRhdQ"
    "+IQsAIdcYwIImqNZ2oI4nfOWktpGXcOfpYoCrpBfqy7RboFfa7b0Kju1ZhwtVL73D6pEf3"
    "Oq8ojAg1wEuD6U9KG04UMpqttSfCrFN5cdS9ME3dJz6X6EwBgN/VmZlR0R4h3UV3ER9ncB"
    "GWbM7l3ATxh+VYRFPMcXwc7Dw/88PBREXzTxAH1abddpVZxqsKhSQIuyDDYQACw+pDy+5U"
    "EBMb0OCEgdSnUEBGihQQsNGxUaruJORUVCw/zmQqEhrA/opoiXSQ7l017sao9LLIYZkuv6"
    "138U53pj9ddm0yBxLCd5Wng0N6JEDoj1bIwgHckAnWJqIdIN+HEZ3x2lXIwxQwvhrb+Ww9"
    "AjriGNcZqrfR7cBnAmnimdCD9n0knwEknwmMilYcT07VvHjeikxDR9z1tJE8qwtlAV2l7V"
    "J++7pcT3TLmzd8bRwsO3gdIEJpNz9cwYWghv/aKjTuEoh347LTa6O8fmbAw5K5juzqG7cy"
    "gJe6PdOVKQFRhis5Aus8XiLH2lrCwPmfbERpgBggOnqjmCGCMn6Hsv/g4seMK3Cvl98aCf"
    "g/SpsFEt8MgU7HBKcSlImc85c5t4SB+LH2uiXWBCz7MRDW5F/Z6fQRBh3+XXREo+56XwmY"
    "LpiAQe5OmoNLtLW5df0Lo85j9LRmKN6VsosNavD0Tfmwy+CZYWQlxz5c/ZBieDcIqphRg3"
    "YrL/Yash3vWu70+BSAjp4w+9y4vPvVtREDE69JCVrZHIOT5efPokLtCxPZmoUjUx1eE+I3"
    "AuyIBOsa2kSqnV73eTmdC6c6vu3KoE+u21DYVtBEOtRM5EVMDZ0Pa2dYaiVLxiHGkkh26W"
    "TUObh1bbNbVdc2vsmoV7Qg3IpsIet2s/qApudi9cDnDybKoB46DP8PVstHaiXHCey1rom7"
    "Q6hztIgbl5trWU25ln+fGz7azekF9tf31B+2vsRJBRDpM8OsdpqfkqhCtASBrkmGuDpqv4"
    "PzeCdv2BkbPdao06ZIvGaMge0qYFP4NPtiZZjrF9xqcG0Z6MCmXiCnDPONuHd/0bzAvlBS"
    "uNcv2rmiHo5gEuT1SN6TefqPoywb+NpKTSCTJtGINVOUg3xdW+ToZNlEjlkAmbv7DqSxVp"
    "z3OqkZktHtuazOwNp4ipLBzWf3wGWIXFDWU9ZRlWXahP5WSP0CAWNZWQ+ZhyjLV8VK22MI"
    "SQDYiPV3FA57n1l6XylxU3zTJWallUzK1VkuVfWYDcCv2Lsnztw7qRHkbkCXmWj6IAdy7y"
    "hvHtlTXuYvb2gb9fJZppvzyYaV/HMulYplNdj6p9s14gTcjWoyoOClgza0wuIEC1xVCaNV"
    "YYo7ImVDLxKVsJ1MslI24NXI3GhQTx9VeIUhgEGuTjQ1IE3YX5iGGsvpugbTJO5GsisyMo"
    "aQ4ZQ+5E/BtWjNMt2JRrwTZGzzIyfETeuhiTRurHiQ9TAtuIvIUJaPXbrOHEloPWbim0R1"
    "XW7VH5sj3Kr1rvUcoBFtNrP+8aDi5181Zbtid7aCgH8bCVXsR3VdJJ35Wnk77LpZPqlGCZ"
    "lOCri7s78bdrU6pKQvDEs4lnswJ5cGEJyySbLmIpUcTSQtBy7KIAwcXGvSSf9guqY8nLG3"
    "Aj/bdgVyzVbpMsurtkru5rxqog+eUUsG/GNr7Jg75NH1DQDRR5nlwNzTRX+/yLjdT85bMW"
    "5ZhUVfzmHGupfopBvWnNT7t2y1f9djr5qrh2g37S8lOeYNOSn8oHl3bdt+2rrsF136Tb8J"
    "M9QYFSWOAxnN3rLi9eOknSVupAGcSA07gVZDAKENPYDdsVT202AkLidkR+RNDeGPqWjbCJ"
    "gjKgEFi+F3iIi/tP1ju8TnZXMdldhUxshZyRDaV4SHl15hzar6NbSmo5YFvkgFvfQXzjxM"
    "WxQ4m7C2UBj9OJhB9cMWqo0wvqfYccgBF+7IohumCMJkwUFxf9oE9F6e8u/z+Eu2CAxNXw"
    "iB4yfmrviB8C/g74s7iSU9CMuv5H9HEfCxHDgR7f6xiwLWCHFczFyIAi9ooCPq5N+a88BR"
    "OPmIhSLmWYxJ1APrTNxItYyLSt4JU8JO7YDmpC1tAxUeLeJmKigtUvl8OTYGmfI77+xB1o"
    "xiGhlSN4zJJQ0zYE8ei+U1u2fsOjRUaennNoY/nq4nRwjsvAPmPQqK+O+gAyU64HcszQPt"
    "9bA6Gs0qqhVgnVUgnLHD4KqYS3wWsV6oPiVneZMljdHBy0f8UMcG1MqE2x4XaMnqfEsyKd"
    "zcaBmvXwEF2mDw9gyPUmoce5YEdsQgUaYP3Dr6GiqaAkKGSzrEvGKtfKBsQqCE1cIHFF9N"
    "p+ucbRj7AAQrareYJrgxGh8eLf2oDQ2NQkZ/tJcrWpBcCGO/LE9vaBVD5cmkvrzhV0Z+0S"
    "aZv8uwUukTsGWZkAHNxbKgEbNCZbKgZ/Ql4kiMbtVYUPwoLPYOd8ZGMI+BOxxX8XuOfrdP"
    "cUjGxGu8BDE0e0UBXOCc7KT0qLTHHQNI7mheGmHlIgEn/lH1ewvyUE2Lgr5Z/apaHOaVYu"
    "PEcTmN9tS1JMYKHonNxit3B7XYCq2CKz0pgCCt5Ln0dNF0rX3XCbdgSJXT+Pb+muG5Pr1K"
    "O8chYcnBJYJjg0nFk4qT+ZeChOfq2IaJpJg1rY7O5lhGwubQ6HtyR4+5yUPb+5UMymgszw"
    "iJS5mSPKGYDg4hIwgJZrY/AIn/hf4As6Jy5wkTsQ0T/TEQHUfsQ0tA97xH8chSRltub6xl"
    "7D0CzfLGfN1jiKyc8bNjPHyy8P9vIqBjGvypJJ5+zD1cX1abiY+/juU+/84uzy4k4UMJi1"
    "jejjzxe9L73bU/Bko2noQX95WQZS8YlJ2+gybCpPjjKSuTbSlUOvjXQNyA+/Y4jpVBRL+Z"
    "ePaDQnOUGigGqhROHP6I1vSQZlumVqC9imLGDa1tD4+cwfJ8IyZuVeK+Oc4Wsl2JVqwp8s"
    "KAp/kq8KTzArLBl3j76X7CkJllagvOjw7f1xnzp3c/EQs7P38ub615g8GySRKUBDPJdLyP"
    "9bZLYoRz3NpYFfAXi1oyQ3epxup/ypeJDkF+SYxEU3PhP/FMmeGYqFcuc0pDVIgnipOevL"
    "CDIwQCZ/rAhrDNPbw4FOI39tWC4Q7EwgZeBgD9DdLoCOWBDPhqAAO0f7e8f7u92cPavOwf"
    "uYL8k4EFNcfHfCSTEJ+ul0QVjjUKfAbbO0POY/XkaEi+lbcbY1LSdv3KKrdEZFE81cV+4z"
    "X1d7ebWXdGOefOlObFm+9i3vwyqK32G53neYU/sSQkVVmBMsLVzO9e/QyPOKV3Kp+JHgWM"
    "kvrdoartndr9U3rb5tQH0TJphOue4W3O5WUdxYTLlUazsDGE1/EnY1TharVD8H+Wcuhzd0"
    "qg5tE+zEcbqhlhQEO+yCCbQ9MBUN23MqW60jF4b1Zk/fSOhZK6b3R1HQGiuJpkWpzYlSWh"
    "NrVi2It9GqhvKYvhVC6uZN5PygGLkIF0X8LiiRkWbbfLps529DHwflfcDAtx0mjizxvH90"
    "Nj8xugigDqapIA0rHkxzxs8oc1QkCEd3FsrAcE6jTJyMlirXlCqjehkyok6CpRXncVrYOT"
    "g+riDtcKpScSe4pzt+FpvkKrUo2V/QomQ/36KkNN6lXLgpj3fRdUCWiTAvepj99f+LbFcW"
)
