# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Route 53 calls behind the DR failover record: one API call per function, retried, named."""

from __future__ import annotations

from ..base import aws_action


@aws_action("find the hosted zone")
def find_zone(client, name):
    answer = client.list_hosted_zones_by_name(DNSName=name, MaxItems="1")
    zones = [zone for zone in answer["HostedZones"] if zone["Name"] == name]
    return zones[0] if zones else None


@aws_action("create the hosted zone")
def create_zone(client, name):
    return client.create_hosted_zone(Name=name, CallerReference=f"faith-ops-{name}")["HostedZone"]


@aws_action("list health checks")
def health_checks(client):
    checks = []
    for page in client.get_paginator("list_health_checks").paginate():
        checks.extend(page["HealthChecks"])
    return checks


@aws_action("create the primary's health check")
def create_health_check(client, reference, config):
    return client.create_health_check(CallerReference=reference, HealthCheckConfig=config)["HealthCheck"]


@aws_action("update the primary's health check")
def update_health_check(client, check_id, version, changes):
    return client.update_health_check(HealthCheckId=check_id, HealthCheckVersion=version, **changes)["HealthCheck"]


@aws_action("list the failover records")
def record_sets(client, zone_id, name):
    answer = client.list_resource_record_sets(HostedZoneId=zone_id, StartRecordName=name, StartRecordType="CNAME", MaxItems="10")
    return [record for record in answer["ResourceRecordSets"] if record["Name"] == name and record["Type"] == "CNAME"]


@aws_action("change the failover records")
def upsert_records(client, zone_id, records):
    client.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={"Comment": "faith.ops DR failover records", "Changes": [{"Action": "UPSERT", "ResourceRecordSet": record} for record in records]},
    )


@aws_action("delete the failover records")
def delete_records(client, zone_id, records):
    client.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={"Comment": "faith.ops DR teardown", "Changes": [{"Action": "DELETE", "ResourceRecordSet": record} for record in records]},
    )


@aws_action("delete the primary's health check")
def delete_health_check(client, check_id):
    client.delete_health_check(HealthCheckId=check_id)


@aws_action("list the zone's records")
def all_record_sets(client, zone_id):
    records = []
    for page in client.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone_id):
        records.extend(page["ResourceRecordSets"])
    return records


@aws_action("delete the hosted zone")
def delete_zone(client, zone_id):
    client.delete_hosted_zone(Id=zone_id)
