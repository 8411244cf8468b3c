# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one place resource names and standard tags are derived from the environment."""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

_NAME_PART = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def resource_name(component, app_name, env, separator="-"):
    """``'vpc' | faith.ops.resource_name(faith_app_name, faith_env)`` -> ``faith-chatbot-local-vpc``.

    An empty component gives the bare prefix (``faith-chatbot-local``). Parts are checked so
    a typo in an inventory fails here, not halfway through a deployment.
    """
    for label, part in (("faith_app_name", app_name), ("faith_env", env)):
        if not isinstance(part, str) or not _NAME_PART.match(part):
            raise AnsibleFilterError(
                f"{label}={part!r} is not usable in resource names: use lowercase letters, digits and '-'"
            )
    parts = [app_name, env] + ([str(component)] if component else [])
    return separator.join(parts)


def standard_tags(app_name, env, colour=None, extra=None):
    """The tags every taggable resource carries, plus ``Colour`` when it belongs to one."""
    tags = {"Application": app_name, "Environment": env, "ManagedBy": "faith.ops"}
    if colour:
        tags["Colour"] = colour
    tags.update(extra or {})
    return tags


class FilterModule:
    """faith.ops naming filters."""

    def filters(self):
        return {"resource_name": resource_name, "standard_tags": standard_tags}
