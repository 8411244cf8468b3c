#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dr_probe
short_description: Wait until the public edge answers chats from the expected region, consecutively
version_added: 0.3.0
description:
  - Sends a chat (C(POST /v1/chat)) and asks which build answers (C(GET /version)) through the
    public URL, again and again, until O(consecutive) rounds in a row both succeeded and were
    answered from O(region). That moment ends a recovery; the measured recovery time runs
    from O(started_at) to it.
  - Reads and chats only; runs the same way in check mode (it changes nothing).
author:
  - faith.ops maintainers (@faith-ops)
options:
  url:
    description: Base URL of the public edge (the ALB or Route 53 name; locally HAProxy).
    type: str
    required: true
  region:
    description: Region the answers must come from (C(region) of C(/version)).
    type: str
    required: true
  consecutive:
    description: Successful rounds in a row that count as healthy (1-50).
    type: int
    default: 5
  timeout:
    description: Seconds to keep trying before failing.
    type: int
    default: 300
  interval:
    description: Seconds between rounds.
    type: float
    default: 0.5
  started_at:
    description: Epoch seconds the recovery started (the measured time is counted from it). Defaults to when the probe starts.
    type: float
  chat_message:
    description: The chat message sent.
    type: str
    default: DR probe - I need some hope today
"""

EXAMPLES = r"""
- name: Wait for five healthy chats in a row from the DR region
  faith.ops.dr_probe:
    url: https://chat.example.org
    region: us-west-2
    started_at: "{{ dr_started_epoch }}"
"""

RETURN = r"""
healthy_at:
  description: Epoch seconds of the last of the consecutive healthy rounds.
  returned: success
  type: float
elapsed_seconds:
  description: Seconds from O(started_at) to RV(healthy_at).
  returned: success
  type: float
rounds:
  description: Rounds sent, failures among them, and the last failure seen.
  returned: always
  type: dict
"""

import json
import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.urls import open_url


def round_trip(base, message):
    """One chat and one version request; returns (healthy, region, error)."""
    body = json.dumps({"message": message}).encode()
    try:
        chat = open_url(f"{base}/v1/chat", data=body, method="POST", headers={"Content-Type": "application/json"}, timeout=10)
        if chat.status != 200:
            return False, None, f"chat answered HTTP {chat.status}"
        version = json.loads(open_url(f"{base}/version", timeout=10).read())
    except Exception as error:  # pylint: disable=broad-exception-caught  # any failure is an unhealthy round
        return False, None, str(error)
    return True, version.get("region"), None


def wait_healthy(check, region, consecutive, timeout, interval, clock=time.monotonic, sleep=time.sleep):
    """Call ``check()`` -> (healthy, region, error) until ``consecutive`` rounds in a row are healthy from ``region``.

    Returns ``(done, rounds)``; any failed round or an answer from another region starts the count again.
    """
    deadline = clock() + timeout
    streak = sent = failures = 0
    last_failure = None
    while clock() < deadline:
        sent += 1
        healthy, answered_from, error = check()
        if healthy and answered_from == region:
            streak += 1
            if streak >= consecutive:
                return True, {"sent": sent, "failures": failures, "last_failure": last_failure}
        else:
            streak = 0
            failures += 1
            last_failure = error or f"answered from region {answered_from!r}, not {region}"
        sleep(interval)
    return False, {"sent": sent, "failures": failures, "last_failure": last_failure}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            url=dict(type="str", required=True),
            region=dict(type="str", required=True),
            consecutive=dict(type="int", default=5),
            timeout=dict(type="int", default=300),
            interval=dict(type="float", default=0.5),
            started_at=dict(type="float"),
            chat_message=dict(type="str", default="DR probe - I need some hope today"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if not 1 <= params["consecutive"] <= 50:
        module.fail_json(msg="consecutive: must be 1-50", option="consecutive")
    started = params["started_at"] or time.time()
    base = params["url"].rstrip("/")
    done, rounds = wait_healthy(
        lambda: round_trip(base, params["chat_message"]), params["region"], params["consecutive"], params["timeout"], params["interval"]
    )
    if done:
        now = time.time()
        module.exit_json(changed=False, healthy_at=now, elapsed_seconds=round(now - started, 3), rounds=rounds)
    module.fail_json(
        msg=f"{base} did not answer {params['consecutive']} chats in a row from {params['region']} within "
        f"{params['timeout']}s; last failure: {rounds['last_failure']}",
        rounds=rounds,
    )


if __name__ == "__main__":
    main()
