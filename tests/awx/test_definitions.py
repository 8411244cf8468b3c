"""The AWX configuration (playbooks/awx_configure.yml over the data in awx/), checked offline.

No controller is involved. Each awx.awx task of the playbook is rendered over its loop with Ansible's
own templating, from the playbook and awx/, which gives exactly the arguments the module would get.
They are validated against the argument spec the module builds in its ``main()``, captured by
stopping the module where it constructs ``AnsibleModule`` (before any request is made), with the
validator ``AnsibleModule`` itself uses. The surveys, schedules and workflows are checked for the
rules the controller applies to them and against the playbooks they feed.
"""

from __future__ import annotations

import copy
import functools
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from dateutil.rrule import rrulestr

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = ROOT / "playbooks" / "awx_configure.yml"
ROLES = ROOT / "collections" / "ansible_collections" / "faith" / "ops" / "roles"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
# What an operator passes on the command line (docs/awx.md).
LAUNCH_VARS = {
    "awx_execution_environment_image": "registry.example.org/faith-ops-ee:0.3.0",
    "awx_aws_role_arns": {
        "staging": "arn:aws:iam::111111111111:role/faith-chatbot-staging-deploy",
        "production": "arn:aws:iam::222222222222:role/faith-chatbot-production-deploy",
    }
}
# The survey question types the controller knows, and the Python type of each one's default.
SURVEY_TYPES = {"text": str, "textarea": str, "password": str, "multiplechoice": str, "multiselect": str, "integer": int, "float": (int, float)}
# Role option types a survey answer of each question type can satisfy.
ROLE_TYPES_FOR_SURVEY = {"text": {"str", "raw"}, "textarea": {"str", "raw"}, "password": {"str", "raw"},
                         "multiplechoice": {"str", "raw"}, "multiselect": {"list", "raw"}, "integer": {"int", "float", "raw"},
                         "float": {"float", "raw"}}


class _SpecCaptured(Exception):
    def __init__(self, kwargs: dict):
        super().__init__("argument spec captured")
        self.kwargs = kwargs


def _capture(self, *args, **kwargs):
    raise _SpecCaptured(kwargs)


@functools.cache
def module_spec(module: str) -> dict:
    """The keyword arguments awx.awx's ``module`` gives AnsibleModule: argument_spec and option relations."""
    source = importlib.import_module(f"ansible_collections.awx.awx.plugins.modules.{module}")
    with mock.patch.object(AnsibleModule, "__init__", _capture):
        try:
            source.main()
        except _SpecCaptured as captured:
            return captured.kwargs
    raise AssertionError(f"awx.awx.{module} never built an AnsibleModule")


def validate(module: str, params: dict) -> list[str]:
    """Error messages of ``params`` against awx.awx's ``module``; empty when valid."""
    spec = module_spec(module)
    validator = ArgumentSpecValidator(
        spec["argument_spec"],
        **{key: spec[key] for key in ("mutually_exclusive", "required_together", "required_one_of", "required_if", "required_by") if spec.get(key)},
    )
    return validator.validate(params).error_messages


def plain(value):
    """Rendered values as plain Python types (Ansible tags the strings it loads)."""
    return json.loads(json.dumps(value))


def load_play(extra_vars_file: Path | None = None) -> tuple[dict, dict]:
    """awx_configure.yml's play and its variables: vars_files, play vars, the launch variables, then
    ``extra_vars_file`` (as ``-e @file`` would give them)."""
    loader = DataLoader()
    play = loader.load_from_file(str(PLAYBOOK), trusted_as_template=True)[0]
    variables: dict = {}
    for vars_file in play["vars_files"]:
        variables.update(loader.load_from_file(str(PLAYBOOK.parent / vars_file), trusted_as_template=True))
    variables.update(play.get("vars", {}))
    variables.update(LAUNCH_VARS)
    if extra_vars_file:
        variables.update(loader.load_from_file(str(extra_vars_file), trusted_as_template=True))
    return play, variables


def rendered_calls(extra_vars_file: Path | None = None) -> list[tuple[str, str, dict]]:
    """(module, label, arguments) of every awx.awx call awx_configure.yml makes, loops and conditions applied."""
    play, variables = load_play(extra_vars_file)
    loader = DataLoader()
    calls = []
    for task in play["tasks"]:
        module = next((key for key in task if str(key).startswith("awx.awx.")), None)
        if module is None:
            continue
        items = Templar(loader=loader, variables=variables).template(task["loop"]) if "loop" in task else [None]
        for item in items:
            templar = Templar(loader=loader, variables={**variables, "item": item})
            if "when" in task and not templar.evaluate_conditional(task["when"]):
                continue
            label = templar.template(task["loop_control"]["label"]) if "loop_control" in task else item
            calls.append((module.removeprefix("awx.awx."), f"{task['name']}" + (f" [{label}]" if label else ""), plain(templar.template(task[module]))))
    return calls


