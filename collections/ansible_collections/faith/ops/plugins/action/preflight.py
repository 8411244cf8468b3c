# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin of faith.ops.preflight: validate every role of the stack before any write.

Runs on the controller and makes no AWS call. It reads each role's defaults, derived
variables and argument specs from the collection, lays the play's variables (inventory,
extra vars) over them as Ansible would, validates every role's argument spec, then checks
the cross-role value rules (plugin_utils/preflight.py) and reports every finding at once.
"""

from __future__ import annotations

from pathlib import Path

try:
    import boto3
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:  # the roles' modules need boto3 anyway; without it the ids go unchecked here
    boto3 = None

from ansible.errors import AnsibleError
from ansible.errors import AnsibleUndefinedVariable
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.faith.ops.plugins.plugin_utils.preflight import NAME_PART
from ansible_collections.faith.ops.plugins.plugin_utils.preflight import Finding
from ansible_collections.faith.ops.plugins.plugin_utils.preflight import check_stack

ROLES_DIR = Path(__file__).resolve().parents[2] / "roles"
# Ids a user may set instead of taking them from an earlier role's facts; when set, each
# must exist (a read, never a write). variable => (EC2 describe call, its filter, result key).
EXISTING_IDS = {
    "edge_vpc_id": ("describe_vpcs", "vpc-id", "Vpcs", "VpcId"),
    "edge_public_subnet_ids": ("describe_subnets", "subnet-id", "Subnets", "SubnetId"),
    "cache_vpc_id": ("describe_vpcs", "vpc-id", "Vpcs", "VpcId"),
    "cache_subnet_ids": ("describe_subnets", "subnet-id", "Subnets", "SubnetId"),
}
STATES = ("present", "absent")
# Derived names (role vars/main.yml) the rules check; templated from the merged variables.
DERIVED = (
    "edge_alb_name", "edge_alb_security_group_name", "edge_task_security_group_name", "edge_web_acl_name",
    "edge_target_group_prefix", "backup_plan_name", "backup_vault_name", "backup_dr_vault_name", "backup_role_name",
    "compute_cluster_name", "compute_family", "compute_log_group_name", "compute_secret_name",
    "compute_execution_role_name", "compute_task_role_name", "compute_service_names",
    "data_prayer_queue_name", "data_prayer_dlq_name", "data_table_names",
    "observability_topic_name", "observability_dashboard_name", "observability_alarm_set",
    "cache_name", "cache_security_group_name", "cache_secret_name", "network_log_bucket",
)
# Read by the network role before it names the log archive; a 12-digit stand-in gives the
# derived bucket name its real length.
ACCOUNT_STAND_IN = {"account": "000000000000", "account_id": "000000000000", "partition": "aws", "arn": "arn:aws:iam::000000000000:root"}
# Play-level variables the rules read besides the roles' own.
PLAY_VARIABLES = ("faith_env", "faith_app_name", "faith_primary_region", "faith_dr_region", "faith_aws_endpoint_url")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(
            argument_spec={
                "roles": {"type": "list", "elements": "str", "required": True},
                "state": {"type": "str", "choices": list(STATES), "default": "present"},
            },
        )
        task_vars = task_vars or {}
        findings = []
        roles = []
        for role in args["roles"]:
            if not (ROLES_DIR / role / "tasks").is_dir():
                findings.append(Finding("faith_stack_roles", f"{role!r} is not a role of faith.ops"))
            else:
                roles.append(role)

        defaults, derived, specs = self._role_files(roles)
        # Ansible's precedence for these sources: role defaults < inventory and play
        # variables < role vars < extra vars. Role vars are derived names nobody should set
        # elsewhere; a value in task_vars (an extra var or an inventory override) wins here.
        user_set = {name for name in set(defaults) | set(derived) if name in task_vars}
        variables = {**defaults, **derived, **task_vars}
        variables.setdefault("network_caller", ACCOUNT_STAND_IN)
        if args["state"] == "absent":
            variables.update({f"{role}_state": "absent" for role in roles})
        templar = self._templar.copy_with_new_env(available_variables=variables)

        values = {}
        for role in roles:
            findings.extend(self._validate_spec(role, specs[role], variables, templar, values))
        findings.extend(self._collect(templar, PLAY_VARIABLES, variables, values))
        # Names derive from faith_app_name and faith_env: with either unusable, the rules
        # report that once instead of once per derived name.
        if all(NAME_PART.match(str(values.get(name, ""))) for name in ("faith_app_name", "faith_env")):
            findings.extend(self._collect(templar, DERIVED, variables, values))
        # A variable its role's spec already rejected is reported once, by the spec.
        rejected = {finding.variable for finding in findings}
        findings.extend(finding for finding in check_stack(values, user_set) if finding.variable not in rejected)

        if not findings:
            findings.extend(self._missing_ids(templar, values, user_set))
        findings = _unique(findings)
        result["checked_roles"] = roles
        result["changed"] = False
        result["findings"] = [{"variable": finding.variable, "message": finding.message} for finding in findings]
        if findings:
            result["failed"] = True
            lines = "\n".join(f"  - {finding}" for finding in findings)
            result["msg"] = (
                f"{len(findings)} problem(s) in the variables of {', '.join(roles)}; nothing was changed. "
                f"Fix them and run again:\n{lines}"
            )
        else:
            result["msg"] = f"The variables of {', '.join(roles)} are valid"
        return result

    def _missing_ids(self, templar, values, user_set):
        """Findings for ids the user set that do not exist, each naming only the missing ones."""
        wanted = {name: values[name] for name in EXISTING_IDS if name in user_set and values.get(name)}
        if not wanted or boto3 is None:
            return []
        try:
            client = self._ec2_client(templar)
        except (AnsibleError, BotoCoreError, ValueError) as error:
            return [Finding(next(iter(wanted)), f"cannot be checked: no EC2 client ({error})")]
        findings = []
        for name, given in wanted.items():
            operation, filter_name, key, id_key = EXISTING_IDS[name]
            ids = given if isinstance(given, list) else [given]
            try:
                # A filter answers with the ids that exist; a list of ids would fail on the
                # first unknown one and hide which of the others exist.
                paginator = client.get_paginator(operation)
                pages = paginator.paginate(Filters=[{"Name": filter_name, "Values": [str(item) for item in ids]}])
                found = {item[id_key] for page in pages for item in page.get(key, [])}
            except (BotoCoreError, ClientError) as error:
                findings.append(Finding(name, f"cannot be checked: {error}"))
                continue
            for index, item in enumerate(ids):
                if item not in found:
                    where = f"{name}[{index}]" if isinstance(given, list) else name
                    findings.append(Finding(where, f"{item} does not exist in {client.meta.region_name}"))
        return findings

    @staticmethod
    def _ec2_client(templar):
        """An EC2 client with the connection the play hands its modules (faith_aws_connection)."""
        connection = {}
        try:
            connection = templar.resolve_variable_expression("faith_aws_connection") or {}
        except AnsibleUndefinedVariable:
            pass
        session = boto3.session.Session(
            aws_access_key_id=connection.get("access_key") or None,
            aws_secret_access_key=connection.get("secret_key") or None,
            aws_session_token=connection.get("session_token") or None,
            profile_name=connection.get("profile") or None,
            region_name=connection.get("region") or None,
        )
        return session.client("ec2", endpoint_url=connection.get("endpoint_url") or None)

    def _role_files(self, roles):
        """Every role's defaults, derived vars and argument spec (entry point main)."""
        defaults, derived, specs = {}, {}, {}
        for role in roles:
            base = ROLES_DIR / role
            defaults.update(self._load(base / "defaults" / "main.yml"))
            derived.update(self._load(base / "vars" / "main.yml"))
            spec = self._load(base / "meta" / "argument_specs.yml")
            specs[role] = ((spec.get("argument_specs") or {}).get("main") or {}).get("options") or {}
        return defaults, derived, specs

    def _load(self, path):
        if not path.is_file():
            return {}
        # The collection's own files: their templates are trusted, as when the role runs.
        return self._loader.load_from_file(str(path), trusted_as_template=True) or {}

    def _collect(self, templar, names, variables, values):
        """Template ``names`` into ``values``; findings for those that cannot be evaluated."""
        findings = []
        for name in names:
            if name in variables and name not in values:
                value, finding = self._resolve(templar, name)
                if finding:
                    findings.append(finding)
                elif value is not None:
                    values[name] = value
        return findings

    @staticmethod
    def _resolve(templar, name):
        """``(value, None)`` or ``(None, Finding)`` when the variable cannot be templated."""
        try:
            return templar.resolve_variable_expression(name), None
        except AnsibleUndefinedVariable:
            # Facts of earlier roles (the VPC id, the load balancer ARN...) do not exist yet.
            return None, None
        except AnsibleError as error:
            return None, Finding(name, f"cannot be evaluated: {error.message}")

    def _validate_spec(self, role, options, variables, templar, values):
        """The role's argument spec, as validate_argument_spec runs it when the role starts."""
        params = {}
        findings = []
        for name in options:
            if name not in variables:
                continue
            value, finding = self._resolve(templar, name)
            if finding:
                findings.append(finding)
            elif value is not None:
                params[name] = value
        validation = ArgumentSpecValidator(options).validate(params)
        for error in validation.errors:
            message = str(error)
            variable = next((name for name in sorted(options, key=len, reverse=True) if name in message), f"{role} role")
            findings.append(Finding(variable, f"{message} (role {role})"))
        for name, value in validation.validated_parameters.items():
            values.setdefault(name, value)
        # A value the spec rejected is still checked by the rules below, for a fuller report.
        for name, value in params.items():
            values.setdefault(name, value)
        return findings


def _unique(findings):
    seen = []
    for finding in findings:
        if finding not in seen:
            seen.append(finding)
    return seen
