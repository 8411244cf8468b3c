# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""VPC flow logs: validation, the create request and the module's view (pure functions).

AWS cannot modify a flow log: any difference in what it captures or where it delivers
means a replacement (create the new one, then delete the old one).
"""

from __future__ import annotations

import re

from ..planning import UNKNOWN
from ..validation import OptionError

RESOURCE_TYPES = {"VPC": "vpc-", "Subnet": "subnet-", "NetworkInterface": "eni-"}
DESTINATION_TYPES = ("s3", "cloud-watch-logs")
_S3_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$")
_LOG_GROUP_ARN = re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[^:]+(:\*)?$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
_NAME = re.compile(r"^[A-Za-z0-9 ._:/=+@-]{1,255}$")
# The format AWS reports for a flow log created without one (version 2 fields).
DEFAULT_FORMAT = (
    "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
    "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
)


def validate(params, check_mode):
    """Reject values AWS would refuse; an id not known before apply is accepted only in check mode."""
    if not _NAME.fullmatch(params["name"] or ""):
        raise OptionError("name", "must be 1 to 255 letters, digits, spaces and ._:/=+@- (it becomes the Name tag)")
    resource_id = params["resource_id"]
    if resource_id == UNKNOWN:
        if not check_mode:
            raise OptionError("resource_id", f"is {UNKNOWN!r}: the resource is created by an earlier task that has not run; only check mode accepts it")
    elif not resource_id.startswith(RESOURCE_TYPES[params["resource_type"]]):
        raise OptionError("resource_id", f"{resource_id!r} is not a {params['resource_type']} id ({RESOURCE_TYPES[params['resource_type']]}...)")
    if params["state"] == "absent":
        return
    destination = params["destination_arn"]
    if destination == UNKNOWN:
        if not check_mode:
            raise OptionError("destination_arn", f"is {UNKNOWN!r}; only check mode accepts an ARN that is not known yet")
    elif params["destination_type"] == "s3":
        if not _S3_ARN.fullmatch(destination):
            raise OptionError("destination_arn", f"{destination!r} is not an S3 bucket ARN (arn:aws:s3:::bucket[/prefix])")
        if destination.rstrip("/").endswith("/AWSLogs"):
            raise OptionError("destination_arn", "must not end with AWSLogs: AWS adds that folder itself")
    else:
        if not _LOG_GROUP_ARN.fullmatch(destination):
            raise OptionError("destination_arn", f"{destination!r} is not a CloudWatch Logs log group ARN")
        if not params["deliver_logs_permission_arn"]:
            raise OptionError("deliver_logs_permission_arn", "is required with destination_type=cloud-watch-logs (the role that writes the logs)")
    role = params["deliver_logs_permission_arn"]
    if role and role != UNKNOWN and not _ROLE_ARN.fullmatch(role):
        raise OptionError("deliver_logs_permission_arn", f"{role!r} is not an IAM role ARN")
    if params["destination_type"] == "s3" and role:
        raise OptionError("deliver_logs_permission_arn", "applies to destination_type=cloud-watch-logs only; S3 delivery uses the bucket policy")
    if params["max_aggregation_interval"] not in (60, 600):
        raise OptionError("max_aggregation_interval", f"{params['max_aggregation_interval']} is not 60 or 600 seconds")


def desired(params):
    """The flow log as the module describes it (also the comparison key)."""
    return {
        "resource_id": params["resource_id"],
        "traffic_type": params["traffic_type"],
        "destination_type": params["destination_type"],
        "destination_arn": params["destination_arn"].rstrip("/"),
        "deliver_logs_permission_arn": params["deliver_logs_permission_arn"] or None,
        "max_aggregation_interval": params["max_aggregation_interval"],
        "log_format": params["log_format"] or None,
    }


def create_request(params):
    request = {
        "ResourceIds": [params["resource_id"]],
        "ResourceType": params["resource_type"],
        "TrafficType": params["traffic_type"],
        "LogDestinationType": params["destination_type"],
        "LogDestination": params["destination_arn"],
        "MaxAggregationInterval": params["max_aggregation_interval"],
    }
    if params["deliver_logs_permission_arn"]:
        request["DeliverLogsPermissionArn"] = params["deliver_logs_permission_arn"]
    if params["log_format"]:
        request["LogFormat"] = params["log_format"]
    return request


def describe(flow_log, tags):
    """An AWS flow log in the module's terms; ``log_format`` is None when it is AWS's default."""
    if not flow_log:
        return {}
    log_format = flow_log.get("LogFormat")
    if log_format == DEFAULT_FORMAT:
        log_format = None
    return {
        "flow_log_id": flow_log.get("FlowLogId"),
        "resource_id": flow_log.get("ResourceId"),
        "traffic_type": flow_log.get("TrafficType"),
        "destination_type": flow_log.get("LogDestinationType"),
        "destination_arn": (flow_log.get("LogDestination") or "").rstrip("/") or None,
        "deliver_logs_permission_arn": flow_log.get("DeliverLogsPermissionArn") or None,
        "max_aggregation_interval": flow_log.get("MaxAggregationInterval", 600),
        "log_format": log_format,
        "tags": dict(tags or {}),
    }


def differences(current, wanted):
    """Names of the settings that differ (each needs a replacement), ignoring an unset log format."""
    fields = []
    for key, value in wanted.items():
        if key == "log_format" and value is None:
            continue
        if current.get(key) != value:
            fields.append(key)
    return fields


def named(flow_logs, name):
    """The flow logs among ``flow_logs`` whose Name tag is ``name``."""
    return [item for item in flow_logs if {tag["Key"]: tag["Value"] for tag in item.get("Tags", [])}.get("Name") == name]
