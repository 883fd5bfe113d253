"""requirements.lock is pyproject.toml's pins resolved: a pin added, changed or removed without
`make lock` fails here, before two machines install different environments."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO_ROOT

# uv marks a package that pyproject.toml asks for itself with this line in its `# via` comment.
DIRECT = "research-warehouse (pyproject.toml)"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins() -> dict[str, str]:
    """name -> version of every runtime and dev requirement (each an exact `==` pin)."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        name, separator, version = requirement.partition("==")
        name = name.split("[")[0]  # `moto[server]`: the lock names the package, not its extras
        assert separator and re.fullmatch(r"[\w.]+", version), f"not an exact pin: {requirement!r}"
        pins[canonical(name)] = version
    return pins


def locked_pins() -> tuple[dict[str, str], set[str]]:
    """name -> version of every locked package, and the names pyproject.toml requires directly."""
    versions, direct, current = {}, set(), None
    for line in (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if pinned := re.match(r"([A-Za-z0-9][\w.-]*)==(\S+)", line):
            current = canonical(pinned[1])
            versions[current] = pinned[2]
        elif current and line.strip().startswith("#") and DIRECT in line:
            direct.add(current)
    return versions, direct


def test_lock_holds_exactly_the_pins_of_pyproject():
    pins = pyproject_pins()
    versions, direct = locked_pins()
    assert direct == set(pins), "pyproject.toml and requirements.lock disagree on the requirements: run `make lock`"
    assert {name: versions[name] for name in pins} == pins, "a pin changed since the lock: run `make lock`"


def test_every_locked_package_carries_hashes():
    text = (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8")
    packages = re.findall(r"^[A-Za-z0-9][\w.-]*==\S+ \\\n(?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+", text, re.M)
    assert len(packages) == len(locked_pins()[0]) > 100
