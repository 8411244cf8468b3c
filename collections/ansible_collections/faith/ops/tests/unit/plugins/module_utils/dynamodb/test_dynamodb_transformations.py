# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The pure part of dynamodb_table: validation, views and the planned AWS requests."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.faith.ops.plugins.module_utils.dynamodb import transformations as tf
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0f9a3c1e-5b1d-4c57-9a43-1d2c3b4a5f60"
AWS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-5b1d-4c57-9a43-1d2c3b4a5f60"


def params(**overrides):
    """Module parameters as Ansible hands them over (every option present, unset ones None)."""
    values = {key: None for key in tf.TABLE_OPTIONS}
    values.update(
        name="faith-chatbot-test-UserProfiles",
        state="present",
        attributes=[{"name": "user_id", "type": "S"}, {"name": "email", "type": "S"}],
        hash_key="user_id",
        billing_mode="PAY_PER_REQUEST",
        global_indexes=[index("EmailIndex", "email")],
        purge_tags=True,
        tables=None,
    )
    values.update(overrides)
    return values


def index(name, hash_key, range_key=None, projection="ALL", non_key=None, read=None, write=None):
    return {
        "name": name,
        "hash_key": hash_key,
        "range_key": range_key,
        "projection": projection,
        "non_key_attributes": non_key,
        "read_capacity": read,
        "write_capacity": write,
    }


def spec(**overrides):
    return tf.table_specs(params(**overrides))[0]


def described(**overrides):
    """DescribeTable's Table for the user table, as AWS returns it for an on-demand table."""
    table = {
        "TableName": "faith-chatbot-test-UserProfiles",
        "TableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/faith-chatbot-test-UserProfiles",
        "TableStatus": "ACTIVE",
        "AttributeDefinitions": [{"AttributeName": "user_id", "AttributeType": "S"}, {"AttributeName": "email", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0, "NumberOfDecreasesToday": 0},
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "EmailIndex",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "IndexStatus": "ACTIVE",
                "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
            }
        ],
        "DeletionProtectionEnabled": True,
    }
    table.update(overrides)
    return table


# --- specs and validation --------------------------------------------------------------------


def test_items_inherit_top_level_options_and_errors_name_where_a_value_came_from():
    specs = tf.table_specs(
        params(
            name=None,
            point_in_time_recovery=True,
            tables=[
                {"name": "faith-a", "hash_key": None, "point_in_time_recovery": None},
                {"name": "faith-b", "point_in_time_recovery": False, "global_indexes": None},
            ],
        )
    )
    assert [item.name for item in specs] == ["faith-a", "faith-b"]
    assert specs[0]["point_in_time_recovery"] is True
    assert specs[0]["hash_key"] == "user_id"
    assert specs[1]["point_in_time_recovery"] is False
    assert specs[0].option("hash_key") == "hash_key"
    assert specs[1].option("point_in_time_recovery") == "tables[1].point_in_time_recovery"
    assert specs[1].option("ttl", ".attribute_name") == "ttl.attribute_name"


def test_a_table_listed_twice_is_refused():
    with pytest.raises(OptionError) as raised:
        tf.table_specs(params(name=None, tables=[{"name": "faith-a"}, {"name": "faith-a"}]))
    assert raised.value.option == "tables"


def test_the_application_tables_are_valid():
    tables = [
        params(),
        params(
            name="faith-chatbot-test-ConversationSessions",
            attributes=[{"name": "session_id", "type": "S"}, {"name": "created_at", "type": "S"}],
            hash_key="session_id",
            range_key="created_at",
            global_indexes=[],
            ttl={"enabled": True, "attribute_name": "expires_at"},
        ),
        params(name="faith-chatbot-test-PrayerRequests", attributes=[{"name": "request_id", "type": "S"}], hash_key="request_id", global_indexes=[]),
        params(
            name="faith-chatbot-test-ConsentLogs",
            attributes=[{"name": "user_id", "type": "S"}, {"name": "recorded_at", "type": "S"}],
            hash_key="user_id",
            range_key="recorded_at",
            global_indexes=[],
            point_in_time_recovery=True,
            recovery_period_days=35,
            deletion_protection=True,
            encryption={"type": "customer_managed", "kms_key_arn": KEY_ARN},
            stream={"enabled": True, "view_type": "NEW_AND_OLD_IMAGES"},
            replicas=[{"region": "us-west-2", "kms_key_arn": KEY_ARN.replace("us-east-1", "us-west-2")}],
        ),
    ]
    for values in tables:
        tf.validate_table_spec(tf.table_specs(values)[0], region="us-east-1")


