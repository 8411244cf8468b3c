#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dr_canary
short_description: Write one item of the disaster-recovery write canary
version_added: 0.3.0
description:
  - Writes a small item to the conversation table under a session id no person can have
    (C(faith-dr-canary)), with the time it was written as its range key in the app's timestamp
    form and a time to live, so the table always holds a recent write even when nobody chats.
  - Run on a schedule (every minute, for example from the same AWX schedule family as
    C(playbooks/dr_backup.yml)); the newest canary present in the DR region then bounds the measured
    recovery point to within one interval.
  - In check mode nothing is written.
author:
  - faith.ops maintainers (@faith-ops)
options:
  table:
    description: The conversation table (hash key C(session_id), range key C(created_at)).
    type: str
    required: true
  retention_hours:
    description: Hours each canary item lives before the table's time to live removes it.
    type: int
    default: 48
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Write the DR canary
  faith.ops.dr_canary:
    table: faith-chatbot-production-ConversationSessions
"""

RETURN = r"""
canary:
  description: The item written (in check mode, the one that would be).
  returned: always
  type: dict
  sample: {"session_id": "faith-dr-canary", "created_at": "2026-12-07T10:15:00.123456Z", "expires_at": 1765275300}
"""

import datetime

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.dr import api
from ansible_collections.faith.ops.plugins.module_utils.dr import transformations as dr
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def run(module):
    if not 1 <= module.params["retention_hours"] <= 24 * 35:
        raise OptionError("retention_hours", "must be 1-840 hours")
    now = datetime.datetime.now(datetime.timezone.utc)
    expires = int((now + datetime.timedelta(hours=module.params["retention_hours"])).timestamp())
    canary = {"session_id": dr.CANARY_SESSION_ID, "created_at": dr.timestamp(now), "expires_at": expires}
    module.record(f"write DR canary {canary['created_at']} to {module.params['table']}")
    if not module.check_mode:
        api.put_item(
            module.client("dynamodb"),
            module.params["table"],
            {
                "session_id": {"S": canary["session_id"]},
                "created_at": {"S": canary["created_at"]},
                "expires_at": {"N": str(expires)},
                "kind": {"S": "dr-canary"},
            },
        )
    return {"changed": True, "canary": canary}


def main():
    argument_spec = dict(table=dict(type="str", required=True), retention_hours=dict(type="int", default=48))
    module = FaithAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()
