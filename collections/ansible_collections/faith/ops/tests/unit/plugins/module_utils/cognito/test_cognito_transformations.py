# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The pure part of cognito_user_pool: validation, the update requests and the views."""

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.cognito import transformations as tf
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def params(**overrides):
    """Module parameters as Ansible hands them over."""
    values = {
        "name": "faith-chatbot-test-users",
        "state": "present",
        "password_policy": None,
        "auto_verified_attributes": ["email"],
        "deletion_protection": False,
        "client": {
            "name": "faith-chatbot-test-web",
            "explicit_auth_flows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "id_token_validity_minutes": 60,
            "access_token_validity_minutes": 60,
            "refresh_token_validity_days": 30,
            "prevent_user_existence_errors": True,
        },
        "tags": None,
        "purge_tags": True,
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("overrides", "option", "words"),
    [
        ({"name": "users/prod"}, "name", "1 to 128"),
        ({"password_policy": {"minimum_length": 5}}, "password_policy.minimum_length", "6 to 99"),
        ({"password_policy": {"temporary_password_validity_days": 400}}, "password_policy.temporary_password_validity_days", "0 to 365"),
        ({"auto_verified_attributes": ["address"]}, "auto_verified_attributes", "email, phone_number"),
        ({"client": {"name": "web", "explicit_auth_flows": ["ADMIN_NO_SRP_AUTH"]}}, "client.explicit_auth_flows", "ALLOW_USER_SRP_AUTH"),
        ({"client": {"name": "web", "id_token_validity_minutes": 4}}, "client.id_token_validity_minutes", "5 to 1440"),
        ({"client": {"name": "web", "access_token_validity_minutes": 1441}}, "client.access_token_validity_minutes", "5 to 1440"),
        ({"client": {"name": "web", "refresh_token_validity_days": 0}}, "client.refresh_token_validity_days", "1 to 3650"),
    ],
)
def test_validation_names_the_option_and_the_range(overrides, option, words):
    with pytest.raises(OptionError) as raised:
        tf.validate(params(**overrides))
    assert raised.value.option == option
    assert words in str(raised.value)


def test_absent_needs_only_a_valid_name():
    tf.validate(params(state="absent", password_policy={"minimum_length": 1}))


def test_an_update_carries_over_what_the_module_does_not_manage():
    current = {
        "Id": "us-east-1_abc",
        "Name": "faith-chatbot-test-users",
        "LambdaConfig": {"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:check"},
        "EmailConfiguration": {"EmailSendingAccount": "DEVELOPER", "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/x"},
        "MfaConfiguration": "OPTIONAL",
        "SmsConfiguration": {},
        "Policies": {"PasswordPolicy": {"MinimumLength": 8}},
        "EstimatedNumberOfUsers": 3,
    }
    request = tf.update_pool_request(current, params(), {"Application": "faith-chatbot"})
    assert request["LambdaConfig"] == current["LambdaConfig"]
    assert request["EmailConfiguration"] == current["EmailConfiguration"]
    assert request["MfaConfiguration"] == "OPTIONAL"
    # Read-only and empty fields are not sent back.
    assert "EstimatedNumberOfUsers" not in request and "SmsConfiguration" not in request
    assert request["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert request["UserPoolTags"] == {"Application": "faith-chatbot"}
    assert request["DeletionProtection"] == "INACTIVE"


def test_lifting_protection_for_deletion_keeps_the_current_settings():
    current = {"Id": "us-east-1_abc", "Policies": {"PasswordPolicy": {"MinimumLength": 20}}, "AutoVerifiedAttributes": ["email"]}
    request = tf.update_pool_request(current, params(state="absent", deletion_protection=False), {}, deletion_protection=False)
    assert request["Policies"] == current["Policies"]
    assert request["DeletionProtection"] == "INACTIVE"


@pytest.mark.parametrize(
    ("description", "minutes"),
    [
        ({"IdTokenValidity": 30, "TokenValidityUnits": {"IdToken": "minutes"}}, 30),
        ({"IdTokenValidity": 1, "TokenValidityUnits": {"IdToken": "days"}}, 1440),
        # Without units, AWS counts ID tokens in hours.
        ({"IdTokenValidity": 2}, 120),
        ({}, 60),
    ],
)
def test_token_lifetimes_compare_in_minutes_whatever_the_unit(description, minutes):
    view = tf.client_view(dict(description, ClientName="web"))
    assert view["id_token_validity_minutes"] == minutes


def test_a_client_as_declared_compares_equal_to_its_description():
    settings = tf.client_settings(params()["client"])
    request = tf.client_request("us-east-1_abc", settings)
    described = dict(request, ClientId="c1")
    assert tf.client_view(described) == settings


def test_a_pool_as_declared_compares_equal_to_its_description():
    declared = params(tags={"Application": "faith-chatbot"})
    request = tf.create_pool_request(declared, declared["tags"])
    described = {
        "Id": "us-east-1_abc",
        "Name": request["PoolName"],
        "Policies": request["Policies"],
        "AutoVerifiedAttributes": request["AutoVerifiedAttributes"],
        "DeletionProtection": request["DeletionProtection"],
        "UserPoolTags": request["UserPoolTags"],
    }
    assert tf.pool_view(described) == tf.desired_pool_view(declared, declared["tags"])


def test_issuer_is_the_regional_cognito_address():
    assert tf.issuer("eu-west-1", "eu-west-1_Ab12") == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12"