@pytest.mark.parametrize(
    "overrides, option, fragment",
    [
        ({"name": "ab"}, "name", "3 to 255"),
        ({"name": "faith/users"}, "name", "letters, digits"),
        ({"attributes": None}, "attributes", "required"),
        ({"attributes": [{"name": "user_id", "type": "S"}, {"name": "user_id", "type": "N"}]}, "attributes[1].name", "defined twice"),
        ({"hash_key": None}, "hash_key", "required"),
        ({"hash_key": "id"}, "hash_key", "'id' is not defined in attributes"),
        ({"range_key": "user_id"}, "range_key", "must differ"),
        ({"global_indexes": [index("EmailIndex", "mail")]}, "global_indexes[0].hash_key", "'mail' is not defined in attributes"),
        ({"global_indexes": [index("EmailIndex", "email", range_key="created_at")]}, "global_indexes[0].range_key", "not defined"),
        ({"global_indexes": [index("EI", "email")]}, "global_indexes[0].name", "3 to 255"),
        ({"global_indexes": [index("EmailIndex", "email"), index("EmailIndex", "email")]}, "global_indexes[1].name", "given twice"),
        ({"global_indexes": [index("EmailIndex", "email", projection="INCLUDE")]}, "global_indexes[0].non_key_attributes", "needs"),
        ({"global_indexes": [index("EmailIndex", "email", non_key=["name"])]}, "global_indexes[0].non_key_attributes", "only to projection INCLUDE"),
        ({"global_indexes": [index("EmailIndex", "email", read=5, write=5)]}, "global_indexes[0].read_capacity", "only with billing_mode PROVISIONED"),
        ({"global_indexes": []}, "attributes[1].name", "not a key of the table or of any global index"),
        ({"billing_mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 5}, "global_indexes[0].read_capacity", "PROVISIONED needs"),
        ({"billing_mode": "PROVISIONED", "read_capacity": 0, "write_capacity": 5}, "read_capacity", "at least 1"),
        ({"write_capacity": 5}, "write_capacity", "only with billing_mode PROVISIONED"),
        ({"ttl": {"enabled": True, "attribute_name": None}}, "ttl.attribute_name", "required when TTL is enabled"),
        ({"ttl": {"enabled": True, "attribute_name": ""}}, "ttl.attribute_name", "required when TTL is enabled"),
        ({"ttl": {"enabled": True, "attribute_name": " expires_at"}}, "ttl.attribute_name", "surrounding spaces"),
        ({"ttl": {"enabled": True, "attribute_name": "x" * 256}}, "ttl.attribute_name", "1 to 255"),
        ({"ttl": {"enabled": True, "attribute_name": "email"}}, "ttl.attribute_name", "key attribute of type S"),
        ({"recovery_period_days": 7}, "recovery_period_days", "only with point_in_time_recovery: true"),
        ({"point_in_time_recovery": True, "recovery_period_days": 36}, "recovery_period_days", "1 to 35"),
        ({"encryption": {"type": "customer_managed", "kms_key_arn": None}}, "encryption.kms_key_arn", "needs the key's ARN"),
        ({"encryption": {"type": "customer_managed", "kms_key_arn": "alias/faith"}}, "encryption.kms_key_arn", "needs the key's ARN"),
        ({"encryption": {"type": "aws_managed", "kms_key_arn": KEY_ARN}}, "encryption.kms_key_arn", "only to type customer_managed"),
        ({"stream": {"enabled": True, "view_type": None}}, "stream.view_type", "required"),
        ({"replicas": [{"region": "us-west-2", "kms_key_arn": None}]}, "stream", "NEW_AND_OLD_IMAGES"),
        (
            {"stream": {"enabled": True, "view_type": "NEW_IMAGE"}, "replicas": [{"region": "us-west-2", "kms_key_arn": None}]},
            "stream",
            "NEW_AND_OLD_IMAGES",
        ),
        ({"tags": {"aws:owner": "x"}}, "tags", "reserved prefix"),
    ],
)
def test_values_aws_rejects_are_refused_naming_the_option(overrides, option, fragment):
    with pytest.raises(OptionError) as raised:
        tf.validate_table_spec(spec(**overrides), region="us-east-1")
    assert raised.value.option == option
    assert fragment in str(raised.value)


@pytest.mark.parametrize(
    "replicas, encryption, option, fragment",
    [
        ([{"region": "us-east-1", "kms_key_arn": None}], None, "replicas[0].region", "own region"),
        ([{"region": "mars-1", "kms_key_arn": None}], None, "replicas[0].region", "not an AWS region"),
        ([{"region": "us-west-2", "kms_key_arn": None}] * 2, None, "replicas[1].region", "listed twice"),
        ([{"region": "us-west-2", "kms_key_arn": KEY_ARN}], None, "replicas[0].kms_key_arn", "only with encryption type customer_managed"),
        (
            [{"region": "us-west-2", "kms_key_arn": KEY_ARN}],
            {"type": "customer_managed", "kms_key_arn": KEY_ARN},
            "replicas[0].kms_key_arn",
            "in the replica's region us-west-2",
        ),
    ],
)
def test_replica_rules(replicas, encryption, option, fragment):
    stream = {"enabled": True, "view_type": "NEW_AND_OLD_IMAGES"}
    with pytest.raises(OptionError) as raised:
        tf.validate_table_spec(spec(replicas=replicas, stream=stream, encryption=encryption), region="us-east-1")
    assert raised.value.option == option
    assert fragment in str(raised.value)


def test_replicas_need_on_demand_billing():
    values = dict(
        billing_mode="PROVISIONED",
        read_capacity=5,
        write_capacity=5,
        global_indexes=[index("EmailIndex", "email", read=1, write=1)],
        stream={"enabled": True, "view_type": "NEW_AND_OLD_IMAGES"},
        replicas=[{"region": "us-west-2", "kms_key_arn": None}],
    )
    with pytest.raises(OptionError) as raised:
        tf.validate_table_spec(spec(**values), region="us-east-1")
    assert raised.value.option == "billing_mode"


def test_ttl_may_use_a_number_key_or_an_undefined_attribute():
    tf.validate_table_spec(spec(ttl={"enabled": True, "attribute_name": "expires_at"}))
    numeric = spec(attributes=[{"name": "user_id", "type": "S"}, {"name": "expires", "type": "N"}], global_indexes=[index("ExpiryIndex", "expires")])
    numeric.values["ttl"] = {"enabled": True, "attribute_name": "expires"}
    tf.validate_table_spec(numeric)
    tf.validate_table_spec(spec(ttl={"enabled": False, "attribute_name": None}))


def test_an_absent_table_needs_only_a_valid_name():
    tf.validate_table_spec(tf.table_specs(params(state="absent", attributes=None, hash_key=None))[0])


def test_a_new_table_with_unmanaged_indexes_may_define_only_table_keys():
    with pytest.raises(OptionError) as raised:
        tf.validate_against_current(spec(global_indexes=None), None)
    assert raised.value.option == "attributes[1].name"
    tf.validate_against_current(spec(global_indexes=None, attributes=[{"name": "user_id", "type": "S"}]), None)


def test_keys_of_an_existing_table_cannot_change():
    with pytest.raises(OptionError) as raised:
        tf.validate_against_current(spec(hash_key="email", global_indexes=[index("UserIndex", "user_id")]), described())
    assert raised.value.option == "hash_key"
    assert "user_id (S)" in str(raised.value)
    with pytest.raises(OptionError) as raised:
        tf.validate_against_current(spec(attributes=[{"name": "user_id", "type": "N"}, {"name": "email", "type": "S"}]), described())
    assert raised.value.option == "hash_key"
    with pytest.raises(OptionError) as raised:
        tf.validate_against_current(spec(range_key="email", global_indexes=[]), described())
    assert raised.value.option == "range_key"
    tf.validate_against_current(spec(), described())


def test_ttl_is_not_moved_in_one_step():
    ttl = {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    with pytest.raises(OptionError) as raised:
        tf.validate_against_current(spec(ttl={"enabled": True, "attribute_name": "purge_at"}), described(), ttl)
    assert raised.value.option == "ttl.attribute_name"
    tf.validate_against_current(spec(ttl={"enabled": True, "attribute_name": "expires_at"}), described(), ttl)
    tf.validate_against_current(spec(ttl={"enabled": False, "attribute_name": None}), described(), ttl)


# --- views -----------------------------------------------------------------------------------


def test_view_of_an_on_demand_table_ignores_the_zero_capacities_aws_reports():
    view = tf.table_view(described(), encryption={"type": "aws_owned"})
    assert "read_capacity" not in view
    assert "read_capacity" not in view["global_indexes"][0]
    assert view["global_indexes"][0]["name"] == "EmailIndex"
    assert view["hash_key"] == "user_id" and view["range_key"] is None
    assert view["stream"] == {"enabled": False, "view_type": None}


def test_a_table_never_switched_to_on_demand_is_provisioned():
    table = described(ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 2})
    del table["BillingModeSummary"]
    view = tf.table_view(table)
    assert (view["billing_mode"], view["read_capacity"], view["write_capacity"]) == ("PROVISIONED", 5, 2)


@pytest.mark.parametrize(
    "sse, aws_key, expected",
    [
        (None, None, {"type": "aws_owned"}),
        ({"Status": "DISABLED"}, None, {"type": "aws_owned"}),
        ({"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": AWS_KEY_ARN}, AWS_KEY_ARN, {"type": "aws_managed", "kms_key_arn": AWS_KEY_ARN}),
        ({"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": KEY_ARN}, AWS_KEY_ARN, {"type": "customer_managed", "kms_key_arn": KEY_ARN}),
        ({"Status": "UPDATING", "SSEType": "KMS", "KMSMasterKeyArn": KEY_ARN}, None, {"type": "customer_managed", "kms_key_arn": KEY_ARN}),
    ],
)
def test_encryption_is_classified_by_key(sse, aws_key, expected):
    table = described(SSEDescription=sse) if sse else described()
    assert tf.encryption_view(table, aws_key) == expected


def test_the_aws_managed_key_is_looked_up_only_when_it_could_matter():
    kms_table = described(SSEDescription={"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": KEY_ARN})
    assert not tf.needs_aws_managed_key(described())
    assert tf.needs_aws_managed_key(kms_table)
    assert not tf.needs_aws_managed_key(kms_table, spec(encryption={"type": "customer_managed", "kms_key_arn": KEY_ARN}))
    assert tf.needs_aws_managed_key(kms_table, spec(encryption={"type": "aws_managed", "kms_key_arn": None}))


def test_expected_view_of_a_new_table_states_every_default():
    view = tf.expected_view(spec(point_in_time_recovery=True, tags={"Application": "faith-chatbot"}))
    assert view["deletion_protection"] is False
    assert view["point_in_time_recovery"] is True
    assert view["ttl"] == {"enabled": False, "attribute_name": None}
    assert view["global_indexes"] == [{"name": "EmailIndex", "hash_key": "email", "range_key": None, "projection": "ALL", "non_key_attributes": []}]
    assert view["tags"] == {"Application": "faith-chatbot"}


def test_expected_view_merges_tags_unless_purging():
    current = tf.table_view(described(), tags={"Owner": "ops"})
    assert tf.expected_view(spec(tags={"Application": "x"}, purge_tags=False), current)["tags"] == {"Owner": "ops", "Application": "x"}
    assert tf.expected_view(spec(tags={"Application": "x"}), current)["tags"] == {"Application": "x"}


# --- requests --------------------------------------------------------------------------------


def test_create_request_carries_everything_create_table_accepts():
    request = tf.create_request(
        spec(
            deletion_protection=True,
            encryption={"type": "aws_managed", "kms_key_arn": None},
            stream={"enabled": True, "view_type": "NEW_AND_OLD_IMAGES"},
            tags={"Application": "faith-chatbot"},
            point_in_time_recovery=True,
        )
    )
    assert request == {
        "TableName": "faith-chatbot-test-UserProfiles",
        "AttributeDefinitions": [{"AttributeName": "user_id", "AttributeType": "S"}, {"AttributeName": "email", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
        "GlobalSecondaryIndexes": [
            {"IndexName": "EmailIndex", "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}
        ],
        "SSESpecification": {"Enabled": True, "SSEType": "KMS"},
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        "DeletionProtectionEnabled": True,
        "Tags": [{"Key": "Application", "Value": "faith-chatbot"}],
    }


def test_create_request_for_provisioned_tables_sets_every_capacity():
    request = tf.create_request(
        spec(billing_mode="PROVISIONED", read_capacity=5, write_capacity=3, global_indexes=[index("EmailIndex", "email", read=2, write=1)])
    )
    assert request["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 3}
    assert request["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"] == {"ReadCapacityUnits": 2, "WriteCapacityUnits": 1}
    assert "SSESpecification" not in tf.create_request(spec(encryption={"type": "aws_owned", "kms_key_arn": None}))


def test_changed_or_unwanted_indexes_are_removed_and_missing_ones_added():
    wanted = spec(
        attributes=[{"name": "user_id", "type": "S"}, {"name": "email", "type": "S"}, {"name": "created_at", "type": "S"}],
        global_indexes=[index("EmailIndex", "email", projection="KEYS_ONLY"), index("CreatedIndex", "created_at")],
    )
    table = described()
    table["GlobalSecondaryIndexes"].append(dict(table["GlobalSecondaryIndexes"][0], IndexName="OldIndex"))
    assert tf.index_removals(wanted, table) == ["EmailIndex", "OldIndex"]
    assert [item["name"] for item in tf.index_additions(wanted, table)] == ["CreatedIndex"]
    assert tf.index_removals(spec(global_indexes=None), table) == []


def test_an_index_whose_key_type_the_table_no_longer_describes_is_kept():
    # The emulator replaces AttributeDefinitions with whatever an update sent.
    table = described(AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"}])
    assert tf.index_removals(spec(), table) == []
    typed = described(AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"}, {"AttributeName": "email", "AttributeType": "N"}])
    assert tf.index_removals(spec(), typed) == ["EmailIndex"]


def test_index_updates_always_send_the_full_attribute_definitions():
    wanted = spec(
        attributes=[{"name": "user_id", "type": "S"}, {"name": "email", "type": "S"}, {"name": "created_at", "type": "S"}],
        global_indexes=[index("EmailIndex", "email"), index("CreatedIndex", "created_at", range_key="user_id")],
    )
    addition = tf.index_addition_request(wanted, described(), wanted["global_indexes"][1])
    assert addition["AttributeDefinitions"] == [
        {"AttributeName": "user_id", "AttributeType": "S"},
        {"AttributeName": "email", "AttributeType": "S"},
        {"AttributeName": "created_at", "AttributeType": "S"},
    ]
    assert addition["GlobalSecondaryIndexUpdates"][0]["Create"]["KeySchema"] == [
        {"AttributeName": "created_at", "KeyType": "HASH"},
        {"AttributeName": "user_id", "KeyType": "RANGE"},
    ]
    removal = tf.index_removal_request(spec(global_indexes=[], attributes=[{"name": "user_id", "type": "S"}]), described(), "EmailIndex")
    assert removal == {
        "AttributeDefinitions": [{"AttributeName": "user_id", "AttributeType": "S"}],
        "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "EmailIndex"}}],
    }


def test_a_table_is_settled_only_when_it_its_indexes_and_replicas_are_active():
    assert tf.is_settled(described())
    assert not tf.is_settled(described(TableStatus="UPDATING"))
    creating = described()
    creating["GlobalSecondaryIndexes"][0]["IndexStatus"] = "CREATING"
    assert not tf.is_settled(creating)
    assert not tf.is_settled(described(Replicas=[{"RegionName": "us-west-2", "ReplicaStatus": "CREATING"}]))


def test_an_index_being_deleted_no_longer_counts():
    table = described()
    table["GlobalSecondaryIndexes"][0]["IndexStatus"] = "DELETING"
    assert tf.live_indexes(table) == []
    assert [item["name"] for item in tf.index_additions(spec(), table)] == ["EmailIndex"]


def test_billing_changes():
    provisioned = spec(billing_mode="PROVISIONED", read_capacity=5, write_capacity=5, global_indexes=[index("EmailIndex", "email", read=2, write=2)])
    assert tf.billing_request(spec(), described()) is None
    assert tf.billing_request(provisioned, described()) == {
        "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "EmailIndex", "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}}}],
    }
    on_provisioned = described(BillingModeSummary={"BillingMode": "PROVISIONED"}, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 1})
    assert tf.billing_request(provisioned, on_provisioned) == {"ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}
    assert tf.billing_request(spec(), on_provisioned) == {"BillingMode": "PAY_PER_REQUEST"}


def test_index_capacity_updates_only_for_provisioned_indexes_that_differ():
    table = described(BillingModeSummary={"BillingMode": "PROVISIONED"}, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    table["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"] = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    wanted = spec(billing_mode="PROVISIONED", read_capacity=5, write_capacity=5, global_indexes=[index("EmailIndex", "email", read=3, write=1)])
    assert tf.index_throughput_requests(wanted, table) == [
        (
            "EmailIndex",
            {
                "GlobalSecondaryIndexUpdates": [
                    {"Update": {"IndexName": "EmailIndex", "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 1}}}
                ]
            },
        )
    ]
    assert tf.index_throughput_requests(spec(), described()) == []


@pytest.mark.parametrize(
    "sse, encryption, expected",
    [
        (None, None, None),
        (None, {"type": "aws_owned"}, None),
        (None, {"type": "aws_managed"}, {"Enabled": True, "SSEType": "KMS"}),
        ({"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": AWS_KEY_ARN}, {"type": "aws_managed"}, None),
        ({"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": AWS_KEY_ARN}, {"type": "aws_owned"}, {"Enabled": False}),
        (
            {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": AWS_KEY_ARN},
            {"type": "customer_managed", "kms_key_arn": KEY_ARN},
            {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": KEY_ARN},
        ),
        ({"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": KEY_ARN}, {"type": "customer_managed", "kms_key_arn": KEY_ARN}, None),
        ({"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": KEY_ARN}, {"type": "aws_managed"}, {"Enabled": True, "SSEType": "KMS"}),
    ],
)
def test_encryption_requests(sse, encryption, expected):
    table = described(SSEDescription=sse) if sse else described()
    encryption = dict({"kms_key_arn": None}, **encryption) if encryption else None
    assert tf.encryption_request(spec(encryption=encryption), table, AWS_KEY_ARN) == expected


@pytest.mark.parametrize(
    "current, wanted, expected",
    [
        (None, None, []),
        (None, {"enabled": False, "view_type": None}, []),
        ({"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}, {"enabled": False, "view_type": None}, [{"StreamEnabled": False}]),
        (None, {"enabled": True, "view_type": "NEW_IMAGE"}, [{"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}]),
        ({"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}, {"enabled": True, "view_type": "NEW_IMAGE"}, []),
        (
            {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
            {"enabled": True, "view_type": "NEW_AND_OLD_IMAGES"},
            [{"StreamEnabled": False}, {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}],
        ),
    ],
)
def test_stream_requests(current, wanted, expected):
    table = described(StreamSpecification=current) if current else described()
    assert tf.stream_requests(spec(stream=wanted), table) == expected


def test_replica_plan():
    table = described(
        Replicas=[
            {"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"},
            {"RegionName": "us-west-1", "ReplicaStatus": "DELETING"},
            {"RegionName": "us-west-2", "ReplicaStatus": "ACTIVE", "KMSMasterKeyId": "old"},
        ]
    )
    wanted = spec(replicas=[{"region": "us-west-2", "kms_key_arn": "new"}, {"region": "ap-south-1", "kms_key_arn": None}])
    assert tf.replica_regions(table) == ["eu-west-1", "us-west-2"]
    assert tf.replica_removals(wanted, table) == ["eu-west-1"]
    assert tf.replica_additions(wanted, table) == [
        {"Update": {"RegionName": "us-west-2", "KMSMasterKeyId": "new"}},
        {"Create": {"RegionName": "ap-south-1"}},
    ]
    assert tf.replica_removals(spec(), table) == []
    assert tf.replica_removals(spec(replicas=[]), table) == ["eu-west-1", "us-west-2"]


@pytest.mark.parametrize(
    "current, enabled, days, expected",
    [
        ({"PointInTimeRecoveryStatus": "DISABLED"}, None, None, None),
        ({"PointInTimeRecoveryStatus": "DISABLED"}, True, None, {"PointInTimeRecoveryEnabled": True}),
        ({"PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": 35}, True, None, None),
        ({"PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": 35}, True, 7, {"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 7}),
        ({"PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": 7}, True, 7, None),
        ({"PointInTimeRecoveryStatus": "ENABLED"}, False, None, {"PointInTimeRecoveryEnabled": False}),
        ({"PointInTimeRecoveryStatus": "DISABLED"}, False, None, None),
    ],
)
def test_point_in_time_recovery_requests(current, enabled, days, expected):
    assert tf.point_in_time_recovery_request(spec(point_in_time_recovery=enabled, recovery_period_days=days), current) == expected


@pytest.mark.parametrize(
    "current, wanted, expected",
    [
        ({"TimeToLiveStatus": "DISABLED"}, None, None),
        ({"TimeToLiveStatus": "DISABLED"}, {"enabled": True, "attribute_name": "expires_at"}, {"Enabled": True, "AttributeName": "expires_at"}),
        ({"TimeToLiveStatus": "ENABLING", "AttributeName": "expires_at"}, {"enabled": True, "attribute_name": "expires_at"}, None),
        (
            {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"},
            {"enabled": False, "attribute_name": None},
            {"Enabled": False, "AttributeName": "expires_at"},
        ),
        ({"TimeToLiveStatus": "DISABLING", "AttributeName": "expires_at"}, {"enabled": False, "attribute_name": None}, None),
    ],
)
def test_ttl_requests(current, wanted, expected):
    assert tf.ttl_request(spec(ttl=wanted), current) == expected


def test_deletion_protection_request():
    assert tf.deletion_protection_request(spec(deletion_protection=True), described()) is None
    assert tf.deletion_protection_request(spec(deletion_protection=False), described()) == {"DeletionProtectionEnabled": False}
    assert tf.deletion_protection_request(spec(), described()) is None


def test_planning_never_mutates_the_description():
    table = described()
    snapshot = copy.deepcopy(table)
    wanted = spec(global_indexes=[index("EmailIndex", "email", projection="KEYS_ONLY")], billing_mode="PAY_PER_REQUEST")
    tf.index_removals(wanted, table)
    tf.index_addition_request(wanted, table, wanted["global_indexes"][0])
    tf.table_view(table)
    assert table == snapshot
