#!/usr/bin/env python3
"""Least privilege, checked: the IAM policies in docs/iam/ against the code and a policy linter.

    scripts/iam_check.py            check (exit 1 on any problem)
    scripts/iam_check.py --write    regenerate the policies from the code and the roles

What it checks:

1. ``docs/iam/deploy-policy.json``, the policy of the principal that runs deploy.yml (and
   drift, teardown, releases and DR), allows exactly the IAM actions the faith.ops modules
   need: every boto3 operation the API layer calls (``plugins/module_utils/<service>/*.py``
   and the modules' own calls, paginators and waiters included), mapped to its IAM action,
   plus the actions AWS checks besides the called one (``docs/iam/implied-actions.yml``,
   each with its reason). A new API call without a policy update, or a stale action in the
   policy, fails the check.
2. The task execution role, the task role (rendered from the compute role for an example
   production environment) and the backup role (trust policy and the AWS-managed policies
   it attaches, as the emulator ships them) match the committed copies in ``docs/iam/``.
3. parliament (offline; its IAM definitions ship in the wheel) finds nothing in any of them
   that ``docs/iam/justifications.yml`` does not justify in one line, and every
   justification still matches a finding.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import botocore.session
import yaml
from parliament import analyze_policy_string

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "collections/ansible_collections/faith/ops/plugins"
ROLES = ROOT / "collections/ansible_collections/faith/ops/roles"
DOCS = ROOT / "docs/iam"
DEPLOY_POLICY = DOCS / "deploy-policy.json"
IMPLIED = DOCS / "implied-actions.yml"
JUSTIFICATIONS = DOCS / "justifications.yml"
IAM_DEFINITION = Path(sys.modules["parliament"].__file__).parent / "iam_definition.json"

APP = "faith-chatbot"
IMAGE_REPOSITORY = "faith-motivator"
EXAMPLE_ACCOUNT = "111122223333"

# The boto3 services each API package talks to, the first one preferred when an operation
# name exists in several (tag_resource, list_tags_for_resource...).
PACKAGE_SERVICES = {
    "application_autoscaling": ["application-autoscaling"],
    "backup": ["backup"],
    "cloudwatch": ["cloudwatch", "resourcegroupstaggingapi"],
    "cognito": ["cognito-idp"],
    "dr": ["dynamodb", "s3"],
    "dynamodb": ["dynamodb", "kms"],
    "ec2": ["ec2"],
    "ecr": ["ecr"],
    "ecs": ["ecs"],
    "elasticache": ["elasticache", "secretsmanager"],
    "elbv2": ["elbv2", "ec2"],
    "flow_logs": ["ec2"],
    "iam": ["iam"],
    "logs": ["logs"],
    "operations": ["dynamodb"],
    "release": ["cloudwatch", "elbv2", "ecs"],
    "route53": ["route53"],
    "s3": ["s3"],
    "secrets": ["secretsmanager"],
    "security_groups": ["ec2"],
    "sns": ["sns"],
    "sqs": ["sqs"],
    "sts": ["sts"],
    "wafv2": ["wafv2"],
}

# boto3 service name -> IAM service prefix, where they differ.
IAM_PREFIX = {"elbv2": "elasticloadbalancing", "resourcegroupstaggingapi": "tag", "cognito-idp": "cognito-idp"}

# Operations whose IAM action has another name (S3 names its actions after the resource).
ACTION_NAMES = {
    "s3:HeadBucket": ["s3:ListBucket"],
    "s3:GetBucketEncryption": ["s3:GetEncryptionConfiguration"],
    "s3:PutBucketEncryption": ["s3:PutEncryptionConfiguration"],
    "s3:GetPublicAccessBlock": ["s3:GetBucketPublicAccessBlock"],
    "s3:PutPublicAccessBlock": ["s3:PutBucketPublicAccessBlock"],
    "s3:GetBucketLifecycleConfiguration": ["s3:GetLifecycleConfiguration"],
    "s3:PutBucketLifecycleConfiguration": ["s3:PutLifecycleConfiguration"],
    "s3:DeleteBucketLifecycle": ["s3:PutLifecycleConfiguration"],
    "s3:DeleteBucketTagging": ["s3:PutBucketTagging"],
    "s3:ListObjectVersions": ["s3:ListBucketVersions"],
    "s3:ListObjectsV2": ["s3:ListBucket"],
    "s3:DeleteObjects": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
    "s3:HeadObject": ["s3:GetObject"],
    # CopyObject reads the source object and writes the copy.
    "s3:CopyObject": ["s3:GetObject", "s3:PutObject"],
}


# --- what the code calls -------------------------------------------------------------------------


def _operations(service):
    model = botocore.session.get_session().get_service_model(service)
    return {botocore.xform_name(name): name for name in model.operation_names}


def _waiter_operation(services, waiter_name):
    session = botocore.session.get_session()
    for service in services:
        try:
            return service, session.get_waiter_model(service).get_waiter(waiter_name).operation
        except (ValueError, botocore.exceptions.DataNotFoundError):
            continue
    return None


def _services_of(path):
    relative = path.relative_to(PLUGINS)
    if relative.parts[0] == "module_utils" and len(relative.parts) > 2:
        package = relative.parts[1]
        if package not in PACKAGE_SERVICES:
            sys.exit(f"iam_check: module_utils/{package}/ calls AWS but its services are unknown; add it to PACKAGE_SERVICES")
        return PACKAGE_SERVICES[package]
    if relative.parts[0] == "modules":
        return re.findall(r"\.client\(\"([a-z0-9-]+)\"", path.read_text())
    return []


def called_operations():
    """``{(boto3 service, OperationName): [where, ...]}`` for every AWS call in the collection."""
    found = {}
    catalogue = {}
    for path in sorted(list(PLUGINS.glob("module_utils/*/*.py")) + list(PLUGINS.glob("modules/*.py"))):
        services = _services_of(path)
        if not services:
            continue
        for service in services:
            catalogue.setdefault(service, _operations(service))
        tree = ast.parse(path.read_text())
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            first = node.args[0] if node.args else None
            second = node.args[1] if len(node.args) > 1 else None
            literal = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            if name == "get_paginator" and literal:
                method = literal
            elif name == "waiter_model" and isinstance(second, ast.Constant):
                operation = second.value
                service = next((svc for svc in services if operation in catalogue[svc].values()), services[0])
                found.setdefault((service, operation), []).append(where)
                continue
            elif name == "wait_for" and isinstance(second, ast.Constant) and not any(k.arg == "model" for k in node.keywords):
                resolved = _waiter_operation(services, second.value)
                if resolved:
                    found.setdefault(resolved, []).append(where)
                continue
            elif isinstance(node.func, ast.Attribute):
                method = name
            else:
                continue
            service = next((svc for svc in services if method in catalogue[svc]), None)
            if service:
                found.setdefault((service, catalogue[service][method]), []).append(where)
    return found


def actions_for(operations):
    """IAM actions of the called operations."""
    actions = set()
    for service, operation in operations:
        action = f"{IAM_PREFIX.get(service, service)}:{operation}"
        actions.update(ACTION_NAMES.get(action, [action]))
    return actions


# --- the deploy policy ---------------------------------------------------------------------------


def _definition():
    """``{prefix: (privileges by name, ARN format by resource type)}`` from parliament's IAM definitions."""
    return {
        service["prefix"]: ({p["privilege"]: p for p in service["privileges"]}, {r["resource"]: r["arn"] for r in service["resources"]})
        for service in json.loads(IAM_DEFINITION.read_text())
    }