def awx_data() -> dict:
    loader = DataLoader()
    data = {}
    for name in ("controller.yml", "job_templates.yml", "workflows.yml"):
        data.update(plain(loader.load_from_file(str(ROOT / "awx" / name))))
    return data


CALLS = rendered_calls()
DATA = awx_data()
TEMPLATES = DATA["awx_job_templates"]


def test_awx_configure_passes_the_syntax_check():
    completed = subprocess.run(  # noqa: S603
        [str(ANSIBLE_PLAYBOOK), str(PLAYBOOK), "--syntax-check"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize(("module", "label", "arguments"), CALLS, ids=[f"{module}: {label}" for module, label, _ in CALLS])
def test_every_definition_validates_against_the_module_argument_spec(module, label, arguments):
    assert validate(module, arguments) == []


def test_every_job_template_schedule_and_workflow_node_is_defined():
    """The rendering reaches every definition of the data: each job template in each environment, each schedule, node and link."""
    by_module: dict[str, list[str]] = {}
    for module, _, arguments in CALLS:
        by_module.setdefault(module, []).append(arguments["name"] if "name" in arguments else arguments["identifier"])
    expected_templates = [f"faith {template['name']} ({environment})" for template in TEMPLATES for environment in template["environments"]]
    assert by_module["job_template"] == expected_templates
    assert by_module["schedule"] == [
        f"faith {template['name']} ({environment}) {template['schedules'][environment]['name']}"
        for template in TEMPLATES for environment in template["environments"] if environment in template.get("schedules", {})
    ]
    nodes = [node["identifier"] for workflow in DATA["awx_workflows"] for node in workflow["nodes"]]
    links = [node["identifier"] for workflow in DATA["awx_workflows"] for node in workflow["nodes"]
             if {"success_nodes", "failure_nodes", "always_nodes"} & set(node)]
    assert by_module["workflow_job_template_node"] == nodes + links
    assert by_module["credential"] == [f"faith AWS ({environment})" for environment in DATA["awx_environments"]]
    assert {"organization", "execution_environment", "credential_type", "project", "inventory", "inventory_source", "workflow_job_template"} <= set(by_module)


def test_job_template_arguments_carry_the_data_unchanged():
    rendered = {arguments["name"]: arguments for module, _, arguments in CALLS if module == "job_template"}
    release = rendered["faith release (production)"]
    assert release["survey_enabled"] is True
    assert release["survey_spec"] == next(t for t in TEMPLATES if t["name"] == "release")["survey_spec"]
    # The job's own variable stays a template for the job to render, not for awx_configure.yml.
    assert release["extra_vars"]["release_app_environment"].startswith("{{ release_settings")
    assert release["credentials"] == ["faith AWS (production)"] and release["inventory"] == "faith production"
    drift = rendered["faith drift (staging)"]
    assert drift["job_type"] == "check" and drift["survey_enabled"] is False and drift["survey_spec"] == {}
    credential_type = next(arguments for module, _, arguments in CALLS if module == "credential_type")
    assert credential_type["injectors"]["env"]["AWS_ROLE_ARN"] == "{{ role_arn }}"
    assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} & set(credential_type["injectors"]["env"])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"job_type": "scan"}, "value of job_type must be one of: run, check"),
        ({"timeout": "an hour"}, "timeout"),
        ({"survey_spec": ["not", "a", "mapping"]}, "survey_spec"),
    ],
    ids=["a choice the module does not offer", "a number that is not one", "a survey that is not a mapping"],
)
def test_a_wrong_job_template_in_the_data_is_rejected(change, expected, tmp_path):
    """The check can fail: a wrong value in awx/ reaches the module's validation through the playbook."""
    templates = copy.deepcopy(TEMPLATES)
    templates[0].update(change)
    (tmp_path / "wrong.yml").write_text(yaml.safe_dump({"awx_job_templates": templates}))
    arguments = next(arguments for module, _, arguments in rendered_calls(tmp_path / "wrong.yml") if module == "job_template")
    errors = validate("job_template", arguments)
    assert any(expected in message for message in errors), errors


