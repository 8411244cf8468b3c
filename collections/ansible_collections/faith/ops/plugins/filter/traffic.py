# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which release colour a load balancer's weights serve: one rule for every role that asks."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError


def serving_colour(weights, default=None):
    """``{'blue': 0, 'green': 100} | faith.ops.serving_colour`` -> ``green``.

    The colour with the highest weight; between equal weights, the one listed last (a 50/50
    split reads as the colour a canary was moving to). No weights give ``default``.
    """
    if weights is None or (isinstance(weights, Mapping) and not weights):
        if default is None:
            raise AnsibleFilterError("serving_colour: there are no weights to choose from and no default colour was given")
        return default
    if not isinstance(weights, Mapping):
        raise AnsibleFilterError(f"serving_colour: expected weights as a mapping of colour to weight, got {type(weights).__name__}")
    chosen, highest = None, None
    for colour, weight in weights.items():
        try:
            weight = int(weight)
        except (TypeError, ValueError):
            raise AnsibleFilterError(f"serving_colour: the weight of {colour!r} is {weight!r}, not a whole number") from None
        if highest is None or weight >= highest:
            chosen, highest = colour, weight
    return chosen


class FilterModule:
    """faith.ops traffic filters."""

    def filters(self):
        return {"serving_colour": serving_colour}
