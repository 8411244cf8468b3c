#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: metric_alarms
short_description: Manage a declared set of CloudWatch metric alarms
version_added: 0.1.0
description:
  - Creates, updates and deletes a named set of CloudWatch metric alarms in one call (static
    threshold alarms with one metric and a statistic or percentile, metric math alarms and anomaly
    detection alarms).
  - Every alarm of the set is named C(<set_name>-<name>) and carries the tag C(faith.ops:alarm-set=<set_name>).
    Alarms of the set that are no longer declared are deleted when O(purge=true); an alarm that only
    shares the name prefix but lacks the tag belongs to another set and is never touched.
  - The whole set is read with one paginated C(DescribeAlarms) call and its tags with one paginated
    C(GetResources) call of the resource groups tagging API; C(PutMetricAlarm) is called only for alarms
    whose normalised definition differs, so a run with nothing to change makes no write.
  - Unlike M(amazon.aws.cloudwatch_metric_alarm), which reports a change on every run
    (U(https://github.com/ansible-collections/amazon.aws/issues/1439)), definitions are compared after
    AWS's defaults are stripped (C(DatapointsToAlarm) equal to C(EvaluationPeriods), C(TreatMissingData=missing),
    C(ReturnData) of metric queries, the order of dimensions and actions).
  - Tags are compared for every alarm. When the tagging API does not list an alarm yet (it is eventually
    consistent on AWS), that alarm's tags are read with C(ListTagsForResource) instead. Tags are set with
    C(TagResource) and C(UntagResource), never through C(PutMetricAlarm), which ignores them on update.
  - Composite alarms are not managed.
author:
  - faith.ops maintainers (@faith-ops)
options:
  set_name:
    description:
      - Name of the alarm set; the prefix of every alarm name and the value of the set tag.
      - Sets whose names share a prefix (C(app) and C(app-blue)) are told apart by the set tag, so neither purges the other.
    type: str
    required: true
  state:
    description:
      - V(present) makes the set match O(alarms); V(absent) deletes every alarm of the set.
    type: str
    choices: [present, absent]
    default: present
  alarms:
    description:
      - The alarms of the set.
      - A static alarm sets O(alarms[].namespace), O(alarms[].metric_name), O(alarms[].period) and one of
        O(alarms[].statistic) or O(alarms[].extended_statistic). A metric math or anomaly detection alarm sets
        O(alarms[].metrics) instead.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the alarm within the set; the AWS name is C(<set_name>-<name>).
        type: str
        required: true
      description:
        description: Description of the alarm (at most 1024 characters).
        type: str
      namespace:
        description: Namespace of the metric of a static alarm, for example C(AWS/ApplicationELB).
        type: str
      metric_name:
        description: Name of the metric of a static alarm.
        type: str
      dimensions:
        description: Dimensions of the metric of a static alarm, as a name-to-value dictionary (at most 30).
        type: dict
      statistic:
        description: Statistic of a static alarm, one of C(SampleCount), C(Average), C(Sum), C(Minimum), C(Maximum).
        type: str
      extended_statistic:
        description: Percentile or trimmed statistic of a static alarm, for example C(p95), C(p99.9), C(tm90).
        type: str
      period:
        description: Period of a static alarm in seconds; C(10), C(20), C(30) or a multiple of C(60).
        type: int
      unit:
        description: Unit of the metric of a static alarm, for example C(Seconds), C(Count), C(Percent).
        type: str
      metrics:
        description:
          - Metric queries of a metric math or anomaly detection alarm (at most 10).
          - Exactly one query, not counting O(alarms[].threshold_metric_id), returns the data the alarm watches.
        type: list
        elements: dict
        suboptions:
          id:
            description: Identifier of the query, used in expressions; starts with a lowercase letter.
            type: str
            required: true
          expression:
            description: Metric math expression, for example C(100 * errors / requests) or C(ANOMALY_DETECTION_BAND(m1, 2)).
            type: str
          label:
            description: Label of the query.
            type: str
          return_data:
            description:
              - Whether the alarm watches this query.
              - Defaults to true for an expression or the O(alarms[].threshold_metric_id) query, false for a metric.
            type: bool
          namespace:
            description: Namespace of a metric query.
            type: str
          metric_name:
            description: Metric name of a metric query.
            type: str
          dimensions:
            description: Dimensions of a metric query, as a name-to-value dictionary.
            type: dict
          stat:
            description: Statistic of a metric query, a plain statistic such as C(Sum) or a percentile such as C(p95).
            type: str
          period:
            description: Period of a metric query (required for a metric, optional for an expression).
            type: int
          unit:
            description: Unit of a metric query.
            type: str
      evaluation_periods:
        description: Number of most recent periods compared with the threshold.
        type: int
        default: 1
      datapoints_to_alarm:
        description: Number of breaching datapoints within O(alarms[].evaluation_periods) that trigger the alarm.
        type: int
      threshold:
        description: Threshold of a static or metric math alarm.
        type: float
      threshold_metric_id:
        description: Id of the C(ANOMALY_DETECTION_BAND) query an anomaly detection alarm compares with.
        type: str
      comparison_operator:
        description:
          - One of C(GreaterThanOrEqualToThreshold), C(GreaterThanThreshold), C(LessThanThreshold),
            C(LessThanOrEqualToThreshold), or, with O(alarms[].threshold_metric_id),
            C(LessThanLowerOrGreaterThanUpperThreshold), C(LessThanLowerThreshold), C(GreaterThanUpperThreshold).
        type: str
        required: true
      treat_missing_data:
        description: How missing data points are treated, one of C(missing) (the AWS default), C(ignore), C(breaching), C(notBreaching).
        type: str
      actions_enabled:
        description: Whether the alarm's actions run on state changes.
        type: bool
        default: true
      alarm_actions:
        description: ARNs notified on the transition to ALARM; defaults to the module's O(alarm_actions).
        type: list
        elements: str
      ok_actions:
        description: ARNs notified on the transition to OK; defaults to the module's O(ok_actions).
        type: list
        elements: str
      insufficient_data_actions:
        description: ARNs notified on the transition to INSUFFICIENT_DATA; defaults to the module's O(insufficient_data_actions).
        type: list
        elements: str
  alarm_actions:
    description: ARNs (for example an SNS topic) every alarm of the set notifies on ALARM unless it names its own.
    type: list
    elements: str
    default: []
  ok_actions:
    description: ARNs every alarm of the set notifies on OK unless it names its own.
    type: list
    elements: str
    default: []
  insufficient_data_actions:
    description: ARNs every alarm of the set notifies on INSUFFICIENT_DATA unless it names its own.
    type: list
    elements: str
    default: []
  purge:
    description: Delete alarms of the set (name prefix and set tag) that are not declared in O(alarms).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - The C(faith.ops:alarm-set) tag is always added to O(tags) and cannot be set by the caller.
  - Reading tags needs C(tag:GetResources) besides the C(cloudwatch:*Alarm*) and C(cloudwatch:*Tag*) permissions.
"""

EXAMPLES = r"""
- name: Ensure the service alarms exist and notify the on-call topic
  faith.ops.metric_alarms:
    set_name: faith-chatbot-production
    alarm_actions: ["{{ topic_arn }}"]
    ok_actions: ["{{ topic_arn }}"]
    tags:
      Application: faith-chatbot
    alarms:
      - name: target-latency-p95
        description: 95th percentile target response time above 3 s
        namespace: AWS/ApplicationELB
        metric_name: TargetResponseTime
        dimensions:
          LoadBalancer: app/faith-chatbot-production-alb/0123456789abcdef
        extended_statistic: p95
        period: 60
        evaluation_periods: 5
        datapoints_to_alarm: 3
        threshold: 3
        comparison_operator: GreaterThanThreshold
        treat_missing_data: notBreaching
      - name: target-5xx-rate
        description: More than 5 % of requests answered with a 5xx by the targets
        metrics:
          - id: rate
            expression: 100 * FILL(errors, 0) / requests
            label: 5xx rate (%)
          - id: errors
            namespace: AWS/ApplicationELB
            metric_name: HTTPCode_Target_5XX_Count
            dimensions: {LoadBalancer: app/faith-chatbot-production-alb/0123456789abcdef}
            stat: Sum
            period: 60
          - id: requests
            namespace: AWS/ApplicationELB
            metric_name: RequestCount
            dimensions: {LoadBalancer: app/faith-chatbot-production-alb/0123456789abcdef}
            stat: Sum
            period: 60
        evaluation_periods: 3
        threshold: 5
        comparison_operator: GreaterThanThreshold
        treat_missing_data: notBreaching
  register: alarms

- name: Ensure an anomaly detection alarm on blocked requests
  faith.ops.metric_alarms:
    set_name: faith-chatbot-production-waf
    alarms:
      - name: blocked-requests-spike
        metrics:
          - id: blocked
            namespace: AWS/WAFV2
            metric_name: BlockedRequests
            dimensions: {WebACL: faith-chatbot-production-waf, Region: us-east-1, Rule: ALL}
            stat: Sum
            period: 300
            return_data: true
          - id: band
            expression: ANOMALY_DETECTION_BAND(blocked, 3)
        threshold_metric_id: band
        comparison_operator: GreaterThanUpperThreshold
        evaluation_periods: 2

- name: Delete every alarm of a set
  faith.ops.metric_alarms:
    set_name: faith-chatbot-staging
    state: absent
"""

RETURN = r"""
alarms:
  description: The alarms of the set after the run (in check mode, as they would be), normalised.
  returned: always
  type: list
  elements: dict
  sample:
    - alarm_name: faith-chatbot-local-target-latency-p95
      alarm_arn: arn:aws:cloudwatch:us-east-1:123456789012:alarm:faith-chatbot-local-target-latency-p95
      namespace: AWS/ApplicationELB
      metric_name: TargetResponseTime
      dimensions: [{name: LoadBalancer, value: app/faith-chatbot-local-alb/0123456789abcdef}]
      extended_statistic: p95
      period: 60
      evaluation_periods: 5
      datapoints_to_alarm: 3
      threshold: 3.0
      comparison_operator: GreaterThanThreshold
      treat_missing_data: notBreaching
      actions_enabled: true
      alarm_actions: ["arn:aws:sns:us-east-1:123456789012:faith-chatbot-local-alarms"]
      ok_actions: ["arn:aws:sns:us-east-1:123456789012:faith-chatbot-local-alarms"]
      tags: {"Application": "faith-chatbot", "faith.ops:alarm-set": "faith-chatbot-local"}
alarm_names:
  description: Names of the alarms of the set after the run.
  returned: always
  type: list
  elements: str
  sample: ["faith-chatbot-local-target-latency-p95", "faith-chatbot-local-target-5xx-rate"]
created:
  description: Names of the alarms created (or that would be created).
  returned: always
  type: list
  elements: str
  sample: ["faith-chatbot-local-target-5xx-rate"]
updated:
  description: Names of the alarms whose definition or tags were (or would be) changed.
  returned: always
  type: list
  elements: str
  sample: []
deleted:
  description: Names of the alarms deleted (or that would be deleted).
  returned: always
  type: list
  elements: str
  sample: ["faith-chatbot-local-old-alarm"]
actions:
  description: The API actions taken, or that would be taken in check mode.
  returned: always
  type: list
  elements: str
  sample: ["create alarm faith-chatbot-local-target-5xx-rate", "delete alarms faith-chatbot-local-old-alarm"]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch import api
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import SET_TAG_KEY
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import canonical
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import desired_alarms
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import desired_tags
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import set_members
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholders
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags


class AlarmSet:
    """The alarms of one set as AWS holds them, and the calls that change them."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self._tagging_client = None
        self.set_name = module.params["set_name"]
        self.members = {}
        self.tags = {}

    @property
    def tagging_client(self):
        # Only a set that already has alarms needs the tagging API; creating a set skips its model.
        if self._tagging_client is None:
            self._tagging_client = self.module.client("resourcegroupstaggingapi")
        return self._tagging_client

    def read(self, declared_names):
        self.tags = {}
        described = api.alarms_with_prefix(self.client, f"{self.set_name}-")
        tags_by_arn = api.tagged_alarms(self.tagging_client, SET_TAG_KEY, self.set_name) if described else {}
        self.members = set_members(described, tags_by_arn, self.set_name, declared_names)
        for name, alarm in self.members.items():
            if alarm["AlarmArn"] in tags_by_arn:
                self.tags[name] = tags_by_arn[alarm["AlarmArn"]]

    def current_tags(self, name):
        """Tags of a member alarm; read one by one only when the tagging API did not list it."""
        if name not in self.tags:
            self.tags[name] = api.alarm_tags(self.client, self.members[name]["AlarmArn"])
        return self.tags[name]

    def ensure_alarm(self, definition, tags):
        """Create the alarm, or replace its definition when it differs. True when it was (or would be) changed."""
        name = definition["AlarmName"]
        current = self.members.get(name)
        if current is not None and canonical(current) == definition:
            return False
        verb = "create" if current is None else "update"
        self.module.record(f"{verb} alarm {name}")
        if self.module.check_mode:
            return True
        # Tags go with the creation only; on update AWS ignores them and ensure_tags handles them.
        api.put_alarm(self.client, definition, tags if current is None else None)
        return True

    def ensure_tags(self, name, tags, purge):
        """Bring an existing alarm's tags to ``tags``. True when they were (or would be) changed."""
        if name not in self.members:
            return False
        to_set, to_remove = tag_changes(self.current_tags(name), tags, purge)
        if not (to_set or to_remove):
            return False
        self.module.record(f"retag alarm {name}")
        if self.module.check_mode:
            return True
        arn = self.members[name]["AlarmArn"]
        if to_remove:
            api.untag_alarm(self.client, arn, to_remove)
        if to_set:
            api.tag_alarm(self.client, arn, to_set)
        return True

    def ensure_deleted(self, names):
        """Delete the member alarms ``names``. True when any was (or would be) deleted."""
        names = sorted(name for name in names if name in self.members)
        if not names:
            return False
        self.module.record(f"delete alarms {', '.join(names)}")
        if not self.module.check_mode:
            api.delete_alarms(self.client, names)
        return True


def describe(definition, arn, tags):
    described = camel_dict_to_snake_dict(definition, ignore_list=["Tags"])
    if arn:
        described["alarm_arn"] = arn
    described["tags"] = tags
    return described


def ensure(module):
    params = module.params
    set_name = params["set_name"]
    present = params["state"] == "present"
    # In check mode earlier roles hand over placeholders of the topic and the load balancer
    # (actions, dimensions) they would create; outside it they are refused.
    check_placeholders(params, ("alarms", "alarm_actions", "ok_actions", "insufficient_data_actions"), module.check_mode)
    validate_tags(params["tags"])
    defaults = {key: params[key] for key in ("alarm_actions", "ok_actions", "insufficient_data_actions")}
    desired = desired_alarms(set_name, params["alarms"] if present else [], defaults)
    tags = desired_tags(set_name, params["tags"])

    alarm_set = AlarmSet(module, module.client("cloudwatch"))
    alarm_set.read(set(desired))
    before = {name: canonical(alarm) for name, alarm in alarm_set.members.items()}

    created, updated = [], []
    for name, definition in desired.items():
        existed = name in alarm_set.members
        changed = alarm_set.ensure_alarm(definition, tags)
        # Without declared tags only the set marker is ensured, and nothing is purged.
        purge_tags = params["purge_tags"] and params["tags"] is not None
        changed = alarm_set.ensure_tags(name, tags, purge_tags) or changed
        if changed:
            (updated if existed else created).append(name)

    undeclared = [name for name in alarm_set.members if name not in desired]
    deleted = undeclared if (params["purge"] or not present) else []
    alarm_set.ensure_deleted(deleted)
    changed = bool(created or updated or deleted)

    kept = {name: before[name] for name in undeclared if name not in deleted}
    after = dict(kept, **desired)
    if changed and not module.check_mode:
        alarm_set.read(set(desired))
        after = {name: canonical(alarm) for name, alarm in alarm_set.members.items()}
    arns = {name: alarm["AlarmArn"] for name, alarm in alarm_set.members.items()}
    alarms = [describe(after[name], arns.get(name), alarm_set.tags.get(name, tags if name in desired else None)) for name in sorted(after)]
    result = module.result(changed, "alarms", alarms, before=before, after=after)
    result.update(alarm_names=sorted(after), created=created, updated=updated, deleted=sorted(deleted))
    return result


def main():
    metric_query = dict(
        id=dict(type="str", required=True),
        expression=dict(type="str"),
        label=dict(type="str"),
        return_data=dict(type="bool"),
        namespace=dict(type="str"),
        metric_name=dict(type="str"),
        dimensions=dict(type="dict"),
        stat=dict(type="str"),
        period=dict(type="int"),
        unit=dict(type="str"),
    )
    alarm = dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        namespace=dict(type="str"),
        metric_name=dict(type="str"),
        dimensions=dict(type="dict"),
        statistic=dict(type="str"),
        extended_statistic=dict(type="str"),
        period=dict(type="int"),
        unit=dict(type="str"),
        metrics=dict(type="list", elements="dict", options=metric_query),
        evaluation_periods=dict(type="int", default=1),
        datapoints_to_alarm=dict(type="int"),
        threshold=dict(type="float"),
        threshold_metric_id=dict(type="str"),
        comparison_operator=dict(type="str", required=True),
        treat_missing_data=dict(type="str"),
        actions_enabled=dict(type="bool", default=True),
        alarm_actions=dict(type="list", elements="str"),
        ok_actions=dict(type="list", elements="str"),
        insufficient_data_actions=dict(type="list", elements="str"),
    )
    argument_spec = dict(
        set_name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        alarms=dict(type="list", elements="dict", options=alarm, default=[]),
        alarm_actions=dict(type="list", elements="str", default=[]),
        ok_actions=dict(type="list", elements="str", default=[]),
        insufficient_data_actions=dict(type="list", elements="str", default=[]),
        purge=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(ensure)


if __name__ == "__main__":
    main()
