# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serving_colour: the colour a load balancer's weights serve."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.faith.ops.plugins.filter.traffic import serving_colour


@pytest.mark.parametrize(("weights", "expected"), [
    ({"blue": 100, "green": 0}, "blue"),
    ({"blue": 0, "green": 100}, "green"),
    ({"blue": 90, "green": 10}, "blue"),
    ({"blue": "10", "green": "90"}, "green"),
    # Equal weights: the last listed, as a canary half-way to green.
    ({"blue": 50, "green": 50}, "green"),
    ({"green": 50, "blue": 50}, "blue"),
])
def test_the_colour_with_the_most_traffic_serves(weights, expected):
    assert serving_colour(weights) == expected


@pytest.mark.parametrize("weights", [None, {}])
def test_no_weights_give_the_default(weights):
    assert serving_colour(weights, default="blue") == "blue"


@pytest.mark.parametrize(("weights", "message"), [
    ({}, "no weights to choose from and no default"),
    (["blue", "green"], "expected weights as a mapping of colour to weight, got list"),
    ({"blue": "most", "green": 0}, "the weight of 'blue' is 'most', not a whole number"),
])
def test_bad_weights_name_the_problem(weights, message):
    with pytest.raises(AnsibleFilterError, match=message):
        serving_colour(weights)
