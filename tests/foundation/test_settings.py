"""Configuration: file, environment overrides, embedded default, clear errors without secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings

SECRET_KEY = "abcdefghijABCDEFGHIJ0123456789abcdefghijKLM"  # 43 chars
TOML = f"""
listen = "0.0.0.0:9090"
database_url = "postgres://bot@db:5432/bot"
redis_url = "redis://cache:6379/0"

[wecom]
corp_id = "wwcorp"
api_base = "https://qyapi.weixin.qq.com"

[[wecom.apps]]
name = "main"
kind = "app"
agent_id = 1000002
secret = "s3cr3t-value"
token = "tok-value"
encoding_aes_key = "{SECRET_KEY}"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_embedded_with_the_sandbox() -> None:
    s = load_settings(env={})
    assert s.embedded and s.wecom.is_sandbox
    assert s.database_url.startswith("sqlite://")
    assert {a.name for a in s.wecom.apps} == {"main", "aibot"}
    assert all(len(a.encoding_aes_key.get_secret_value()) == 43 for a in s.wecom.apps)


def test_file_then_environment_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, TOML)
    s = load_settings(path, env={"WECOM_BOT_LISTEN": "127.0.0.1:7000",
                                 "WECOM_BOT_CALLBACK_MAX_AGE_SECONDS": "0"})
    assert s.listen == "127.0.0.1:7000" and s.port == 7000
    assert s.callback_max_age_seconds == 0
    assert not s.embedded
    app = s.wecom.app("main")
    assert app is not None and app.secret.get_secret_value() == "s3cr3t-value"
    via_env = load_settings(env={"WECOM_BOT_CONFIG": str(path)})
    assert via_env.listen == "0.0.0.0:9090"


def test_wecom_table_from_environment_json() -> None:
    wecom = {"corp_id": "wwx", "api_base": "sandbox", "apps": [
        {"name": "main", "token": "t", "encoding_aes_key": SECRET_KEY}]}
    s = load_settings(env={"WECOM_BOT_WECOM": json.dumps(wecom)})
    assert s.wecom.corp_id == "wwx" and [a.name for a in s.wecom.apps] == ["main"]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("encoding_aes_key = \"" + SECRET_KEY + "\"", 'encoding_aes_key = "short-s3cr3t"'),
         "wecom.apps.0.encoding_aes_key"),
        (('listen = "0.0.0.0:9090"', 'listen = "nope"'), "listen"),
        (('redis_url = "redis://cache:6379/0"', 'redis_url = "http://x"'), "redis_url"),
        (('kind = "app"', 'kind = "robot"'), "wecom.apps.0.kind"),
        (('listen = "0.0.0.0:9090"', 'listen = "0.0.0.0:9090"\nsurprise = 1'), "surprise"),
        (('secret = "s3cr3t-value"', 'secret = ""'), "wecom.apps.main.secret"),
    ],
)
def test_invalid_configuration_names_the_key_and_hides_secrets(
    tmp_path: Path, change: tuple[str, str], key: str
) -> None:
    path = write(tmp_path, TOML.replace(*change))
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={})
    message = str(err.value)
    assert key in message and "\n" not in message
    for secret in ("s3cr3t-value", "tok-value", SECRET_KEY, "short-s3cr3t"):
        assert secret not in message


@pytest.mark.parametrize("menu", ['[["进度", "查询进度"]]', '[["progress", ""]]'])
def test_the_default_kefu_menu_is_held_to_the_admin_apis_limits(
    tmp_path: Path, menu: str
) -> None:
    path = write(tmp_path, TOML + f"\n[conversations]\nkf_welcome_menu = {menu}\n")
    with pytest.raises(ConfigError, match=r"conversations\.kf_welcome_menu"):
        load_settings(path, env={})


def test_missing_and_broken_files_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml", env={})
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "listen = "), env={})


def test_secrets_do_not_appear_in_reprs(tmp_path: Path) -> None:
    s = load_settings(write(tmp_path, TOML), env={})
    text = repr(s) + str(s) + repr(s.wecom.apps[0])
    for secret in ("s3cr3t-value", "tok-value", SECRET_KEY):
        assert secret not in text


def test_a_misspelled_environment_variable_is_named_once_with_the_closest_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = {"WECOM_BOT_DATABSE_URL": "postgres://x@db/x", "WECOM_BOT_LISTEN": "127.0.0.1:7001"}
    s = load_settings(env=env)
    assert s.database_url.startswith("sqlite://")  # the misspelled one did nothing
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "WECOM_BOT_DATABSE_URL" in err and "WECOM_BOT_DATABASE_URL" in err
    assert "postgres://" not in err  # the value is never shown
    load_settings(env=env)
    assert capsys.readouterr().err == ""  # once per process
    load_settings(env={"WECOM_BOT_ZZZQQQ": "1", "WECOM_BOT_TEST_PG": "x"})
    err = capsys.readouterr().err
    assert "WECOM_BOT_ZZZQQQ" in err and "did you mean" not in err and "TEST_PG" not in err


def test_a_short_erp_signing_secret_is_refused_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(env={"WECOM_BOT_ERP_SIGNING_SECRET": "short-secret"})
    assert "erp_signing_secret" in str(err.value) and "16" in str(err.value)
    assert "short-secret" not in str(err.value)
    ok = load_settings(env={"WECOM_BOT_ERP_SIGNING_SECRET": "x" * 16})
    assert ok.erp_signing_secret.get_secret_value() == "x" * 16
    assert load_settings(env={}).erp_signing_secret.get_secret_value() == ""


def test_an_app_is_found_by_name_in_each_copy_of_the_config() -> None:
    # The look-up is indexed; a copy with other apps (as the sandbox's start makes) must
    # answer with its own apps, not the ones looked up before the copy.
    from bot.settings import AppConfig, WeComConfig

    def app(name: str, agent_id: int) -> AppConfig:
        return AppConfig(name=name, agent_id=agent_id, token="t",  # type: ignore[arg-type]
                         encoding_aes_key="k" * 43)  # type: ignore[arg-type]

    first = WeComConfig(apps=(app("main", 1), app("ops", 2)))
    main = first.app("main")
    assert main is not None and main.agent_id == 1
    assert first.app("nope") is None
    second = first.model_copy(update={"apps": (app("main", 7),)})
    again = second.app("main")
    assert again is not None and again.agent_id == 7
    assert second.app("ops") is None
    assert first.app("ops") is not None


def test_the_inbox_keeps_settled_callbacks_at_least_4_days(tmp_path: Path) -> None:
    """Under 4 days a key kf/sync_msg may hand out again (it hands out 3 days) would be
    forgotten, and the message handled twice."""
    with pytest.raises(ConfigError, match=r"inbox_keep_days: .*greater than or equal to 4"):
        load_settings(write(tmp_path, _top(TOML, "inbox_keep_days = 3.9")), env={})
    assert load_settings(write(tmp_path, _top(TOML, "inbox_keep_days = 4")),
                         env={}).inbox_keep_days == 4
    assert load_settings(write(tmp_path, TOML), env={}).inbox_keep_days == 7


def _top(toml: str, line: str) -> str:
    """The config with ``line`` among its top-level keys (before any table)."""
    return toml.replace('listen = "0.0.0.0:9090"', f'listen = "0.0.0.0:9090"\n{line}', 1)
