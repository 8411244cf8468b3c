# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import declared_value
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import secret_view
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import validate_secret
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import value_matches
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

VALUE = "s3cr3t-value-never-shown"


def params(**overrides):
    base = dict(name="faith-chatbot-test/config", description="", kms_key_id=None, secret=None, json_secret=None, recovery_window_days=30)
    base.update(overrides)
    return base


def test_json_values_are_serialised_canonically():
    assert declared_value(params(json_secret={"b": 1, "a": "x"})) == '{"a":"x","b":1}'
    assert declared_value(params(json_secret='{"b": 1, "a": "x"}')) == '{"a":"x","b":1}'
    assert declared_value(params(secret=VALUE)) == VALUE
    assert declared_value(params()) is None


def test_invalid_json_names_the_option_without_echoing_the_value():
    with pytest.raises(OptionError) as raised:
        declared_value(params(json_secret='{"token": "' + VALUE))
    assert raised.value.option == "json_secret"
    assert VALUE not in str(raised.value)


def test_value_comparison():
    assert value_matches(VALUE, VALUE)
    assert not value_matches(VALUE, VALUE + "x")
    # A JSON document stored with other spacing or key order is the same value.
    assert value_matches('{"b": 1, "a": "x"}', '{"a":"x","b":1}')
    assert not value_matches('{"a": "y"}', '{"a":"x"}')
    assert not value_matches(None, VALUE)
    assert value_matches(None, None)


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"name": "with space"}, "name"),
        ({"name": "faith-chatbot-test/config-AbCdEf"}, "name"),
        ({"description": "d" * 2049}, "description"),
        ({"kms_key_id": "not a key"}, "kms_key_id"),
        ({"recovery_window_days": 3}, "recovery_window_days"),
        ({"recovery_window_days": 31}, "recovery_window_days"),
        ({"secret": "x" * 65537}, "secret"),
    ],
)
def test_invalid_secrets_name_the_option(overrides, option):
    values = params(**overrides)
    with pytest.raises(OptionError) as raised:
        validate_secret(values, declared_value(values))
    assert raised.value.option == option
    assert "x" * 100 not in str(raised.value)


@pytest.mark.parametrize("overrides", [{"recovery_window_days": 0}, {"kms_key_id": "alias/app"}, {"kms_key_id": "(known after apply)"}])
def test_valid_secrets(overrides):
    validate_secret(params(**overrides), None)


def test_view_never_holds_the_value():
    view = secret_view({"Name": "n", "Description": "d", "KmsKeyId": None, "SecretString": VALUE}, {"k": "v"}, "(hidden; matches)")
    assert view == {"name": "n", "description": "d", "kms_key_id": None, "tags": {"k": "v"}, "value": "(hidden; matches)"}
