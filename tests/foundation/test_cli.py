"""The command line as an operator meets it: --config anywhere, help text, clear one-line errors."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.cli import main as cli_main


def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(f'database_url = "sqlite://{tmp_path}/cli.sqlite3"\n', encoding="utf-8")
    return path


def test_config_is_accepted_before_and_after_the_subcommand(tmp_path: Path) -> None:
    path = config_file(tmp_path)
    assert cli_main(["migrate", "--config", str(path)]) == 0
    assert (tmp_path / "cli.sqlite3").exists()
    assert cli_main(["--config", str(path), "migrate"]) == 0
    parser = build_parser()
    for argv in (["serve", "--config", "a.toml"], ["--config", "a.toml", "serve"],
                 ["admin", "create-token", "--config", "a.toml", "--role", "admin", "--name", "x"],
                 ["admin", "--config", "a.toml", "list-tokens"],
                 ["rules", "export", "--config", "a.toml"], ["doctor", "--config", "a.toml"],
                 ["worker", "--burst", "--config", "a.toml"]):
        assert parser.parse_args(argv).config == "a.toml", argv
    assert getattr(parser.parse_args(["serve"]), "config", None) is None


def _subparsers(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((name, sub))
                found.extend((f"{name} {n}", s) for n, s in _subparsers(sub))
    return found


def test_every_subcommand_has_a_description_and_help_is_clean() -> None:
    parser = build_parser()
    top = parser.format_help()
    assert "``" not in top and "serve" in top and "doctor" in top
    subs = _subparsers(parser)
    assert {"serve", "worker", "migrate", "doctor", "admin create-token", "rules import"} <= {
        n for n, _ in subs}
    for name, sub in subs:
        assert sub.description, f"{name} has no description"
        assert "``" not in sub.format_help(), name
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            assert all(a.help for a in action._choices_actions)


@pytest.mark.parametrize("content", [
    "- id: 退款\n  reply: 您好\n".encode("gbk"),
    bytes(range(256)) * 4,
])
def test_rules_import_of_a_non_utf8_file_is_one_line_and_changes_nothing(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path)
    assert cli_main(["rules", "export", "--format", "json", "--config", str(path)]) == 0
    before = capsys.readouterr().out
    bad = tmp_path / "rules.yaml"
    bad.write_bytes(content)
    assert cli_main(["rules", "import", str(bad), "--replace", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "rules.yaml" in err and "UTF-8" in err and "nothing imported" in err
    assert cli_main(["rules", "export", "--format", "json", "--config", str(path)]) == 0
    assert capsys.readouterr().out == before


def test_sandbox_refuses_a_callback_url_that_is_not_http(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path)
    argv = ["sandbox", "--callback-url", "http://127.0.0.1:18700", "--callback-url",
            "127.0.0.1:18701", "--config", str(path)]
    assert cli_main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'127.0.0.1:18701'" in err and "http(s)" in err
