# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure functions for backup_plan: validate the request, build plan and selection documents, compare.

A plan is compared as its ``BackupPlan`` document with every value AWS fills in by itself
removed: rule ids, the default schedule time zone, the default start and completion
windows, ``EnableContinuousBackup=false``, an archive opt-out. amazon.aws's backup_plan
compared the raw document and lost idempotence when AWS started returning
``ScheduleExpressionTimezone`` (https://github.com/ansible-collections/amazon.aws/issues/1952).
"""

from __future__ import annotations

import re

try:
    # The IANA database: Python's own, or the tzdata package where the system has none.
    import zoneinfo
except ImportError:  # Python < 3.9 on the managed node: the name's shape is still checked
    zoneinfo = None

from ..diffing import normalise
from ..planning import is_unknown
from ..validation import OptionError

PLAN_NAME = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
RULE_NAME = PLAN_NAME
SELECTION_NAME = PLAN_NAME
VAULT_NAME = re.compile(r"^[a-zA-Z0-9\-_]{2,50}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
VAULT_ARN = re.compile(r"^arn:(?P<partition>aws[a-z-]*):backup:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):backup-vault:(?P<name>[a-zA-Z0-9\-_]{2,50})$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
TIMEZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$")
MIN_START_WINDOW = 60
# Cold storage holds a recovery point for at least 90 days before it may be deleted.
COLD_STORAGE_MINIMUM = 90
# Continuous backups (point-in-time restore) are kept 1 to 35 days.
CONTINUOUS_MAX_RETENTION = 35
MAX_SELECTION_RESOURCES = 500
# What a selection is made of; GetBackupSelection adds creator and date fields besides these.
SELECTION_FIELDS = ("SelectionName", "IamRoleArn", "Resources", "ListOfTags", "NotResources", "Conditions")

# Values AWS reports for a rule when the request left them out.
RULE_DEFAULTS = {
    "ScheduleExpressionTimezone": "Etc/UTC",
    "StartWindowMinutes": 480,
    "CompletionWindowMinutes": 10080,
    "EnableContinuousBackup": False,
}
RULE_READ_ONLY = ("RuleId",)
LIFECYCLE_DEFAULTS = {"OptInToArchiveForSupportedResources": False}


def vault_arn(partition, region, account, name):
    return f"arn:{partition}:backup:{region}:{account}:backup-vault:{name}"


def parse_vault_arn(arn):
    """``{partition, region, account, name}`` of a vault ARN, or None when it is not one."""
    match = VAULT_ARN.match(arn or "")
    return match.groupdict() if match else None


def validate_names(name, vault_name):
    if not PLAN_NAME.match(name or ""):
        raise OptionError("name", f"{name!r} must be 1 to 50 letters, digits, '-', '_' or '.'")
    if vault_name is not None and not VAULT_NAME.match(vault_name):
        raise OptionError("vault_name", f"{vault_name!r} must be 2 to 50 letters, digits, '-' or '_'")


def _cron_field(value, low, high):
    pattern = r"^(\*|[0-9]+|[0-9]+-[0-9]+|[0-9*]+/[0-9]+|[0-9]+(,[0-9]+)+)$"
    if not re.match(pattern, value):
        return False
    return all(low <= int(number) <= high for number in re.findall(r"[0-9]+", value.split("/")[0]))


def validate_schedule(schedule, option):
    """Sanity-check an AWS Backup cron expression: ``cron(minutes hours day-of-month month day-of-week year)``."""
    match = re.match(r"^cron\((.*)\)$", schedule or "")
    if not match:
        raise OptionError(option, f"{schedule!r} is not a cron expression; write cron(minutes hours day-of-month month day-of-week year)")
    fields = match.group(1).split()
    if len(fields) != 6:
        raise OptionError(option, f"{schedule!r} has {len(fields)} fields; AWS cron expressions have 6 (minutes hours day-of-month month day-of-week year)")
    minutes, hours, day_of_month, month, day_of_week, year = fields
    if not re.match(r"^[0-9]{1,2}$", minutes) or int(minutes) > 59:
        # AWS Backup runs a rule at most once an hour, so the minute is a single value.
        raise OptionError(option, f"minutes field {minutes!r} must be one minute 0-59 (backups run at most hourly)")
    if not _cron_field(hours, 0, 23):
        raise OptionError(option, f"hours field {hours!r} is not valid (0-23, '*', lists, ranges, steps)")
    if (day_of_month == "?") == (day_of_week == "?"):
        raise OptionError(option, "exactly one of day-of-month and day-of-week must be '?'")
    if day_of_month != "?" and not re.match(r"^(\*|L|W|[0-9LW,\-/]+)$", day_of_month):
        raise OptionError(option, f"day-of-month field {day_of_month!r} is not valid")
    if not re.match(r"^(\*|[0-9A-Za-z,\-/]+)$", month):
        raise OptionError(option, f"month field {month!r} is not valid")
    if day_of_week != "?" and not re.match(r"^(\*|[0-9A-Za-z,\-/#L]+)$", day_of_week):
        raise OptionError(option, f"day-of-week field {day_of_week!r} is not valid")
    if not re.match(r"^(\*|[0-9,\-/]+)$", year):
        raise OptionError(option, f"year field {year!r} is not valid")


def _lifecycle(delete_after, move_to_cold, option):
    if delete_after is not None and delete_after < 1:
        raise OptionError(f"{option}.delete_after_days", f"must be at least 1, got {delete_after}")
    if move_to_cold is not None:
        if move_to_cold < 1:
            raise OptionError(f"{option}.move_to_cold_storage_after_days", f"must be at least 1, got {move_to_cold}")
        if delete_after is not None and delete_after < move_to_cold + COLD_STORAGE_MINIMUM:
            raise OptionError(
                f"{option}.delete_after_days",
                f"{delete_after} days is too short: cold storage keeps a recovery point {COLD_STORAGE_MINIMUM} days, "
                f"so delete it no sooner than {move_to_cold + COLD_STORAGE_MINIMUM} days",
            )
    return {"DeleteAfterDays": delete_after, "MoveToColdStorageAfterDays": move_to_cold}


def copy_destinations(rules, region):
    """Validate every copy target; ``[(rule index, copy index, {"arn"} or {"region", "vault_name"})]``.

    A copy to the plan's own region protects against nothing a region failure takes down,
    so it is refused.
    """
    destinations = []
    for rule_index, rule in enumerate(rules):
        for copy_index, copy in enumerate(rule.get("copy_to") or []):
            option = f"rules[{rule_index}].copy_to[{copy_index}]"
            arn = copy.get("destination_vault_arn")
            if arn:
                if copy.get("region") or copy.get("vault_name"):
                    raise OptionError(option, "give destination_vault_arn, or region and vault_name, not both")
                parsed = parse_vault_arn(arn)
                if parsed is None:
                    raise OptionError(f"{option}.destination_vault_arn", f"{arn!r} is not a backup vault ARN")
                target_region = parsed["region"]
                destination = {"arn": arn}
            else:
                if not copy.get("region") or not copy.get("vault_name"):
                    raise OptionError(option, "needs destination_vault_arn, or both region and vault_name")
                if not REGION.match(copy["region"]):
                    raise OptionError(f"{option}.region", f"{copy['region']!r} is not an AWS region name")
                if not VAULT_NAME.match(copy["vault_name"]):
                    raise OptionError(f"{option}.vault_name", f"{copy['vault_name']!r} must be 2 to 50 letters, digits, '-' or '_'")
                target_region = copy["region"]
                destination = {"region": copy["region"], "vault_name": copy["vault_name"]}
            if target_region == region:
                raise OptionError(
                    f"{option}.region" if not arn else f"{option}.destination_vault_arn",
                    f"copies to {target_region}, the plan's own region; a cross-region copy needs another region (for example the DR region)",
                )
            destinations.append((rule_index, copy_index, destination))
    return destinations


def validate_timezone(name, option):
    """AWS Backup takes IANA time zone names; the emulator stores anything."""
    if TIMEZONE.match(name):
        if zoneinfo is None:
            return
        try:
            zoneinfo.ZoneInfo(name)
            return
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            if not zoneinfo.available_timezones():
                # No time zone database on this host: nothing to check the name against.
                return
    raise OptionError(option, f"{name!r} is not an IANA time zone name such as Europe/London or America/New_York")


def validate_rules(rules, region):
    """Validate the declared rules (everything that needs no AWS answer)."""
    if not rules:
        raise OptionError("rules", "a backup plan needs at least one rule")
    seen = set()
    for index, rule in enumerate(rules):
        option = f"rules[{index}]"
        if not RULE_NAME.match(rule["name"] or ""):
            raise OptionError(f"{option}.name", f"{rule['name']!r} must be 1 to 50 letters, digits, '-', '_' or '.'")
        if rule["name"] in seen:
            raise OptionError(f"{option}.name", f"{rule['name']!r} names another rule of this plan")
        seen.add(rule["name"])
        validate_schedule(rule["schedule"], f"{option}.schedule")
        if rule.get("timezone") is not None:
            validate_timezone(rule["timezone"], f"{option}.timezone")
        start = rule.get("start_window_minutes")
        completion = rule.get("completion_window_minutes")
        if start is not None and start < MIN_START_WINDOW:
            raise OptionError(f"{option}.start_window_minutes", f"must be at least {MIN_START_WINDOW}, got {start}")
        effective_start = start if start is not None else RULE_DEFAULTS["StartWindowMinutes"]
        if completion is not None and completion < effective_start + 60:
            raise OptionError(
                f"{option}.completion_window_minutes",
                f"must be at least 60 minutes longer than the start window ({effective_start}), got {completion}",
            )
        if rule.get("enable_continuous_backup"):
            if rule.get("move_to_cold_storage_after_days") is not None:
                raise OptionError(f"{option}.move_to_cold_storage_after_days", "continuous backups cannot move to cold storage")
            retention = rule.get("delete_after_days")
            if retention is None or retention > CONTINUOUS_MAX_RETENTION:
                raise OptionError(f"{option}.delete_after_days", f"continuous backups are kept 1 to {CONTINUOUS_MAX_RETENTION} days; set it in that range")
        _lifecycle(rule.get("delete_after_days"), rule.get("move_to_cold_storage_after_days"), option)
        for copy_index, copy in enumerate(rule.get("copy_to") or []):
            copy_option = f"{option}.copy_to[{copy_index}]"
            _lifecycle(copy.get("delete_after_days"), copy.get("move_to_cold_storage_after_days"), copy_option)
    copy_destinations(rules, region)


def plan_document(name, vault_name, rules, destination_arns):
    """The ``BackupPlan`` document; ``destination_arns`` maps ``(rule, copy)`` indexes to vault ARNs."""
    document_rules = []
    for rule_index, rule in enumerate(rules):
        copies = []
        for copy_index, copy in enumerate(rule.get("copy_to") or []):
            # A copy without a lifecycle of its own is kept as long as the original.
            delete_after = copy.get("delete_after_days") if copy.get("delete_after_days") is not None else rule.get("delete_after_days")
            move_to_cold = copy.get("move_to_cold_storage_after_days")
            if move_to_cold is None and copy.get("delete_after_days") is None:
                move_to_cold = rule.get("move_to_cold_storage_after_days")
            copies.append(
                {
                    "DestinationBackupVaultArn": destination_arns[(rule_index, copy_index)],
                    "Lifecycle": {"DeleteAfterDays": delete_after, "MoveToColdStorageAfterDays": move_to_cold},
                }
            )
        document_rules.append(
            {
                "RuleName": rule["name"],
                "TargetBackupVaultName": vault_name,
                "ScheduleExpression": rule["schedule"],
                "ScheduleExpressionTimezone": rule.get("timezone"),
                "StartWindowMinutes": rule.get("start_window_minutes"),
                "CompletionWindowMinutes": rule.get("completion_window_minutes"),
                "Lifecycle": {
                    "DeleteAfterDays": rule.get("delete_after_days"),
                    "MoveToColdStorageAfterDays": rule.get("move_to_cold_storage_after_days"),
                },
                "RecoveryPointTags": rule.get("recovery_point_tags"),
                "EnableContinuousBackup": rule.get("enable_continuous_backup"),
                "CopyActions": copies,
            }
        )
    return canonical_plan({"BackupPlanName": name, "Rules": document_rules})


def canonical_plan(document):
    """A plan document without AWS-filled defaults and read-only fields, lists in a stable order."""
    rules = []
    for rule in document.get("Rules") or []:
        rule = {key: value for key, value in rule.items() if key not in RULE_READ_ONLY}
        for key, default in RULE_DEFAULTS.items():
            if rule.get(key) == default:
                rule.pop(key)
        rule["Lifecycle"] = _canonical_lifecycle(rule.get("Lifecycle"))
        rule["CopyActions"] = [
            dict(copy, Lifecycle=_canonical_lifecycle(copy.get("Lifecycle"))) for copy in rule.get("CopyActions") or []
        ]
        rules.append(rule)
    cleaned = {"BackupPlanName": document.get("BackupPlanName"), "Rules": rules}
    if document.get("AdvancedBackupSettings"):
        cleaned["AdvancedBackupSettings"] = document["AdvancedBackupSettings"]
    return normalise(cleaned)


def _canonical_lifecycle(lifecycle):
    lifecycle = dict(lifecycle or {})
    for key, default in LIFECYCLE_DEFAULTS.items():
        if lifecycle.get(key) == default:
            lifecycle.pop(key)
    return lifecycle


def selection_document(selection, option="selection"):
    """Validate the declared selection; its ``BackupSelection`` document."""
    if not SELECTION_NAME.match(selection.get("name") or ""):
        raise OptionError(f"{option}.name", f"{selection.get('name')!r} must be 1 to 50 letters, digits, '-', '_' or '.'")
    # The module accepts the check-mode placeholders of a role and tables earlier tasks would create.
    if not ROLE_ARN.match(selection.get("iam_role_arn") or "") and not is_unknown(selection.get("iam_role_arn")):
        raise OptionError(f"{option}.iam_role_arn", f"{selection.get('iam_role_arn')!r} is not an IAM role ARN")
    resources = selection.get("resources") or []
    resource_tags = selection.get("resource_tags") or {}
    if not resources and not resource_tags:
        raise OptionError(option, "selects nothing: give resources (ARNs) and/or resource_tags")
    if len(resources) > MAX_SELECTION_RESOURCES:
        raise OptionError(f"{option}.resources", f"{len(resources)} ARNs given; a selection holds at most {MAX_SELECTION_RESOURCES}")
    bad = [arn for arn in resources if arn != "*" and not str(arn).startswith("arn:") and not is_unknown(arn)]
    if bad:
        raise OptionError(f"{option}.resources", f"{', '.join(map(str, bad))} are not ARNs")
    return canonical_selection(
        {
            "SelectionName": selection["name"],
            "IamRoleArn": selection["iam_role_arn"],
            "Resources": list(resources),
            "ListOfTags": [
                {"ConditionType": "STRINGEQUALS", "ConditionKey": key, "ConditionValue": str(value)} for key, value in resource_tags.items()
            ],
        }
    )


def canonical_selection(selection):
    """A selection without the empty condition lists AWS reports, lists sorted."""
    return normalise({key: value for key, value in selection.items() if key in SELECTION_FIELDS})
