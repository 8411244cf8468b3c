# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS STS calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

from ..base import aws_action


@aws_action("read the caller's identity")
def caller_identity(client):
    """Account, ARN and user id of the credentials in use (needs no permission)."""
    return client.get_caller_identity()