def _resource_level(definition, action):
    prefix, name = action.split(":", 1)
    privilege = definition.get(prefix, ({}, {}))[0].get(name)
    if privilege is None:
        return False
    return any(item["resource_type"] for item in privilege["resource_types"])


# Resource types of other owners, or addressed by generated ids only: any name matches.
FOREIGN = {
    "elasticache": {"parametergroup", "securitygroup", "user", "usergroup"},
    "wafv2": {"managedruleset", "rulegroup", "regexpatternset"},
    "backup": {"backupPlan", "recoveryPoint"},
    "ecs": {"capacity-provider", "container-instance"},
}
# Services whose resources are all addressed by generated ids (VPCs, keys, scalable targets, user
# pools, hosted zones and health checks).
ID_ONLY = {"ec2", "kms", "application-autoscaling", "cognito-idp", "route53"}
# Names that are not derived from the application name.
NAMES = {("ecr", "repository"): IMAGE_REPOSITORY}
_VARIABLE = re.compile(r"\$\{([A-Za-z]+)\}")


def resource_patterns(definition_resources, prefix, actions_privileges):
    """The ARNs an action set may touch: every resource type its actions require, named after the application."""
    patterns = []
    for privilege in actions_privileges:
        for item in privilege["resource_types"]:
            resource_type = item["resource_type"].rstrip("*")
            if not resource_type or not item["resource_type"].endswith("*"):
                continue
            arn = definition_resources.get(resource_type)
            if arn is None:
                continue
            pattern = arn.replace("${Partition}", "aws").replace("${Region}", "*").replace("${Account}", "*").replace("${Scope}", "regional")
            foreign = prefix in ID_ONLY or resource_type in FOREIGN.get(prefix, set()) or not arn.startswith(f"arn:${{Partition}}:{prefix}:")
            name = NAMES.get((prefix, resource_type), f"*{APP}*")
            first = [True]

            def substitute(match, foreign=foreign, name=name, first=first):
                # The first variable is the resource's name (or its parent's); later ones are ids.
                if first[0] and not foreign:
                    first[0] = False
                    return name
                return "*"

            pattern = _VARIABLE.sub(substitute, pattern)
            if pattern not in patterns:
                patterns.append(pattern)
    return sorted(patterns)


