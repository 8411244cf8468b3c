# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dns_failover against botocore's Stubber: Route 53's real request and response shapes.

The emulator stores the records but answers no DNS and never fails a health check, so what a
failover changes (the primary's health check inverted) and what a deployment must leave alone are
asserted here on the calls themselves.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.modules import dns_failover

ZONE = "faith-chatbot-staging.example.org."
RECORD = "chat.faith-chatbot-staging.example.org."
PRIMARY = "faith-chatbot-staging-alb-1.us-east-1.elb.amazonaws.com"
SECONDARY = "faith-chatbot-staging-alb-2.us-west-2.elb.amazonaws.com"
CHECK_ID = "0b8a3c5e-1d2f-4a57-9f0e-1d2c3b4a5f60"


class FakeModule:
    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, client, check_mode=False, diff=False, **params):
        self.params = {"state": "present", "zone": ZONE, "record": RECORD, "primary_target": None, "secondary_target": None, "active": None,
                       "health_check": {"type": "HTTPS", "port": 443, "path": "/ready"}, "ttl": 60}
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = diff
        self.actions = []
        self._client = client

    def client(self, service):
        assert service == "route53"
        return self._client


@pytest.fixture
def route53():
    client = boto3.client("route53", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def records_listed(stubber):
    stubber.add_response("list_resource_record_sets", records(),
                         {"HostedZoneId": "/hostedzone/Z0123456789ABCDEFGHIJ", "StartRecordName": RECORD, "StartRecordType": "CNAME", "MaxItems": "10"})


def zone_found(stubber):
    stubber.add_response(
        "list_hosted_zones_by_name",
        {"HostedZones": [{"Id": "/hostedzone/Z0123456789ABCDEFGHIJ", "Name": ZONE, "CallerReference": "r", "ResourceRecordSetCount": 4}],
         "IsTruncated": False, "MaxItems": "1", "DNSName": ZONE},
        {"DNSName": ZONE, "MaxItems": "1"},
    )


def health_check(inverted):
    return {"HealthChecks": [{
        "Id": CHECK_ID, "CallerReference": f"faith-ops-{RECORD}primary", "HealthCheckVersion": 3,
        "HealthCheckConfig": {"Type": "HTTPS", "FullyQualifiedDomainName": PRIMARY, "Port": 443, "ResourcePath": "/ready",
                              "RequestInterval": 10, "FailureThreshold": 3, "Inverted": inverted},
    }], "Marker": "", "IsTruncated": False, "MaxItems": "100"}


def records():
    return {"ResourceRecordSets": [
        {"Name": RECORD, "Type": "CNAME", "SetIdentifier": "primary", "Failover": "PRIMARY", "TTL": 60,
         "ResourceRecords": [{"Value": PRIMARY}], "HealthCheckId": CHECK_ID},
        {"Name": RECORD, "Type": "CNAME", "SetIdentifier": "secondary", "Failover": "SECONDARY", "TTL": 60,
         "ResourceRecords": [{"Value": SECONDARY}]},
    ], "IsTruncated": False, "MaxItems": "10"}


def test_failover_inverts_the_primarys_health_check_and_nothing_else(route53):
    client, stubber = route53
    zone_found(stubber)
    stubber.add_response("list_health_checks", health_check(False), {})
    stubber.add_response(
        "update_health_check",
        {"HealthCheck": dict(health_check(True)["HealthChecks"][0], HealthCheckVersion=4)},
        {"HealthCheckId": CHECK_ID, "HealthCheckVersion": 3, "Inverted": True},
    )
    records_listed(stubber)
    result = dns_failover.run(FakeModule(client, active="secondary"))
    assert result["changed"] is True
    assert result["dns"]["active"] == "secondary"
    assert result["dns"]["records"] == {"PRIMARY": PRIMARY, "SECONDARY": SECONDARY}


def test_a_failover_preview_shows_the_active_side_changing_and_writes_nothing(route53):
    client, stubber = route53
    zone_found(stubber)
    stubber.add_response("list_health_checks", health_check(False), {})
    records_listed(stubber)
    result = dns_failover.run(FakeModule(client, check_mode=True, diff=True, active="secondary"))
    assert result["changed"] is True
    assert result["diff"]["before"]["active"] == "primary"
    assert result["diff"]["after"]["active"] == "secondary"
    assert result["diff"]["before"]["records"] == result["diff"]["after"]["records"]


def test_a_deployment_keeps_the_choice_and_changes_nothing_when_records_match(route53):
    client, stubber = route53
    zone_found(stubber)
    stubber.add_response("list_health_checks", health_check(True), {})
    records_listed(stubber)
    module = FakeModule(client, primary_target=PRIMARY, secondary_target=SECONDARY)
    result = dns_failover.run(module)
    assert result["changed"] is False and module.actions == []
    assert result["dns"]["active"] == "secondary"


def test_switching_needs_the_records_deploy_creates(route53):
    client, stubber = route53
    stubber.add_response("list_hosted_zones_by_name", {"HostedZones": [], "IsTruncated": False, "MaxItems": "1", "DNSName": ZONE},
                         {"DNSName": ZONE, "MaxItems": "1"})
    with pytest.raises(OptionError) as raised:
        dns_failover.run(FakeModule(client, active="secondary"))
    assert raised.value.option == "zone" and "deploy.yml" in str(raised.value)


@pytest.mark.parametrize(
    "params, option",
    [
        ({"record": "chat.other.example.org"}, "record"),
        ({"primary_target": PRIMARY}, "secondary_target"),
    ],
    ids=["record-outside-zone", "one-target-only"],
)
def test_bad_input_is_refused_before_any_call(route53, params, option):
    client = route53[0]
    with pytest.raises(OptionError) as raised:
        dns_failover.run(FakeModule(client, **params))
    assert raised.value.option == option
