# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.diffing import normalise
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def test_normalise_drops_empty_values_and_named_keys_and_sorts_lists():
    described = {"Name": "x", "Arn": "arn:aws:...", "Rules": [{"b": 2}, {"a": 1}], "Empty": [], "Nothing": None}
    assert normalise(described, drop_keys=["Arn"]) == {"Name": "x", "Rules": [{"a": 1}, {"b": 2}]}


def test_tag_changes_purges_only_when_asked_and_never_aws_tags():
    current = {"keep": "1", "old": "2", "aws:cloudformation:stack-name": "s"}
    assert tag_changes(current, {"keep": "1", "new": 3}, purge=True) == ({"new": "3"}, ["old"])
    assert tag_changes(current, {"keep": "1"}, purge=False) == ({}, [])
    assert tag_changes(current, None, purge=True) == ({}, [])
    assert merged_tags(current, {"new": "3"}, purge=False) == dict(current, new="3")


@pytest.mark.parametrize(
    "tags, fragment",
    [
        ({f"k{i}": "v" for i in range(51)}, "at most 50"),
        ({"aws:name": "x"}, "reserved prefix"),
        ({"k" * 129: "v"}, "1 to 128"),
        ({"k": "v" * 257}, "longer than 256"),
    ],
)
def test_tag_limits_the_emulator_does_not_enforce(tags, fragment):
    with pytest.raises(OptionError) as raised:
        validate_tags(tags)
    assert raised.value.option == "tags"
    assert fragment in str(raised.value)
