# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudWatch alarm and dashboard calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

from ..base import AWSActionError
from ..base import aws_action
from ..base import error_code

# DeleteAlarms takes at most 100 names per call.
DELETE_BATCH = 100
# GetDashboard/DeleteDashboards report a missing dashboard with this code on AWS and the emulator.
DASHBOARD_MISSING = ("ResourceNotFound", "DashboardNotFoundError")


# --- alarms: reads -----------------------------------------------------------------------


@aws_action("describe alarms")
def alarms_with_prefix(client, prefix):
    """Every metric alarm whose name starts with ``prefix`` (all pages)."""
    pages = client.get_paginator("describe_alarms").paginate(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm"])
    return pages.build_full_result().get("MetricAlarms", [])


@aws_action("read alarm tags through the resource groups tagging API")
def tagged_alarms(tagging_client, tag_key, tag_value):
    """``{alarm ARN: tags}`` for every alarm of the region carrying ``tag_key=tag_value`` (all pages)."""
    pages = tagging_client.get_paginator("get_resources").paginate(
        ResourceTypeFilters=["cloudwatch:alarm"], TagFilters=[{"Key": tag_key, "Values": [tag_value]}]
    )
    mappings = pages.build_full_result().get("ResourceTagMappingList", [])
    return {mapping["ResourceARN"]: {tag["Key"]: tag["Value"] for tag in mapping.get("Tags", [])} for mapping in mappings}


@aws_action("list alarm tags")
def alarm_tags(client, alarm_arn):
    tags = client.list_tags_for_resource(ResourceARN=alarm_arn).get("Tags", [])
    return {tag["Key"]: tag["Value"] for tag in tags}


# --- alarms: writes ----------------------------------------------------------------------


@aws_action("put metric alarm")
def put_alarm(client, definition, tags=None):
    """Create or replace one alarm; ``tags`` only count on creation (AWS ignores them on update)."""
    params = dict(definition)
    if tags:
        params["Tags"] = [{"Key": key, "Value": value} for key, value in sorted(tags.items())]
    client.put_metric_alarm(**params)


@aws_action("delete alarms")
def delete_alarms(client, names):
    for start in range(0, len(names), DELETE_BATCH):
        client.delete_alarms(AlarmNames=list(names[start:start + DELETE_BATCH]))


@aws_action("tag alarm")
def tag_alarm(client, alarm_arn, tags):
    client.tag_resource(ResourceARN=alarm_arn, Tags=[{"Key": key, "Value": value} for key, value in sorted(tags.items())])


@aws_action("untag alarm")
def untag_alarm(client, alarm_arn, keys):
    client.untag_resource(ResourceARN=alarm_arn, TagKeys=list(keys))


# --- dashboards --------------------------------------------------------------------------


def get_dashboard(client, name):
    """The dashboard's ``GetDashboard`` response, or None when it does not exist."""
    try:
        return _get_dashboard(client, name)
    except AWSActionError as error:
        if error_code(error) in DASHBOARD_MISSING:
            return None
        raise


@aws_action("get dashboard")
def _get_dashboard(client, name):
    return client.get_dashboard(DashboardName=name)


@aws_action("put dashboard")
def put_dashboard(client, name, body):
    """Store ``body`` (a JSON string); returns the validation warnings AWS attached."""
    return client.put_dashboard(DashboardName=name, DashboardBody=body).get("DashboardValidationMessages", [])


@aws_action("delete dashboard")
def delete_dashboard(client, name):
    client.delete_dashboards(DashboardNames=[name])
