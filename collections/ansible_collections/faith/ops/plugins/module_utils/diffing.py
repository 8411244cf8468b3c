# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Normalisation of resource descriptions, so desired and current state compare truthfully."""

from __future__ import annotations

import copy


def normalise(value, drop_keys=(), sort_lists=True):
    """Return a copy of ``value`` without empty values and ``drop_keys``, lists sorted.

    AWS fills in defaults and read-only fields (ids, ARNs, timestamps, states) that a
    desired description never states; dropping them and the empty values, and sorting
    lists whose order AWS does not preserve, leaves only what the caller controls.
    """
    drop = set(drop_keys)
    if isinstance(value, dict):
        cleaned = {}
        for key in sorted(value):
            if key in drop:
                continue
            item = normalise(value[key], drop_keys, sort_lists)
            if item in (None, {}, []):
                continue
            cleaned[key] = item
        return cleaned
    if isinstance(value, (list, tuple)):
        items = [normalise(item, drop_keys, sort_lists) for item in value]
        items = [item for item in items if item not in (None, {}, [])]
        if sort_lists:
            items.sort(key=_sort_key)
        return items
    return copy.deepcopy(value)


def _sort_key(item):
    # Lists may mix dicts and scalars; a canonical string keeps the sort total and stable.
    if isinstance(item, dict):
        return "0" + repr(sorted(item.items(), key=lambda kv: kv[0]))
    return "1" + repr(item)


def resource_diff(before, after):
    """The ``diff`` value Ansible expects for a before/after pair of normalised descriptions."""
    return {"before": before if before is not None else {}, "after": after if after is not None else {}}
