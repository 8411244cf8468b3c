#!/usr/bin/env python3
"""Checks that faith.ops is a collection people can install and read.

    scripts/collection_check.py tarball faith-ops-X.Y.Z.tar.gz   what the built artifact contains
    scripts/collection_check.py docs                             ansible-doc renders every plugin and role
    scripts/collection_check.py ee .cache/ee/context             the execution environment's build context
    scripts/collection_check.py sphinx-warnings FILE             the docs site built without other warnings

Each prints one line per check and exits 1 when any fails. Run it with the venv's Python
(the Makefile does), from the repository root, with ANSIBLE_CONFIG pointing at ansible.cfg.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import yaml

COLLECTION = Path("collections/ansible_collections/faith/ops")
FQCN_PREFIX = "faith.ops."
# Files an installed collection must carry for people to read and reuse it.
REQUIRED_MEMBERS = (
    "MANIFEST.json",
    "FILES.json",
    "README.md",
    "LICENSE",
    "meta/runtime.yml",
    "meta/execution-environment.yml",
    "requirements.txt",
    "bindep.txt",
)
# What leaks into a tarball when build_ignore misses it.
FORBIDDEN_PARTS = ("tests/output/", "__pycache__/", ".pytest_cache/")
# ansible-doc's header line for each kind of plugin it renders.
DOC_HEADERS = {"module": "> MODULE ", "filter": "> FILTER ", "callback": "> CALLBACK ", "role": "> ROLE: "}


class Report:
    """Collects check results and prints them as they come."""

    def __init__(self) -> None:
        self.failures = 0

    def check(self, ok: bool, message: str) -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {message}")
        if not ok:
            self.failures += 1


def check_tarball(path: Path, report: Report) -> None:
    """The built collection contains its README, licence and metadata, and nothing generated."""
    with tarfile.open(path) as tar:
        members = set(tar.getnames())
        for name in REQUIRED_MEMBERS:
            report.check(name in members, f"{path.name} contains {name}")
        leaked = sorted(m for m in members if any(part in m + "/" for part in FORBIDDEN_PARTS))
        report.check(not leaked, f"{path.name} holds no generated files {leaked[:3] if leaked else ''}".rstrip())
        licence = tar.extractfile("LICENSE").read().decode() if "LICENSE" in members else ""
        report.check("GNU GENERAL PUBLIC LICENSE" in licence and "Version 3" in licence, "LICENSE is the GPL v3 text")
        manifest = json.load(tar.extractfile("MANIFEST.json")) if "MANIFEST.json" in members else {}
    info = manifest.get("collection_info", {})
    report.check(info.get("readme") in members, f"galaxy.yml's readme ({info.get('readme')}) is in the tarball")
    for field in ("repository", "documentation", "homepage", "issues"):
        url = info.get(field) or ""
        report.check(url.startswith("https://github.com/faith-ops/faith.ops"), f"{field} is the project's repository ({url})")
    report.check(info.get("license") == ["GPL-3.0-or-later"], f"licence is GPL-3.0-or-later ({info.get('license')})")


def filter_names() -> dict[str, Path]:
    """Every filter the collection's filter plugins export, with the file that defines it."""
    names: dict[str, Path] = {}
    for source in sorted((COLLECTION / "plugins" / "filter").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"faith_ops_filter_{source.stem}", source)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name in module.FilterModule().filters():
            names[name] = source
    return names


