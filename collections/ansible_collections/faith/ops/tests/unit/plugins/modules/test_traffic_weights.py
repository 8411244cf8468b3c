# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""traffic_weights: which production weights are accepted, before any API call."""

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.modules.traffic_weights import validate_weights


@pytest.mark.parametrize(
    "weights, expected",
    [
        ({"blue": 90, "green": 10}, {"blue": 90, "green": 10}),
        ({"blue": 0, "green": 100}, {"blue": 0, "green": 100}),
        ({"blue": "50", "green": "50"}, {"blue": 50, "green": 50}),
    ],
    ids=["canary", "all-green", "strings-from-templates"],
)
def test_valid_weights_are_integers(weights, expected):
    assert validate_weights(weights) == expected


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"blue": 90, "green": 20}, "blue and green must each be 0-100 and sum to 100, got {'blue': 90, 'green': 20}"),
        ({"blue": 110, "green": -10}, "blue and green must each be 0-100 and sum to 100"),
        ({"blue": 90, "green": 10, "red": 0}, "blue and green must each be 0-100 and sum to 100"),
        ({"blue": 100}, "give integer blue and green weights, got {'blue': 100}"),
        ({"blue": "ninety", "green": 10}, "give integer blue and green weights"),
        ({"blue": None, "green": 100}, "give integer blue and green weights"),
    ],
    ids=["sum-not-100", "out-of-range", "unknown-colour", "missing-colour", "not-a-number", "null"],
)
def test_invalid_weights_are_refused_naming_the_option(weights, message):
    with pytest.raises(OptionError) as raised:
        validate_weights(weights)
    assert raised.value.option == "weights"
    assert message in str(raised.value)
