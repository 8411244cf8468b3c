# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.logs.transformations import desired_view
from ansible_collections.faith.ops.plugins.module_utils.logs.transformations import log_group_view
from ansible_collections.faith.ops.plugins.module_utils.logs.transformations import validate_log_group
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def params(**overrides):
    base = dict(name="/ecs/faith-chatbot-test", retention_days=30, kms_key_id=None, tags=None)
    base.update(overrides)
    return base


@pytest.mark.parametrize("overrides", [{}, {"retention_days": None}, {"kms_key_id": KEY}, {"kms_key_id": "(known after apply)"}])
def test_valid_log_groups(overrides):
    validate_log_group(params(**overrides))


@pytest.mark.parametrize(
    "overrides, option, words",
    [
        ({"name": ""}, "name", "1 to 512"),
        ({"name": "/ecs/with space"}, "name", "1 to 512"),
        ({"retention_days": 10}, "retention_days", "3653"),
        ({"retention_days": 0}, "retention_days", "choose one of"),
        ({"kms_key_id": "alias/logs"}, "kms_key_id", "key ARN"),
    ],
)
def test_invalid_log_groups_name_the_option(overrides, option, words):
    with pytest.raises(OptionError) as raised:
        validate_log_group(params(**overrides))
    assert raised.value.option == option
    assert words in str(raised.value)


def test_views_compare_equal_when_converged():
    group = {"logGroupName": "/ecs/x", "retentionInDays": 30, "arn": "arn:...:*", "storedBytes": 12, "creationTime": 1}
    assert log_group_view(group, {"a": "b"}) == desired_view(params(name="/ecs/x"), {"a": "b"})
    assert log_group_view({"logGroupName": "/ecs/x"}, {})["retention_days"] is None
    assert log_group_view(None, {}) == {}