def test_a_misspelt_option_is_rejected():
    arguments = next(arguments for module, _, arguments in CALLS if module == "job_template")
    errors = validate("job_template", {**arguments, "survey_spce": {}})
    assert any(message.startswith("survey_spce. Supported parameters include") for message in errors), errors


def test_the_playbook_reads_every_key_of_a_job_template():
    """A key awx_configure.yml does not read (a misspelt one) would be dropped silently: there is none."""
    play, _ = load_play()
    read = set()
    for task in play["tasks"]:
        if "awx_job_templates" in str(task.get("loop", "")):
            read |= set(re.findall(r"item\.0\.(\w+)", json.dumps(plain(task))))
            read |= set(re.findall(r"subelements\('(\w+)'\)", str(task["loop"])))
    for template in TEMPLATES:
        assert set(template) <= read, (template["name"], set(template) - read)


def test_a_node_that_is_both_a_job_and_an_approval_is_rejected():
    node = next(arguments for module, _, arguments in CALLS if module == "workflow_job_template_node" and "unified_job_template" in arguments)
    errors = validate("workflow_job_template_node", {**node, "approval_node": {"name": "Both"}})
    assert any("mutually exclusive" in message for message in errors), errors


@pytest.mark.parametrize("template", TEMPLATES, ids=[template["name"] for template in TEMPLATES])
def test_each_job_template_names_a_playbook_and_known_environments(template):
    assert (ROOT / template["playbook"]).is_file()
    assert template["environments"] and set(template["environments"]) <= set(DATA["awx_environments"])
    assert set(template.get("schedules", {})) <= set(template["environments"]), "a schedule for an environment the template is not in"


def survey_errors(survey: dict) -> list[str]:
    """What the controller refuses in a survey spec, or would not apply as a default (one its own limits reject)."""
    errors = [f"missing {field}" for field in ("name", "description", "spec") if field not in survey]
    seen = set()
    for index, question in enumerate(survey.get("spec", [])):
        for field in ("type", "question_name", "variable", "required"):
            if field not in question:
                errors.append(f"question {index}: missing {field}")
        kind = question.get("type")
        if kind not in SURVEY_TYPES:
            errors.append(f"question {index}: unknown type {kind!r}")
            continue
        if question.get("variable") in seen:
            errors.append(f"question {index}: variable {question['variable']} asked twice")
        seen.add(question.get("variable"))
        default = question.get("default", "")
        if default != "" and not isinstance(default, SURVEY_TYPES[kind]):
            errors.append(f"question {index}: default {default!r} is not a {kind}")
        for limit in ("min", "max"):
            if question.get(limit) is not None and not isinstance(question[limit], int):
                errors.append(f"question {index}: {limit} is not an integer")
        if kind in ("multiplechoice", "multiselect"):
            choices = question.get("choices")
            if not choices:
                errors.append(f"question {index}: a {kind} needs choices")
            elif default != "" and default not in choices:
                errors.append(f"question {index}: default {default!r} is not one of the choices")
        if kind == "integer" and default != "" and not question.get("min", default) <= default <= question.get("max", default):
            errors.append(f"question {index}: default {default} outside min/max")
        if kind in ("text", "textarea") and default != "" and not question.get("min", 0) <= len(default) <= question.get("max", 1024):
            errors.append(f"question {index}: default {default!r} outside the length limits")
    return errors


SURVEYS = [(template["name"], template["survey_spec"]) for template in TEMPLATES if "survey_spec" in template]


@pytest.mark.parametrize(("name", "survey"), SURVEYS, ids=[name for name, _ in SURVEYS])
def test_each_survey_follows_the_controller_rules(name, survey):
    assert survey_errors(survey) == []


def test_the_survey_check_can_fail():
    survey = copy.deepcopy(dict(SURVEYS)["release"])
    survey["spec"][1]["default"] = "big_bang"
    survey["spec"].append({"question_name": "Again", "variable": "release_version", "type": "text", "required": False})
    survey["spec"].append({"question_name": "When", "variable": "release_when", "type": "date", "required": False})
    errors = survey_errors(survey)
    assert any("big_bang" in error for error in errors)
    assert any("asked twice" in error for error in errors)
    assert any("unknown type" in error for error in errors)