def build_policy(actions, implied, called=None):
    definition = _definition()
    # An implied action with a condition or a resource of its own gets its own statement; one with
    # only a resource keeps its place in its service's statement too (the code may call it there).
    conditional = {action: spec for action, spec in implied.items() if spec.get("condition") or spec.get("resource")}
    called = actions if called is None else called
    plain = sorted(action for action in actions if action not in conditional or (action in called and not implied[action].get("condition")))
    by_prefix = {}
    for action in plain:
        by_prefix.setdefault(action.split(":")[0], []).append(action)
    statements = []
    for prefix in sorted(by_prefix):
        scoped = [action for action in by_prefix[prefix] if _resource_level(definition, action)]
        unscoped = [action for action in by_prefix[prefix] if action not in scoped]
        sid = "".join(part.capitalize() for part in re.split(r"[^a-z0-9]", prefix))
        if scoped:
            privileges, resources = definition[prefix]
            patterns = resource_patterns(resources, prefix, [privileges[action.split(":", 1)[1]] for action in scoped])
            statements.append({"Sid": f"{sid}OwnResources", "Effect": "Allow", "Action": scoped, "Resource": patterns})
        if unscoped:
            statements.append({"Sid": f"{sid}NoResourceLevel", "Effect": "Allow", "Action": unscoped, "Resource": "*"})
    for action in sorted(conditional):
        spec = conditional[action]
        sid = "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]", action))
        statement = {"Sid": sid, "Effect": "Allow", "Action": action, "Resource": spec.get("resource", "*")}
        if spec.get("condition"):
            statement["Condition"] = spec["condition"]
        statements.append(statement)
    return {"Version": "2012-10-17", "Statement": statements}


def policy_actions(policy):
    actions = set()
    for statement in policy["Statement"]:
        value = statement["Action"]
        actions.update([value] if isinstance(value, str) else value)
    return actions


# --- the role policies ---------------------------------------------------------------------------

RENDER_PLAY = """
- name: Render the role policies for an example production environment
  hosts: localhost
  connection: local
  gather_facts: false
  vars_files:
    - {roles}/compute/defaults/main.yml
    - {roles}/compute/vars/main.yml
    - {roles}/backup/defaults/main.yml
    - {roles}/backup/vars/main.yml
  vars:
    ansible_python_interpreter: "{{{{ ansible_playbook_python }}}}"
    faith_env: production
    faith_app_name: {app}
    faith_ops_runtime: aws
    faith_primary_region: us-east-1
    faith_dr_region: us-west-2
    faith_network_vpc_cidr: 10.10.0.0/16
    faith_edge_alb_arn: arn:aws:elasticloadbalancing:us-east-1:{account}:loadbalancer/app/{app}-production-alb/0123456789abcdef
    faith_cache_url: rediss://master.{app}-production.abc123.use1.cache.amazonaws.com:6379/0
    faith_cache_auth_token_secret_arn: arn:aws:secretsmanager:us-east-1:{account}:secret:{app}-production/cache-AbCdEf
    compute_secrets: {{session_secret: example}}
  tasks:
    - name: Write each policy
      ansible.builtin.copy:
        content: "{{{{ item.value | to_nice_json(indent=2) }}}}\\n"
        dest: "{out}/{{{{ item.key }}}}"
        mode: "0644"
      loop: "{{{{ policies | dict2items }}}}"
      vars:
        policies:
          task-execution-role-policy.json: "{{{{ compute_execution_policy }}}}"
          task-role-policy.json: "{{{{ compute_task_policy }}}}"
          task-roles-trust-policy.json: "{{{{ compute_ecs_tasks_trust }}}}"
          backup-role-trust-policy.json: "{{{{ backup_assume_role_policy }}}}"
"""


