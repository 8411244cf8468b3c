#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dns_failover
short_description: The public name's Route 53 failover records between the primary and the DR region
version_added: 0.3.0
description:
  - Keeps one public name (O(record)) in hosted zone O(zone) as two failover CNAME records, C(PRIMARY) to the
    primary region's load balancer, guarded by a Route 53 health check of its O(health_check.path), and
    C(SECONDARY) to the DR region's load balancer.
  - A failover is declared with O(active=secondary), which inverts the primary's health check, so Route 53
    answers with the DR region whatever the primary's state; O(active=primary) undoes it. Without O(active)
    the current choice is kept (a new health check starts with the primary).
  - With O(primary_target) and O(secondary_target) the zone, the health check and the records are created or
    corrected; without them only O(active) is applied to what exists.
  - O(state=absent) deletes the two records and the health check, and the zone once nothing else is in it.
  - The emulator stores zones, health checks and records but answers no DNS and reports every health check
    healthy; the records are what a failover changes there too.
author:
  - faith.ops maintainers (@faith-ops)
options:
  state:
    description: Whether the failover records should exist.
    type: str
    choices: [present, absent]
    default: present
  zone:
    description: The hosted zone's domain name (a trailing dot is added).
    type: str
    required: true
  record:
    description: The public name of the chat (a trailing dot is added).
    type: str
    required: true
  primary_target:
    description: DNS name of the primary region's load balancer.
    type: str
  secondary_target:
    description: DNS name of the DR region's load balancer.
    type: str
  active:
    description: Which region the name answers with; omitted keeps the current choice.
    type: str
    choices: [primary, secondary]
  health_check:
    description: How Route 53 checks the primary.
    type: dict
    default: {}
    suboptions:
      type:
        description: Protocol of the check.
        type: str
        choices: [HTTP, HTTPS]
        default: HTTPS
      port:
        description: Port checked.
        type: int
        default: 443
      path:
        description: Path checked.
        type: str
        default: /ready
  ttl:
    description: TTL of the records in seconds (short, so resolvers follow a failover quickly).
    type: int
    default: 60
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Keep the failover records of the public name
  faith.ops.dns_failover:
    zone: chat.example.org
    record: chat.example.org
    primary_target: faith-chatbot-production-alb-123.us-east-1.elb.amazonaws.com
    secondary_target: faith-chatbot-production-alb-456.us-west-2.elb.amazonaws.com

- name: Answer with the DR region
  faith.ops.dns_failover:
    zone: chat.example.org
    record: chat.example.org
    active: secondary
