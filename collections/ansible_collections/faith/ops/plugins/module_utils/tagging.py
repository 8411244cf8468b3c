# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tag handling shared by faith.ops modules: validation and the change set to apply."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from .validation import OptionError

# AWS limits for user tags on EC2, ELBv2, ECS, DynamoDB, CloudWatch and Backup resources.
MAX_TAGS = 50
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256


def validate_tags(tags, option="tags"):
    """Reject tag sets AWS would refuse (the emulator accepts them)."""
    if tags is None:
        return
    if len(tags) > MAX_TAGS:
        raise OptionError(option, f"{len(tags)} tags given; AWS allows at most {MAX_TAGS} per resource")
    for key, value in tags.items():
        if not key or len(key) > MAX_KEY_LENGTH:
            raise OptionError(option, f"tag key {key!r} must be 1 to {MAX_KEY_LENGTH} characters long")
        if key.lower().startswith("aws:"):
            raise OptionError(option, f"tag key {key!r} uses the reserved prefix 'aws:'")
        if value is not None and len(str(value)) > MAX_VALUE_LENGTH:
            raise OptionError(option, f"value of tag {key!r} is longer than {MAX_VALUE_LENGTH} characters")


def tag_changes(current, desired, purge):
    """Return ``(to_set, to_remove)`` turning ``current`` into ``desired``.

    ``desired=None`` means "leave tags alone"; keys starting with ``aws:`` are never purged,
    since AWS owns them.
    """
    if desired is None:
        return {}, []
    current = dict(current or {})
    desired = {key: str(value) for key, value in desired.items()}
    to_set, to_remove = compare_aws_tags(current, desired, purge_tags=purge)
    return to_set, [key for key in to_remove if not key.lower().startswith("aws:")]


def sync_tags(module, what, current, tag, untag):
    """Bring a resource's tags to the module's ``tags``/``purge_tags``; True when they differ.

    ``what`` names the resource in the recorded action; ``tag(to_set)`` and ``untag(keys)``
    make the calls and are skipped in check mode.
    """
    to_set, to_remove = tag_changes(current, module.params["tags"], module.params["purge_tags"])
    if not (to_set or to_remove):
        return False
    module.record(f"update tags of {what}: set {sorted(to_set)}, remove {sorted(to_remove)}")
    if module.check_mode:
        return True
    if to_remove:
        untag(to_remove)
    if to_set:
        tag(to_set)
    return True


def merged_tags(current, desired, purge):
    """The tags a resource ends up with once ``tag_changes`` has been applied."""
    to_set, to_remove = tag_changes(current, desired, purge)
    result = {key: value for key, value in (current or {}).items() if key not in to_remove}
    result.update(to_set)
    return result
