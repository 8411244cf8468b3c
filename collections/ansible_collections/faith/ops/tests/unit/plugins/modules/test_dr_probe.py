# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dr_probe: when a recovery counts as done (consecutive healthy rounds from the expected region)."""

from __future__ import annotations

from ansible_collections.faith.ops.plugins.modules.dr_probe import wait_healthy


class Script:
    """Answers of successive rounds, and a clock that advances one second per round."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.now = 0.0

    def check(self):
        return self.answers.pop(0)

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += 1.0


def test_a_failure_or_an_answer_from_the_primary_starts_the_count_again():
    ok, primary, down = (True, "us-west-2", None), (True, "us-east-1", None), (False, None, "HTTP Error 503")
    script = Script([down, ok, ok, primary, ok, down, ok, ok, ok])
    done, rounds = wait_healthy(script.check, "us-west-2", 3, 60, 0.5, script.clock, script.sleep)
    assert done is True
    assert rounds == {"sent": 9, "failures": 3, "last_failure": "HTTP Error 503"}


def test_never_healthy_enough_times_out_with_the_last_failure():
    script = Script([(True, "us-east-1", None)] * 10)
    done, rounds = wait_healthy(script.check, "us-west-2", 2, 5, 0.5, script.clock, script.sleep)
    assert done is False
    assert rounds["sent"] == 5
    assert rounds["last_failure"] == "answered from region 'us-east-1', not us-west-2"