def module_extends(source: Path) -> list[str]:
    """The doc fragments a module's DOCUMENTATION extends."""
    for node in ast.parse(source.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            doc = yaml.safe_load(node.value.value) or {}
            return list(doc.get("extends_documentation_fragment") or [])
    return []


def plugin_inventory() -> dict[str, list[str]]:
    """The names of every module, filter, callback and role, read from the collection's files."""
    plugins = COLLECTION / "plugins"
    return {
        "module": sorted(p.stem for p in (plugins / "modules").glob("*.py") if p.stem != "__init__"),
        "filter": sorted(filter_names()),
        "callback": sorted(p.stem for p in (plugins / "callback").glob("*.py") if p.stem != "__init__"),
        "role": sorted(p.parent.parent.name for p in (COLLECTION / "roles").glob("*/meta/argument_specs.yml")),
    }


def render(kind: str, names: list[str], report: Report) -> None:
    """Renders every plugin of one kind with ansible-doc in one run and checks each page is there."""
    ansible_doc = Path(sys.executable).parent / "ansible-doc"
    env = {key: value for key, value in os.environ.items() if key != "ANSIBLE_FORCE_COLOR"}
    env.update(ANSIBLE_NOCOLOR="1", PYTHONWARNINGS="ignore")
    fqcns = [FQCN_PREFIX + name for name in names]
    result = subprocess.run([str(ansible_doc), "-t", kind, *fqcns], capture_output=True, text=True, env=env, check=False)
    problems = [line for line in result.stderr.splitlines() if line.startswith(("[WARNING]", "[ERROR]"))]
    report.check(result.returncode == 0 and not problems, f"ansible-doc -t {kind}: {len(names)} rendered {problems[:2] if problems else ''}".rstrip())
    headers = {line.split()[2].strip("*") for line in result.stdout.splitlines() if line.startswith(DOC_HEADERS[kind])}
    missing = [fqcn for fqcn in fqcns if fqcn not in headers]
    report.check(not missing, f"every {kind} has a page {missing if missing else ''}".rstrip())


def check_docs(report: Report) -> None:
    """Every plugin and role renders with ansible-doc, and the AWS modules share one action group."""
    inventory = plugin_inventory()
    for kind, names in inventory.items():
        report.check(bool(names), f"found {len(names)} {kind}(s)")
        if names:
            render(kind, names, report)
    sidecars = {p.stem for p in (COLLECTION / "plugins" / "filter").glob("*.yml")}
    report.check(sidecars == set(inventory["filter"]), f"one sidecar DOCUMENTATION per filter (filters {inventory['filter']}, docs {sorted(sidecars)})")
    action_plugins = {p.stem for p in (COLLECTION / "plugins" / "action").glob("*.py") if p.stem != "__init__"}
    report.check(action_plugins <= set(inventory["module"]), f"every action plugin has a module page ({sorted(action_plugins)})")

    runtime = yaml.safe_load((COLLECTION / "meta" / "runtime.yml").read_text())
    group = set(runtime.get("action_groups", {}).get("aws", []))
    aws_modules = {name for name in inventory["module"] if "amazon.aws.common.modules" in module_extends(COLLECTION / "plugins" / "modules" / f"{name}.py")}
    missing, extra = sorted(aws_modules - group), sorted(group - aws_modules)
    report.check(group == aws_modules, f"action group aws is exactly the {len(aws_modules)} AWS modules (missing {missing}, extra {extra})")


def check_ee(context: Path, report: Report) -> None:
    """The build context carries the Python, system and collection requirements the playbooks need."""
    build = context / "_build"
    report.check((context / "Containerfile").is_file(), f"{context}/Containerfile written")
    python_lines = (build / "requirements.txt").read_text().splitlines() if (build / "requirements.txt").is_file() else []
    python_names = {line.split("=")[0].split(">")[0].split("<")[0].strip().lower() for line in python_lines if line.strip() and not line.startswith("#")}
    for package in ("boto3", "botocore", "mitogen"):
        report.check(package in python_names, f"build context requirements.txt installs {package}")
    galaxy = yaml.safe_load((build / "requirements.yml").read_text()) if (build / "requirements.yml").is_file() else {}
    collections = {entry["name"]: entry for entry in galaxy.get("collections", [])}
    for name in ("amazon.aws", "ansible.posix"):
        report.check(name in collections, f"build context requirements.yml installs {name}")
    local = [entry for entry in collections.values() if entry.get("type") == "file"]
    report.check(len(local) == 1, "build context requirements.yml installs faith.ops from the built tarball")
    if local:
        tarball = build / Path(local[0]["name"]).relative_to("/build")
        report.check(tarball.is_file(), f"the faith.ops tarball is in the build context ({tarball})")

    # What ansible-builder's introspection will add inside the image, from the collection itself.
    from ansible_builder._target_scripts.introspect import process

    declared = process(data_dir=str(COLLECTION.parents[2]))
    python = " ".join(declared["python"].get("faith.ops", []))
    system = " ".join(declared["system"].get("faith.ops", []))
    report.check("boto3" in python and "botocore" in python, f"faith.ops declares its Python requirements ({python})")
    report.check("tzdata" in system, f"faith.ops declares its system requirements ({system})")


def check_sphinx_warnings(path: Path, report: Report) -> None:
    """Sphinx warned only about what an offline build cannot resolve.

    Offline, the intersphinx inventories of the Python, Jinja and Ansible docs cannot be fetched, so
    references into them (common return values, other collections' modules) stay undefined. A
    reference to a page of this collection that does not exist is still an error.
    """
    offline = ("failed to reach any of the inventories", "intersphinx inventory ")
    own_label = "undefined label: 'ansible_collections.faith.ops."
    problems = [
        line
        for line in path.read_text().splitlines()
        if line.strip() and not any(marker in line for marker in offline) and (own_label in line or "undefined label: " not in line)
    ]
    for line in problems:
        print(f"     {line}")
    report.check(not problems, f"the docs site built with no warning besides offline references ({len(problems)} other)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("tarball").add_argument("path", type=Path)
    commands.add_parser("docs")
    commands.add_parser("ee").add_argument("context", type=Path)
    commands.add_parser("sphinx-warnings").add_argument("path", type=Path)
    args = parser.parse_args()

    report = Report()
    if args.command == "tarball":
        check_tarball(args.path, report)
    elif args.command == "docs":
        check_docs(report)
    elif args.command == "sphinx-warnings":
        check_sphinx_warnings(args.path, report)
    else:
        check_ee(args.context, report)
    if report.failures:
        print(f"{report.failures} check(s) failed")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
