# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Planning in check mode: ids that only exist once an earlier step has really run.

In check mode on an empty account, a module that would create a resource cannot return its
id (an ARN, a URL, a key id). It returns :data:`UNKNOWN` instead, as Terraform's plan shows
"(known after apply)", and a later module that takes that id as an option accepts the
placeholder in check mode (and reports the change it would make) but never sends it to AWS.
Outside check mode the placeholder is a mistake, and is refused naming the option.
"""

from __future__ import annotations

from .validation import OptionError

UNKNOWN = "(known after apply)"


def is_unknown(value):
    """True when ``value`` is (or, for a string, contains) the check-mode placeholder."""
    return isinstance(value, str) and UNKNOWN in value


def check_placeholder(value, option, check_mode):
    """Refuse the placeholder outside check mode; return whether ``value`` is one.

    ``option`` names the option (dotted path) in the error, so the operator knows which
    input came from a plan rather than from a created resource.
    """
    if not is_unknown(value):
        return False
    if not check_mode:
        raise OptionError(
            option,
            f"is {UNKNOWN!r}, a placeholder check mode uses for an id that does not exist yet; "
            "run the step that creates that resource for real first, or pass its real id",
        )
    return True


def placeholder_paths(value, option):
    """Option paths (``alarms[0].dimensions.LoadBalancer``) at which ``value`` holds the placeholder."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from placeholder_paths(item, f"{option}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from placeholder_paths(item, f"{option}[{index}]")
    elif is_unknown(value):
        yield option


def check_placeholders(params, options, check_mode):
    """:func:`check_placeholder` on every value nested in ``params[option]`` for ``options``.

    Returns whether any placeholder was found (only possible in check mode).
    """
    found = False
    for option in options:
        for path in placeholder_paths(params.get(option), option):
            found |= check_placeholder(UNKNOWN, path, check_mode)
    return found
