"""The documentation keeps up with the code: the variable tables in
docs/configuration.md are koers.config.describe() verbatim, .env.example names every
variable, and the README gives the two commands a newcomer needs."""

from pathlib import Path

from koers import config

ROOT = Path(__file__).resolve().parents[2]
START = "<!-- variables:start -->"
END = "<!-- variables:end -->"
REGENERATE = (
    "docs/configuration.md is out of date with koers/config.py. Regenerate the tables "
    'with `.venv/bin/python -c "from koers import config; print(config.describe())"` '
    f"and paste the output between {START} and {END}."
)


def _read(relative: str) -> str:
    return (ROOT / relative).read_text(encoding="utf-8")


def test_configuration_tables_match_config():
    text = _read("docs/configuration.md")
    assert text.count(START) == 1 and text.count(END) == 1, (
        f"docs/configuration.md needs exactly one {START} and one {END} marker."
    )
    documented = text.split(START, 1)[1].split(END, 1)[0]
    assert documented.strip() == config.describe().strip(), REGENERATE


def test_env_example_names_every_variable():
    text = _read(".env.example")
    missing = [v.name for v in config.VARIABLES if f"{v.name}=" not in text]
    assert not missing, f"Add these variables to .env.example: {', '.join(missing)}"


def test_readme_gives_the_two_commands():
    text = _read("README.md")
    assert "make run" in text
    assert "make test" in text