def render_role_policies():
    """The role policies as the roles declare them, ``{file name: document}``."""
    with tempfile.TemporaryDirectory() as tmp:
        play = Path(tmp) / "render.yml"
        play.write_text(RENDER_PLAY.format(roles=ROLES, app=APP, account=EXAMPLE_ACCOUNT, out=tmp))
        env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_STDOUT_CALLBACK="ansible.builtin.minimal")
        playbook = Path(sys.executable).parent / "ansible-playbook"
        completed = subprocess.run([str(playbook), "-i", "localhost,", str(play)], env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if completed.returncode:
            sys.exit(f"iam_check: rendering the role policies failed:\n{completed.stdout[-3000:]}{completed.stderr[-2000:]}")
        documents = {path.name: json.loads(path.read_text()) for path in Path(tmp).glob("*.json")}
    documents.update(backup_managed_policies())
    return documents


def backup_managed_policies():
    """The AWS-managed policies the backup role attaches, as the emulator ships them."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    managed = json.loads(aws_managed_policies_data)
    arns = yaml.safe_load((ROLES / "backup/vars/main.yml").read_text()).get("backup_managed_policies") or []
    documents = {}
    for arn in arns:
        name = arn.rsplit("/", 1)[-1]
        if name in managed:
            documents[f"backup-role-managed-{name}.json"] = managed[name]["Document"]
    return documents


# --- linting -------------------------------------------------------------------------------------


def lint(files, justifications):
    """Unjustified findings and unused justifications, as lines of text."""
    problems, used = [], set()
    for path in files:
        policy = analyze_policy_string(path.read_text(), include_community_auditors=True)
        for finding in policy.findings:
            detail = json.dumps(finding.detail, sort_keys=True, default=str)
            match = next(
                (index for index, item in enumerate(justifications)
                 if item["policy"] == path.name and item["issue"] == finding.issue and item.get("detail", "") in detail),
                None,
            )
            if match is None:
                problems.append(f"{path.name}: {finding.issue} {detail} (not justified in {JUSTIFICATIONS.name})")
            else:
                used.add(match)
    for index, item in enumerate(justifications):
        if index not in used:
            problems.append(f"{JUSTIFICATIONS.name}: justification of {item['issue']} in {item['policy']} matches no finding any more")
    return problems


def _dump(document):
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="regenerate the policies in docs/iam/ from the code and the roles")
    args = parser.parse_args()

    operations = called_operations()
    implied = yaml.safe_load(IMPLIED.read_text()) or {}
    needed = actions_for(operations) | set(implied)
    desired = build_policy(needed, implied, actions_for(operations))
    roles = render_role_policies()

    if args.write:
        DEPLOY_POLICY.write_text(_dump(desired))
        for name, document in roles.items():
            (DOCS / name).write_text(_dump(document))
        print(f"wrote {DEPLOY_POLICY.relative_to(ROOT)} ({len(needed)} actions) and {len(roles)} role policies")

    problems = []
    committed = json.loads(DEPLOY_POLICY.read_text())
    allowed = policy_actions(committed)
    for action in sorted(needed - allowed):
        problems.append(f"{DEPLOY_POLICY.name}: missing {action}, which the collection needs")
    for action in sorted(allowed - needed):
        problems.append(f"{DEPLOY_POLICY.name}: allows {action}, which no module calls and implied-actions.yml does not name")
    if committed != desired:
        problems.append(f"{DEPLOY_POLICY.name}: differs from what the code needs; run scripts/iam_check.py --write and review the diff")
    for name, document in roles.items():
        path = DOCS / name
        if not path.exists() or json.loads(path.read_text()) != document:
            problems.append(f"{name}: differs from the policy the roles declare; run scripts/iam_check.py --write")

    files = sorted(DOCS.glob("*.json"))
    problems += lint(files, yaml.safe_load(JUSTIFICATIONS.read_text()) or [])
    print(f"{len(operations)} AWS operations called -> {len(needed)} IAM actions in the deploy policy; {len(files)} policies linted with parliament")
    for problem in problems:
        print(f"FAIL {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
