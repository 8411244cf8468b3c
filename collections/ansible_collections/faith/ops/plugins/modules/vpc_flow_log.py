#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_flow_log
version_added: 0.2.0
short_description: Manage a VPC flow log delivered to S3 or CloudWatch Logs
description:
  - Creates, replaces or deletes one flow log of a VPC, subnet or network interface, identified by
    O(resource_id) and its C(Name) tag O(name).
  - AWS cannot modify a flow log; when what it captures or where it delivers differs, the module deletes
    it and creates the new one (AWS refuses two flow logs of one resource to one destination, so they
    cannot overlap). Tags are changed in place.
  - In check mode O(resource_id) and O(destination_arn) may be C((known after apply)), the placeholder an
    earlier task returns for a resource it would create; the module then reports a create without any call.
  - Supports check mode and diff mode. A no-op run makes one read call and no write.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description:
      - Name of the flow log (its C(Name) tag), unique per O(resource_id).
    type: str
    required: true
  resource_id:
    description:
      - Id of the VPC, subnet or network interface whose traffic is captured.
    type: str
    required: true
  resource_type:
    description:
      - Kind of O(resource_id).
    type: str
    choices: [VPC, Subnet, NetworkInterface]
    default: VPC
  state:
    description:
      - Whether the flow log should exist.
    type: str
    choices: [present, absent]
    default: present
  traffic_type:
    description:
      - Which traffic to capture.
    type: str
    choices: [ACCEPT, REJECT, ALL]
    default: ALL
  destination_type:
    description:
      - Where to deliver the records.
    type: str
    choices: [s3, cloud-watch-logs]
    default: s3
  destination_arn:
    description:
      - ARN of the S3 bucket (optionally with a key prefix, C(arn:aws:s3:::bucket/prefix)) or of the log group.
      - Required when O(state=present).
    type: str
  deliver_logs_permission_arn:
    description:
      - IAM role that writes to the log group; required with O(destination_type=cloud-watch-logs), not taken with V(s3).
    type: str
  max_aggregation_interval:
    description:
      - Seconds over which packets are aggregated into one record, V(60) or V(600).
    type: int
    default: 600
  log_format:
    description:
      - Custom record format (C(${field} ...)); AWS's default format when omitted.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Ensure the VPC's traffic is logged to the log archive bucket
  faith.ops.vpc_flow_log:
    name: faith-chatbot-production-vpc
    resource_id: vpc-0123456789abcdef0
    traffic_type: ALL
    destination_type: s3
    destination_arn: arn:aws:s3:::aws-waf-logs-faith-chatbot-production-123456789012-us-east-1/vpc
    tags:
      Application: faith-chatbot

- name: Remove the flow log
  faith.ops.vpc_flow_log:
    name: faith-chatbot-production-vpc
    resource_id: vpc-0123456789abcdef0
    state: absent
"""

RETURN = r"""
flow_log:
  description: The flow log as it is (or, in check mode, would be) after the run; empty when absent.
  returned: always
  type: dict
  contains:
    flow_log_id:
      description: Id of the flow log; C((known after apply)) in check mode when it would be created.
      returned: when present
      type: str
      sample: fl-0123456789abcdef0
    resource_id:
      description: The captured resource.
      returned: when present
      type: str
      sample: vpc-0123456789abcdef0
    traffic_type:
      description: Captured traffic.
      returned: when present
      type: str
      sample: ALL
    destination_type:
      description: V(s3) or V(cloud-watch-logs).
      returned: when present
      type: str
      sample: s3
    destination_arn:
      description: Destination ARN.
      returned: when present
      type: str
      sample: arn:aws:s3:::aws-waf-logs-faith-chatbot-production-123456789012-us-east-1/vpc
    deliver_logs_permission_arn:
      description: Delivery role, or null.
      returned: when present
      type: str
      sample: null
    max_aggregation_interval:
      description: Aggregation interval in seconds.
      returned: when present
      type: int
      sample: 600
    log_format:
      description: Custom record format, or null for AWS's default.
      returned: when present
      type: str
      sample: null
    tags:
      description: Tags of the flow log.
      returned: when present
      type: dict
      sample: {"Name": "faith-chatbot-production-vpc"}
actions:
  description: What was done, or in check mode what would be done.
  returned: always
  type: list
  elements: str
  sample: ["create flow log faith-chatbot-production-vpc of vpc-0123456789abcdef0"]
