# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

import pytest

from ansible_collections.faith.ops.plugins.module_utils.iam.transformations import canonical_policy
from ansible_collections.faith.ops.plugins.module_utils.iam.transformations import inline_policy_changes
from ansible_collections.faith.ops.plugins.module_utils.iam.transformations import managed_policy_changes
from ansible_collections.faith.ops.plugins.module_utils.iam.transformations import role_view
from ansible_collections.faith.ops.plugins.module_utils.iam.transformations import validate_role
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"], "Resource": "arn:aws:sqs:us-east-1:123456789012:q"}],
}


def params(**overrides):
    base = dict(name="faith-chatbot-test-task", state="present", path="/", description="", assume_role_policy=TRUST,
                managed_policies=None, inline_policies=None, max_session_duration=None)
    base.update(overrides)
    return base


def test_canonical_policy_ignores_spelling_and_order():
    spelled = {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Action": ["sqs:GetQueueUrl", "sqs:SendMessage"], "Resource": ["arn:aws:sqs:us-east-1:123456789012:q"]},
    }
    assert canonical_policy(spelled) == canonical_policy(POLICY)
    assert canonical_policy(json.dumps(POLICY)) == canonical_policy(POLICY)
    assert canonical_policy(POLICY)["Statement"][0]["Action"] == ["sqs:GetQueueUrl", "sqs:SendMessage"]


def test_canonical_policy_keeps_real_differences():
    wider = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}
    assert canonical_policy(wider) != canonical_policy(POLICY)


def test_canonical_policy_normalises_principals_and_conditions():
    document = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["b", "a"]}, "Action": "sts:AssumeRole",
                               "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}]}
    statement = canonical_policy(document)["Statement"][0]
    assert statement["Principal"] == {"AWS": ["a", "b"]}
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": ["x"]}}


def test_validate_role_returns_canonical_documents():
    trust, inline = validate_role(params(inline_policies={"queue": json.dumps(POLICY)}))
    assert trust["Statement"][0]["Principal"] == {"Service": ["ecs-tasks.amazonaws.com"]}
    assert inline == {"queue": canonical_policy(POLICY)}


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"name": "a/b"}, "name"),
        ({"name": "x" * 65}, "name"),
        ({"path": "service"}, "path"),
        ({"description": "d" * 1001}, "description"),
        ({"max_session_duration": 60}, "max_session_duration"),
        ({"assume_role_policy": None}, "assume_role_policy"),
        ({"assume_role_policy": "{not json"}, "assume_role_policy"),
        ({"assume_role_policy": {"Version": "2012-10-17"}}, "assume_role_policy"),
        ({"inline_policies": {"q": {"Statement": [{"Action": "sqs:*"}]}}}, "inline_policies.q.Statement[0]"),
        ({"inline_policies": {"q": {"Version": "2020-01-01", "Statement": [{"Effect": "Allow"}]}}}, "inline_policies.q.Version"),
        ({"inline_policies": {"bad name": POLICY}}, "inline_policies.bad name"),
        ({"managed_policies": ["AmazonS3ReadOnlyAccess"]}, "managed_policies[0]"),
        ({"managed_policies": [f"arn:aws:iam::aws:policy/p{i}" for i in range(21)]}, "managed_policies"),
    ],
)
def test_validate_role_names_the_option(overrides, option):
    with pytest.raises(OptionError) as raised:
        validate_role(params(**overrides))
    assert raised.value.option == option


def test_validate_role_refuses_inline_policies_over_the_size_quota():
    big = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [f"arn:aws:s3:::bucket-{i:04d}/*" for i in range(400)]}]}
    with pytest.raises(OptionError) as raised:
        validate_role(params(inline_policies={"big": big}))
    assert raised.value.option == "inline_policies"
    assert "10240" in str(raised.value)


def test_validate_role_accepts_the_placeholder_as_a_managed_policy():
    validate_role(params(managed_policies=["(known after apply)"]))


def test_absent_needs_no_trust_policy():
    assert validate_role(params(state="absent", assume_role_policy=None)) == (None, None)


def test_policy_changes():
    assert managed_policy_changes(["arn:a", "arn:b"], ["arn:b", "arn:c"]) == (["arn:c"], ["arn:a"])
    assert managed_policy_changes(["arn:a"], None) == ([], [])
    current = {"keep": POLICY, "old": POLICY}
    desired = {"keep": canonical_policy(POLICY), "new": canonical_policy(POLICY)}
    assert inline_policy_changes(current, desired) == ({"new": canonical_policy(POLICY)}, ["old"])
    assert inline_policy_changes(current, None) == ({}, [])


def test_role_view_defaults():
    view = role_view({"RoleName": "r", "AssumeRolePolicyDocument": TRUST}, ["arn:b", "arn:a"], {"p": POLICY}, {"k": "v"})
    assert view["path"] == "/"
    assert view["max_session_duration"] == 3600
    assert view["managed_policies"] == ["arn:a", "arn:b"]
    assert view["inline_policies"]["p"] == canonical_policy(POLICY)
    assert role_view(None, [], {}, {}) == {}
