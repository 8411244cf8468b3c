# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Clients of FaithAWSModule: built as amazon.aws builds them, on one data loader per interpreter."""

from __future__ import annotations

import botocore.loaders
import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.faith.ops.plugins.module_utils import base

CONNECTION = {"region": "eu-west-1", "endpoint_url": "http://127.0.0.1:9", "access_key": "AKIDEXAMPLE", "secret_key": "not-a-secret"}


@pytest.fixture
def module(monkeypatch):
    monkeypatch.setattr(base, "_loaders", {})
    with patch_module_args(dict(CONNECTION, name="x")):
        return base.FaithAWSModule(argument_spec={"name": {"type": "str", "required": True}})


def test_every_client_of_the_interpreter_parses_a_service_model_once(module, monkeypatch):
    parsed = []
    original = botocore.loaders.JSONFileLoader.load_file

    def counting(self, file_path):
        parsed.append(file_path)
        return original(self, file_path)

    monkeypatch.setattr(botocore.loaders.JSONFileLoader, "load_file", counting)
    first = module.client("logs")
    after_first = len(parsed)
    second = module.client("logs")
    assert after_first > 0
    assert len(parsed) == after_first, parsed[after_first:]
    assert first is not second
    assert first.meta.region_name == second.meta.region_name == "eu-west-1"
    assert first.meta.endpoint_url == "http://127.0.0.1:9"


def test_a_client_may_name_another_region_as_with_amazon_aws(module):
    assert module.client("dynamodb", region="us-west-2").meta.region_name == "us-west-2"
    assert module.client("dynamodb").meta.region_name == "eu-west-1"


def test_the_shared_loader_search_path_does_not_grow_with_each_client(module):
    module.client("sqs")
    loader = base.sdk_data_loader(None)
    before = list(loader.search_paths)
    for _attempt in range(5):
        module.client("sqs")
    assert loader.search_paths == before
    assert len(before) == len(set(before))


def test_credentials_and_user_agent_are_the_modules(module):
    client = module.client("sts")
    credentials = client._request_signer._credentials  # pylint: disable=protected-access
    assert credentials.access_key == "AKIDEXAMPLE"
    assert "amazon.aws" in client.meta.config.user_agent or "Ansible" in client.meta.config.user_agent