"""

RETURN = r"""
dns:
  description: The failover records as they are after the run (in check mode, would be); empty when absent.
  returned: always
  type: dict
  contains:
    zone_id:
      description: Id of the hosted zone.
      type: str
    health_check_id:
      description: Id of the primary's health check.
      type: str
    active:
      description: The region the name answers with (C(secondary) while the primary's check is inverted).
      type: str
    records:
      description: Failover role => target.
      type: dict
      sample: {"PRIMARY": "alb-1.us-east-1.elb.amazonaws.com", "SECONDARY": "alb-2.us-west-2.elb.amazonaws.com"}
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.route53 import api
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def fqdn(name):
    return name if name.endswith(".") else name + "."


def desired_records(params, record, check_id):
    records = []
    for role, target, identifier in (("PRIMARY", params["primary_target"], "primary"), ("SECONDARY", params["secondary_target"], "secondary")):
        entry = {"Name": record, "Type": "CNAME", "SetIdentifier": identifier, "Failover": role, "TTL": params["ttl"],
                 "ResourceRecords": [{"Value": target}]}
        if role == "PRIMARY" and check_id:
            entry["HealthCheckId"] = check_id
        records.append(entry)
    return records


def normalised(record):
    keys = ("Name", "Type", "SetIdentifier", "Failover", "TTL", "ResourceRecords", "HealthCheckId")
    return {key: record[key] for key in keys if key in record}


def remove(module, client, zone_name, record):
    changed = False
    zone = api.find_zone(client, zone_name)
    reference = f"faith-ops-{record}primary"
    if zone is not None:
        records = api.record_sets(client, zone["Id"], record)
        if records:
            module.record(f"delete failover records of {record}")
            changed = True
            if not module.check_mode:
                api.delete_records(client, zone["Id"], records)
    check = next((item for item in api.health_checks(client) if item["CallerReference"] == reference), None)
    if check is not None:
        module.record(f"delete the health check {check['Id']}")
        changed = True
        if not module.check_mode:
            api.delete_health_check(client, check["Id"])
    if zone is not None:
        others = [item for item in api.all_record_sets(client, zone["Id"]) if item["Type"] not in ("NS", "SOA") and item["Name"] != record]
        if not others:
            module.record(f"delete hosted zone {zone_name}")
            changed = True
            if not module.check_mode:
                api.delete_zone(client, zone["Id"])
    return {"changed": changed, "dns": {}}


def run(module):
    params = module.params
    zone_name, record = fqdn(params["zone"]), fqdn(params["record"])
    if not (record == zone_name or record.endswith("." + zone_name)):
        raise OptionError("record", f"{record} is not in zone {zone_name}")
    if params["state"] == "absent":
        return remove(module, module.client("route53"), zone_name, record)
    provisioning = bool(params["primary_target"] and params["secondary_target"])
    for option in ("primary_target", "secondary_target"):
        if not module.check_mode and str(params[option] or "").startswith("(known after apply)"):
            raise OptionError(option, "is not known yet: a placeholder is accepted in check mode only")
    if bool(params["primary_target"]) != bool(params["secondary_target"]):
        raise OptionError("secondary_target", "give primary_target and secondary_target together (or neither, to only switch)")
    client = module.client("route53")
    changed = False

    zone = api.find_zone(client, zone_name)
    found_zone = zone
    if zone is None:
        if not provisioning:
            raise OptionError("zone", f"hosted zone {zone_name} does not exist: deploy.yml creates it with the failover records")
        module.record(f"create hosted zone {zone_name}")
        changed = True
        zone = {"Id": "(known after apply)"} if module.check_mode else api.create_zone(client, zone_name)

    reference = f"faith-ops-{record}primary"
    check = next((item for item in api.health_checks(client) if item["CallerReference"] == reference), None)
    found_check = check
    wanted = {}
    if provisioning:
        settings = params["health_check"]
        wanted = {"FullyQualifiedDomainName": params["primary_target"], "Port": settings["port"], "ResourcePath": settings["path"]}
    inverted = None if params["active"] is None else params["active"] == "secondary"
    if check is None:
        if not provisioning:
            raise OptionError("zone", f"no health check for {record}: deploy.yml creates it with the failover records")
        module.record(f"create the health check of {params['primary_target']}{params['health_check']['path']}")
        changed = True
        config = dict(wanted, Type=params["health_check"]["type"], RequestInterval=10, FailureThreshold=3, Inverted=bool(inverted))
        check = {"Id": "(known after apply)", "HealthCheckConfig": config} if module.check_mode else api.create_health_check(client, reference, config)
    else:
        current = check["HealthCheckConfig"]
        changes = {key: value for key, value in wanted.items() if current.get(key) != value}
        if inverted is not None and bool(current.get("Inverted")) != inverted:
            changes["Inverted"] = inverted
        if changes:
            module.record(f"update the primary's health check: {', '.join(sorted(changes))}")
            changed = True
            if not module.check_mode:
                check = api.update_health_check(client, check["Id"], check["HealthCheckVersion"], changes)
            else:
                check = dict(check, HealthCheckConfig=dict(current, **changes))

    current_records = [] if zone["Id"].startswith("(") else api.record_sets(client, zone["Id"], record)
    # What was there before this run, for the diff (None: nothing of it existed).
    before = None if found_zone is None else describe(found_zone, found_check, current_records)
    if provisioning:
        desired = desired_records(params, record, check["Id"] if not check["Id"].startswith("(") else None)
        by_identifier = {item.get("SetIdentifier"): normalised(item) for item in current_records}
        stale = [item for item in desired if by_identifier.get(item["SetIdentifier"]) != item]
        if stale:
            module.record(f"upsert failover records {', '.join(item['Failover'] for item in stale)} of {record}")
            changed = True
            if not module.check_mode:
                api.upsert_records(client, zone["Id"], stale)
            current_records = desired
    dns = describe(zone, check, current_records)
    return module.result(changed, "dns", dns, before=before, after=dns)


def describe(zone, check, records):
    """The failover state as the module returns it: zone, health check, which side is active, the records."""
    return {
        "zone_id": zone["Id"],
        "health_check_id": check["Id"] if check else None,
        "active": None if check is None else ("secondary" if check["HealthCheckConfig"].get("Inverted") else "primary"),
        "records": {item.get("Failover"): item["ResourceRecords"][0]["Value"] for item in records if item.get("ResourceRecords")},
    }


def main():
    argument_spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        zone=dict(type="str", required=True),
        record=dict(type="str", required=True),
        primary_target=dict(type="str"),
        secondary_target=dict(type="str"),
        active=dict(type="str", choices=["primary", "secondary"]),
        health_check=dict(
            type="dict",
            default={},
            options=dict(
                type=dict(type="str", choices=["HTTP", "HTTPS"], default="HTTPS"),
                port=dict(type="int", default=443),
                path=dict(type="str", default="/ready"),
            ),
        ),
        ttl=dict(type="int", default=60),
    )
    module = FaithAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()