diff:
  description: The flow log before and after, in diff mode.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"traffic_type": "REJECT"}, "after": {"traffic_type": "ALL"}}
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.flow_logs import api
from ansible_collections.faith.ops.plugins.module_utils.flow_logs import transformations as flow
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def _view(described):
    return {key: value for key, value in described.items() if key != "flow_log_id"}


def create(module, client, tags):
    params = module.params
    if module.check_mode:
        return UNKNOWN
    flow_log_id, refusal = api.create_flow_log(client, flow.create_request(params), tags)
    if refusal:
        raise OptionError("destination_arn", f"AWS refused the flow log: {refusal}")
    return flow_log_id


def ensure_present(module, client, existing):
    params = module.params
    tags = dict(params["tags"] or {}, Name=params["name"])
    wanted = flow.desired(params)
    current = flow.describe(existing[0], {t["Key"]: t["Value"] for t in existing[0].get("Tags", [])}) if existing else {}
    before = _view(current) if current else {}
    changed = False
    if not current:
        module.record(f"create flow log {params['name']} of {params['resource_id']}")
        flow_log_id = create(module, client, tags)
        after = dict(wanted, flow_log_id=flow_log_id, tags=tags)
        changed = True
    else:
        fields = flow.differences(current, wanted)
        after = dict(current)
        if fields:
            module.record(f"replace flow log {params['name']} ({', '.join(fields)} cannot be changed in place)")
            if not module.check_mode:
                api.delete_flow_log(client, current["flow_log_id"])
            flow_log_id = create(module, client, merged_tags(current["tags"], tags, params["purge_tags"]))
            after = dict(wanted, flow_log_id=flow_log_id, tags=merged_tags(current["tags"], tags, params["purge_tags"]))
            changed = True
        else:
            to_set, to_remove = tag_changes(current["tags"], tags if params["tags"] is not None else None, params["purge_tags"])
            if to_set or to_remove:
                module.record(f"retag flow log {current['flow_log_id']}")
                if not module.check_mode:
                    if to_set:
                        api.tag_flow_log(client, current["flow_log_id"], to_set)
                    if to_remove:
                        api.untag_flow_log(client, current["flow_log_id"], to_remove)
                after["tags"] = merged_tags(current["tags"], tags, params["purge_tags"])
                changed = True
    # Flow logs of the same name left over from an interrupted replacement go too.
    for extra in existing[1:]:
        module.record(f"delete duplicate flow log {extra['FlowLogId']}")
        if not module.check_mode:
            api.delete_flow_log(client, extra["FlowLogId"])
        changed = True
    after = {key: value for key, value in after.items() if key != "resource_type"}
    return module.result(changed, "flow_log", after, before=before, after=_view(after))


def ensure(module):
    params = module.params
    if params["state"] == "present" and not params["destination_arn"]:
        raise OptionError("destination_arn", "is required when state=present")
    flow.validate(params, module.check_mode)
    validate_tags(params["tags"])
    if params["resource_id"] == UNKNOWN:
        # Check mode on a resource that does not exist yet: nothing to read, everything to create.
        if params["state"] == "absent":
            return module.result(False, "flow_log", {})
        module.record(f"create flow log {params['name']} of {params['resource_id']}")
        after = dict(flow.desired(params), flow_log_id=UNKNOWN, tags=dict(params["tags"] or {}, Name=params["name"]))
        return module.result(True, "flow_log", after, before={}, after=_view(after))
    client = module.client("ec2")
    existing = flow.named(api.flow_logs(client, params["resource_id"]), params["name"])
    if params["state"] == "absent":
        if not existing:
            return module.result(False, "flow_log", {})
        for item in existing:
            module.record(f"delete flow log {item['FlowLogId']}")
            if not module.check_mode:
                api.delete_flow_log(client, item["FlowLogId"])
        before = _view(flow.describe(existing[0], {t["Key"]: t["Value"] for t in existing[0].get("Tags", [])}))
        return module.result(True, "flow_log", {}, before=before, after={})
    return ensure_present(module, client, existing)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        resource_id=dict(type="str", required=True),
        resource_type=dict(type="str", choices=list(flow.RESOURCE_TYPES), default="VPC"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        traffic_type=dict(type="str", choices=["ACCEPT", "REJECT", "ALL"], default="ALL"),
        destination_type=dict(type="str", choices=list(flow.DESTINATION_TYPES), default="s3"),
        destination_arn=dict(type="str"),
        deliver_logs_permission_arn=dict(type="str"),
        max_aggregation_interval=dict(type="int", default=600),
        log_format=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(ensure)


if __name__ == "__main__":
    main()
