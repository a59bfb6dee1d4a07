"""environment.yml stays in step with pyproject.toml.

The conda environment must list every runtime dependency and every extra of
``pyproject.toml`` with the same lower bound, from conda-forge only, and install
this package in editable mode. When someone adds a dependency to one file and not the
other, :func:`test_environment_matches_pyproject` fails and lists the drift.
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version
from rattler import MatchSpec

ROOT = Path(__file__).resolve().parents[1]
ENV_FILE = ROOT / "environment.yml"
PYPROJECT = ROOT / "pyproject.toml"

#: conda-forge package name -> PyPI name, where they differ (or look as if they might).
CONDA_TO_PIP = {
    "matplotlib-base": "matplotlib",
    "python-duckdb": "duckdb",
    "py-rattler": "py-rattler",
    "pytorch": "torch",
    "pytables": "tables",
    "pandera-base": "pandera",
}
#: conda entries that are not Python requirements of the package.
CONDA_SKIP = {"python", "pip"}

_LOWER = re.compile(r">=\s*([0-9][^,|\s]*)")


def _lower_bound(spec: str | None) -> Version | None:
    """The ``>=`` bound of a version spec (conda's or PEP 440's), or None."""
    if not spec:
        return None
    found = _LOWER.findall(spec)
    return Version(found[0]) if found else None


def load_env(path: Path = ENV_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_pyproject(path: Path = PYPROJECT) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def conda_specs(env: dict) -> list[str]:
    """The conda (non-pip) dependency strings of an environment file."""
    return [d for d in env.get("dependencies") or [] if isinstance(d, str)]


def pip_section(env: dict) -> list[str]:
    out: list[str] = []
    for d in env.get("dependencies") or []:
        if isinstance(d, dict) and "pip" in d:
            out += [str(x).strip() for x in d["pip"] or []]
    return out


def conda_requirements(env: dict) -> dict[str, Version | None]:
    """PyPI name -> lower bound, for every conda dependency (python and pip left out)."""
    reqs: dict[str, Version | None] = {}
    for text in conda_specs(env):
        spec = MatchSpec(text)
        conda_name = spec.name.normalized
        if conda_name in CONDA_SKIP:
            continue
        name = canonicalize_name(CONDA_TO_PIP.get(conda_name, conda_name))
        reqs[name] = _lower_bound(spec.version)
    return reqs


def pyproject_requirements(pyproject: dict) -> dict[str, Version | None]:
    """PyPI name -> lower bound, over ``[project].dependencies`` and every extra."""
    project = pyproject["project"]
    own = canonicalize_name(project["name"])
    texts = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        texts += extra
    reqs: dict[str, Version | None] = {}
    for text in texts:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        if name == own:  # e.g. an "all" extra naming the package's other extras
            continue
        reqs[name] = _lower_bound(str(req.specifier))
    return reqs


def drift(env: dict, pyproject: dict) -> list[str]:
    """Differences between the environment file and pyproject, one line each."""
    conda = conda_requirements(env)
    pip = pyproject_requirements(pyproject)
    problems: list[str] = []
    for name in sorted(set(pip) - set(conda)):
        bound = f" >={pip[name]}" if pip[name] else ""
        problems.append(f"missing from environment.yml: {name}{bound} (in pyproject.toml)")
    for name in sorted(set(conda) - set(pip)):
        problems.append(f"not in pyproject.toml: {name} (listed in environment.yml)")
    for name in sorted(set(conda) & set(pip)):
        if conda[name] != pip[name]:
            problems.append(
                f"lower bound of {name}: environment.yml has {conda[name] or 'none'}, "
                f"pyproject.toml has {pip[name] or 'none'}"
            )
    requires = SpecifierSet(pyproject["project"].get("requires-python", ""))
    python = [MatchSpec(t) for t in conda_specs(env) if MatchSpec(t).name.normalized == "python"]
    py_bound = _lower_bound(python[0].version) if python else None
    if _lower_bound(str(requires)) != py_bound:
        problems.append(
            f"python: environment.yml has >={py_bound or 'none'}, "
            f"pyproject.toml requires-python is {requires or 'unset'}"
        )
    return problems


# -- the real files ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env() -> dict:
    return load_env()


def test_name_and_channels(env):
    assert env["name"] == "backrx"
    assert env["channels"][0] == "conda-forge"
    assert set(env["channels"]) <= {"conda-forge", "nodefaults"}, env["channels"]


def test_every_conda_spec_parses(env):
    specs = conda_specs(env)
    assert specs, "no conda dependencies"
    for text in specs:
        MatchSpec(text)  # raises on a malformed spec
    names = [MatchSpec(t).name.normalized for t in specs]
    assert "python" in names and "pip" in names
    assert len(names) == len(set(names)), "a package is listed twice"


def test_installs_this_package_editable(env):
    assert "-e ." in pip_section(env)


def test_environment_matches_pyproject(env):
    problems = drift(env, load_pyproject())
    assert not problems, "environment.yml and pyproject.toml differ:\n  " + "\n  ".join(problems)


# -- the check itself can fail ----------------------------------------------------------


def test_drift_is_reported(env):
    pyproject = load_pyproject()
    bad = copy.deepcopy(env)
    deps = bad["dependencies"]
    # drop pandas, loosen numpy, add a stray package, drop the python bound
    deps[:] = [d for d in deps if not (isinstance(d, str) and d.startswith("pandas"))]
    deps[:] = [re.sub(r"^numpy .*", "numpy >=1.20", d) if isinstance(d, str) else d for d in deps]
    deps.insert(1, "requests >=2")
    deps[:] = ["python" if d == "python >=3.11" else d for d in deps]
    problems = drift(bad, pyproject)
    text = "\n".join(problems)
    assert "missing from environment.yml: pandas" in text
    assert "lower bound of numpy: environment.yml has 1.20" in text
    assert "not in pyproject.toml: requests" in text
    assert "python:" in text
    assert len(problems) == 4

    # and a dependency added to pyproject only is caught too
    grown = copy.deepcopy(pyproject)
    grown["project"]["optional-dependencies"]["dev"].append("pytest-benchmark>=5.1")
    assert drift(env, grown) == ["missing from environment.yml: pytest-benchmark >=5.1 (in pyproject.toml)"]


def test_name_mapping():
    env = {"dependencies": ["python >=3.11", "matplotlib-base >=3.8", "python-duckdb >=1.0",
                            "pip", {"pip": ["-e ."]}]}  # fmt: skip
    assert conda_requirements(env) == {
        "matplotlib": Version("3.8"),
        "duckdb": Version("1.0"),
    }
    assert pyproject_requirements(
        {
            "project": {
                "name": "x",
                "dependencies": ["PyYAML>=6.0", "x[lab]"],
                "optional-dependencies": {"a": ["scipy"]},
            }
        }  # fmt: skip
    ) == {"pyyaml": Version("6.0"), "scipy": None}


def test_bad_spec_is_rejected():
    with pytest.raises(Exception, match="version"):
        MatchSpec("pandas >=>2")