@pytest.mark.parametrize("name", ["dr_failover", "dr_failback"])
def test_moving_users_needs_the_confirmation_answered(name):
    """Without an answer AWX does not start the job; the only answer skips the playbook's prompt, which no job could answer."""
    template = next(template for template in TEMPLATES if template["name"] == name)
    confirm = next(question for question in template["survey_spec"]["spec"] if question["variable"] == "dr_confirmed")
    assert confirm["required"] is True and confirm.get("default", "") == "" and confirm["choices"] == ["yes"]
    assert "dr_confirmed" in template["extra_vars"]["dr_confirm"]


def role_options() -> dict[str, dict]:
    """Every option of every faith.ops role's argument spec, by name."""
    options = {}
    for spec_file in sorted(ROLES.glob("*/meta/argument_specs.yml")):
        for entry in yaml.safe_load(spec_file.read_text())["argument_specs"].values():
            options.update(entry.get("options", {}))
    return options


@pytest.mark.parametrize(("name", "survey"), SURVEYS, ids=[name for name, _ in SURVEYS])
def test_survey_answers_fit_the_options_the_roles_take(name, survey):
    """An answer a role would refuse (wrong type, a choice it does not know) is never offered."""
    options = role_options()
    checked = 0
    for question in survey["spec"]:
        option = options.get(question["variable"])
        if option is None:
            continue
        checked += 1
        assert option.get("type", "str") in ROLE_TYPES_FOR_SURVEY[question["type"]], (question["variable"], option)
        if "choices" in question:
            assert set(question["choices"]) <= set(option.get("choices", question["choices"])), (question["variable"], option)
    assert checked, f"no question of the {name} survey sets a role option"


@pytest.mark.parametrize(
    ("template", "environment"),
    [(template, environment) for template in TEMPLATES for environment in template.get("schedules", {})],
    ids=[f"{template['name']} ({environment})" for template in TEMPLATES for environment in template.get("schedules", {})],
)
def test_each_schedule_is_a_recurrence_the_controller_accepts(template, environment):
    rule = template["schedules"][environment]["rrule"]
    assert rule.startswith("DTSTART:") and " RRULE:" in rule, rule
    occurrences = rrulestr(rule.replace(" RRULE:", "\nRRULE:"))
    first, second = occurrences[0], occurrences[1]
    assert first.tzinfo is not None and second > first


def test_the_backup_schedules_are_the_runbook_s():
    backup = next(template for template in TEMPLATES if template["name"] == "dr_backup")
    runbook = (ROOT / "docs" / "runbooks" / "dr-failover.md").read_text()
    assert "DTSTART:20261207T000000Z RRULE:FREQ=MINUTELY;INTERVAL=5" in runbook
    assert backup["schedules"]["staging"]["rrule"].endswith("FREQ=MINUTELY;INTERVAL=5")
    assert backup["schedules"]["production"]["rrule"].endswith("FREQ=MINUTELY;INTERVAL=1")
    assert "faith dr_backup (<env>)" in runbook


@pytest.mark.parametrize("workflow", DATA["awx_workflows"], ids=[workflow["name"] for workflow in DATA["awx_workflows"]])
def test_each_workflow_links_known_nodes_and_approves_before_production(workflow):
    nodes = {node["identifier"]: node for node in workflow["nodes"]}
    assert len(nodes) == len(workflow["nodes"]), "an identifier used twice"
    names = {template["name"]: template for template in TEMPLATES}
    for node in workflow["nodes"]:
        assert ("job_template" in node) != ("approval_node" in node), node
        if "job_template" in node:
            assert node["environment"] in names[node["job_template"]]["environments"], node
        for link in ("success_nodes", "failure_nodes", "always_nodes"):
            assert set(node.get(link, [])) <= set(nodes), (node["identifier"], link)
    if "survey_of" in workflow:
        assert "survey_spec" in names[workflow["survey_of"]]
    # Walk from the roots without passing an approval: no production job is reachable.
    targets = {target for node in workflow["nodes"] for link in ("success_nodes", "failure_nodes", "always_nodes") for target in node.get(link, [])}
    unapproved, stack = set(), [identifier for identifier in nodes if identifier not in targets]
    assert stack, "the workflow has no first node"
    while stack:
        identifier = stack.pop()
        if identifier in unapproved or "approval_node" in nodes[identifier]:
            continue
        unapproved.add(identifier)
        stack.extend(target for link in ("success_nodes", "failure_nodes", "always_nodes") for target in nodes[identifier].get(link, []))
    assert not [identifier for identifier in unapproved if nodes[identifier].get("environment") == "production"]
    assert any(node.get("environment") == "production" for node in workflow["nodes"])
