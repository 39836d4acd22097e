"""The generated CLI reference (docs/cli.md) documents every command and option the CLI has.

Checked by name rather than by exact rendering, so a newer Rich or Typer that draws the help
boxes differently does not fail the suite; `scripts/cli_docs.py --check` compares exactly.
"""

from pathlib import Path

from typer.main import get_command

from triangulate.cli import app

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = text.split("\n## triangulate")[1:]
    return {part.split("\n", 1)[0].strip(): part for part in parts}


def test_cli_reference_has_every_command_and_option():
    sections = _sections()
    commands = get_command(app).commands  # type: ignore[attr-defined]
    assert set(commands) <= set(sections), "run scripts/cli_docs.py"
    for name, command in commands.items():
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("-"):
                    assert opt in sections[name], f"{name} {opt}: run scripts/cli_docs.py"
