# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.faith.ops.plugins.filter.naming import resource_name
from ansible_collections.faith.ops.plugins.filter.naming import standard_tags


def test_resource_names_derive_from_app_and_environment():
    assert resource_name("vpc", "faith-chatbot", "production") == "faith-chatbot-production-vpc"
    assert resource_name("", "faith-chatbot", "local") == "faith-chatbot-local"


@pytest.mark.parametrize("env", ["Prod", "pro duction", "", None])
def test_unusable_environment_names_are_rejected(env):
    with pytest.raises(AnsibleFilterError, match="faith_env"):
        resource_name("vpc", "faith-chatbot", env)


def test_standard_tags():
    assert standard_tags("faith-chatbot", "local", colour="blue") == {
        "Application": "faith-chatbot", "Environment": "local", "ManagedBy": "faith.ops", "Colour": "blue",
    }
