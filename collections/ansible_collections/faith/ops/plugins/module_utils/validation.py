# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input validation shared by faith.ops modules.

The emulator accepts values AWS rejects (CIDR containment, name lengths, weight sums...),
so every rule AWS enforces on values is checked here, before the first API call.
"""

from __future__ import annotations


class OptionError(ValueError):
    """A module option (or an element of one) holds a value AWS would reject.

    ``option`` is the dotted path of the offending option, e.g. ``subnets.private[1].cidr``,
    so the message can name exactly what to fix.
    """

    def __init__(self, option, message):
        self.option = option
        super().__init__(f"{option}: {message}")
