# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The release record's transitions: what each one writes and what each one refuses."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.faith.ops.plugins.module_utils.operations import record as records
from ansible_collections.faith.ops.plugins.module_utils.operations.record import RecordError

# 2026-12-06T21:00:00Z
T0 = 1796590800.0
BLUE = {"version": "1.4.0", "app_environment": {}, "environment": {"FAITH_ENV": "production"},
        "task_definition": "faith:41", "desired_count": 2, "state": "serving"}
GREEN = {"version": "1.3.0", "app_environment": {}, "environment": {"FAITH_ENV": "production"},
         "task_definition": "faith:40", "desired_count": 0, "state": "idle"}


def serving_record():
    return records.initialise(None, "production", "blue", {"blue": dict(BLUE), "green": dict(GREEN)})


def canary(release_id="r-1", version="1.5.0"):
    return {"id": release_id, "version": version, "strategy": "canary", "target_colour": "green",
            "stable_colour": "blue", "steps": [10, 50, 100], "started_by": "ops@bastion",
            "weights": {"blue": 100, "green": 0}}


def in_progress(release_id="r-1", version="1.5.0"):
    return records.begin(serving_record(), canary(release_id, version), now=T0)


def history_entry(index):
    return {"id": f"old-{index}", "version": "1.0.0", "outcome": "succeeded", "reason": "promoted"}


# --- initialise -----------------------------------------------------------------------------


def test_initialise_creates_the_record_of_a_new_environment():
    record = serving_record()
    assert record == {"environment": "production", "active_colour": "blue",
                      "colours": {"blue": BLUE, "green": GREEN}, "release": None,
                      "previous_good": None, "history": []}


def test_initialise_leaves_an_existing_record_alone():
    existing = in_progress()
    assert records.initialise(existing, "production", "green", {"green": {"version": "9.9.9"}}) is existing


def test_initialise_restarts_a_retired_record_keeping_its_history():
    retired = records.retire(serving_record(), "teardown.yml", now=T0)
    record = records.initialise(retired, "production", "green", {"green": {"version": "2.0.0"}})
    assert record["active_colour"] == "green"
    assert record["colours"] == {"green": {"version": "2.0.0"}}
    assert [entry["strategy"] for entry in record["history"]] == ["teardown"]
    assert record["history"] == retired["history"]


def test_initialise_refuses_an_unknown_colour_field():
    with pytest.raises(RecordError) as raised:
        records.initialise(None, "production", "blue", {"blue": {"version": "1.0.0", "image": "x"}})
    assert str(raised.value).startswith("colours.blue: unknown field(s) ['image']; valid: ['version'")


# --- begin ------------------------------------------------------------------------------------


def test_begin_starts_the_release_at_step_zero():
    record = in_progress()
    assert record["release"] == dict(canary(), phase="progressing", step=0, started="2026-12-06T21:00:00Z",
                                     started_at=T0, promote_requested=False)
    assert record["active_colour"] == "blue"


def test_begin_does_not_touch_the_record_it_was_given():
    before = serving_record()
    snapshot = copy.deepcopy(before)
    records.begin(before, canary(), now=T0)
    assert before == snapshot


def test_begin_without_a_record_says_to_deploy_first():
    with pytest.raises(RecordError, match="no release record yet: run deploy.yml first"):
        records.begin(None, canary(), now=T0)


def test_begin_is_refused_while_another_release_is_in_progress_naming_it():
    with pytest.raises(RecordError) as raised:
        records.begin(in_progress(), canary("r-2", "1.6.0"), now=T0 + 60)
    assert str(raised.value) == (
        "another release is in progress: release r-1 of version 1.5.0 (canary, progressing, step 0/3, "
        "weights blue 100/green 0) started 2026-12-06T21:00:00Z by ops@bastion; "
        "wait for it, or end it with release_abort.yml / release_promote.yml"
    )


# --- progress ---------------------------------------------------------------------------------


def test_progress_moves_step_weights_phase_and_colours():
    record = records.progress(in_progress(), "r-1", step=1, weights={"blue": 90, "green": 10}, phase="baking",
                              colours={"green": {"version": "1.5.0", "task_definition": "faith:42"}},
                              note="baking 10 %", revision="faith:42")
    release = record["release"]
    assert (release["step"], release["weights"], release["phase"], release["note"], release["revision"]) == (
        1, {"blue": 90, "green": 10}, "baking", "baking 10 %", "faith:42")
    assert record["colours"]["green"] == dict(GREEN, version="1.5.0", task_definition="faith:42")
    assert record["colours"]["blue"] == BLUE


def test_progress_leaves_unset_fields_as_they_were():
    record = records.progress(in_progress(), "r-1", phase="paused")
    assert record["release"]["step"] == 0
    assert record["release"]["weights"] == {"blue": 100, "green": 0}
    assert "note" not in record["release"]


def test_progress_refuses_an_unknown_phase():
    with pytest.raises(RecordError, match=r"phase must be one of \['progressing'"):
        records.progress(in_progress(), "r-1", phase="done")


def test_progress_on_a_release_that_ended_says_how_it_ended():
    ended = records.finish(in_progress(), "r-1", "failed", "5xx rate 0.310 above 0.05", now=T0 + 120)
    with pytest.raises(RecordError) as raised:
        records.progress(ended, "r-1", step=2)
    assert str(raised.value) == "release r-1 is no longer in progress: it ended as failed (5xx rate 0.310 above 0.05)"


def test_progress_on_an_unknown_release_says_it_is_not_in_the_record():
    with pytest.raises(RecordError, match="release r-9 is no longer in progress: it is not in the record"):
        records.progress(in_progress(), "r-9", step=1)


def test_progress_refuses_an_unknown_colour_field():
    with pytest.raises(RecordError, match=r"colours.green: unknown field\(s\) \['weight'\]"):
        records.progress(in_progress(), "r-1", colours={"green": {"weight": 10}})


# --- promote ----------------------------------------------------------------------------------


def test_promote_marks_the_release_in_progress():
    record = records.request_promote(in_progress())
    assert record["release"]["promote_requested"] is True


def test_promote_without_a_release_is_refused():
    with pytest.raises(RecordError, match="no release is in progress: nothing to promote"):
        records.request_promote(serving_record())


# --- finish -----------------------------------------------------------------------------------


def test_a_successful_release_moves_traffic_and_remembers_the_previous_good():
    record = records.finish(in_progress(), "r-1", "succeeded", "analysis passed", active_colour="green",
                            colours={"green": {"version": "1.5.0", "task_definition": "faith:42"}}, now=T0 + 900)
    assert record["release"] is None
    assert record["active_colour"] == "green"
    assert record["previous_good"] == {"colour": "blue", "version": "1.4.0", "app_environment": {},
                                       "environment": {"FAITH_ENV": "production"}, "task_definition": "faith:41"}
    assert record["history"] == [{
        "id": "r-1", "version": "1.5.0", "strategy": "canary", "started": "2026-12-06T21:00:00Z",
        "started_by": "ops@bastion", "outcome": "succeeded", "reason": "analysis passed",
        "finished": "2026-12-06T21:15:00Z", "duration_seconds": 900.0, "from_version": "1.4.0",
        "active_colour": "green", "active_version": "1.5.0",
    }]


def rolling_in_progress():
    """A rolling release of 1.5.0 on blue, which has already put the new version on blue itself."""
    release = dict(canary(), strategy="rolling", target_colour="blue", steps=[100], stable=dict(BLUE))
    started = records.begin(serving_record(), release, now=T0)
    return records.progress(started, "r-1", step=1, phase="baking",
                            colours={"blue": {"version": "1.5.0", "task_definition": "faith:42"}})


def test_a_successful_rolling_release_remembers_what_served_before_it_as_the_previous_good():
    record = records.finish(rolling_in_progress(), "r-1", "succeeded", "smoke tests passed", active_colour="blue", now=T0 + 60)
    assert record["previous_good"] == {"colour": "blue", "version": "1.4.0", "app_environment": {},
                                       "environment": {"FAITH_ENV": "production"}, "task_definition": "faith:41"}
    entry = record["history"][0]
    assert (entry["from_version"], entry["active_version"]) == ("1.4.0", "1.5.0")


def test_a_failed_rolling_release_names_the_version_it_came_from():
    reverted = records.progress(rolling_in_progress(), "r-1", phase="rolling_back", colours={"blue": dict(BLUE)})
    record = records.finish(reverted, "r-1", "failed", "not ready", active_colour="blue", now=T0 + 60)
    assert record["previous_good"] is None
    assert (record["history"][0]["from_version"], record["history"][0]["active_version"]) == ("1.4.0", "1.4.0")


def test_a_success_that_changed_nothing_active_keeps_the_previous_good():
    start = in_progress()
    start["previous_good"] = {"colour": "green", "version": "1.3.0"}
    record = records.finish(start, "r-1", "succeeded", "nothing to do", now=T0 + 5)
    assert record["previous_good"] == {"colour": "green", "version": "1.3.0"}
    assert record["history"][0]["outcome"] == "succeeded"
    assert record["history"][0]["active_version"] == "1.4.0"


@pytest.mark.parametrize("outcome", ["failed", "aborted", "rolled_back"])
def test_an_unsuccessful_release_keeps_stable_active_and_no_previous_good(outcome):
    record = records.finish(in_progress(), "r-1", outcome, "p95 latency 900 ms above 500 ms", active_colour="blue",
                            colours={"green": {"desired_count": 0}}, now=T0 + 30)
    assert record["release"] is None
    assert record["active_colour"] == "blue"
    assert record["previous_good"] is None
    assert record["colours"]["green"]["desired_count"] == 0
    entry = record["history"][0]
    assert (entry["outcome"], entry["reason"], entry["from_version"], entry["active_version"], entry["duration_seconds"]) == (
        outcome, "p95 latency 900 ms above 500 ms", "1.4.0", "1.4.0", 30.0)


def test_finish_refuses_an_unknown_outcome():
    with pytest.raises(RecordError, match=r"outcome must be one of \['succeeded', 'failed', 'aborted', 'rolled_back'\], got 'done'"):
        records.finish(in_progress(), "r-1", "done", "why")


def test_finish_twice_is_refused_naming_the_first_end():
    ended = records.finish(in_progress(), "r-1", "aborted", "release_abort.yml", now=T0 + 1)
    with pytest.raises(RecordError, match=r"it ended as aborted \(release_abort.yml\)"):
        records.finish(ended, "r-1", "succeeded", "late", now=T0 + 2)


def test_history_is_capped_newest_first():
    start = in_progress()
    start["history"] = [history_entry(index) for index in range(records.HISTORY_LIMIT)]
    record = records.finish(start, "r-1", "aborted", "stopped", now=T0 + 1)
    assert len(record["history"]) == records.HISTORY_LIMIT
    assert record["history"][0]["id"] == "r-1"
    assert record["history"][-1]["id"] == f"old-{records.HISTORY_LIMIT - 2}"


# --- rollback ---------------------------------------------------------------------------------


def test_rolled_back_serves_the_previous_good_and_records_why():
    released = records.finish(in_progress(), "r-1", "succeeded", "analysis passed", active_colour="green",
                              colours={"green": {"version": "1.5.0", "task_definition": "faith:42"}}, now=T0 + 900)
    record = records.rolled_back(released, "rb-1", "blue", {"blue": {"desired_count": 2}}, "errors after release",
                                 "ops@laptop", now=T0 + 1800)
    assert record["active_colour"] == "blue"
    assert record["previous_good"]["colour"] == "green"
    assert record["previous_good"]["version"] == "1.5.0"
    assert record["history"][0] == {
        "id": "rb-1", "version": "1.4.0", "strategy": "rollback", "started": "2026-12-06T21:30:00Z",
        "started_by": "ops@laptop", "outcome": "rolled_back", "reason": "errors after release",
        "finished": "2026-12-06T21:30:00Z", "from_version": "1.5.0", "active_colour": "blue", "active_version": "1.4.0",
    }
    assert len(record["history"]) == 2


def test_rolled_back_is_refused_during_a_release_naming_it():
    with pytest.raises(RecordError) as raised:
        records.rolled_back(in_progress(), "rb-1", "green", {}, "why", "ops@laptop", now=T0)
    assert str(raised.value).startswith("a release is in progress: release r-1 of version 1.5.0 (canary")
    assert str(raised.value).endswith("end it with release_abort.yml (which returns all traffic to the stable colour)")


# --- colours, settings, retire -----------------------------------------------------------------


def test_update_colours_merges_fields_per_colour():
    record = records.update_colours(serving_record(), {"green": {"desired_count": 0, "warm_until": "2026-12-07T00:00:00Z"}})
    assert record["colours"]["green"] == dict(GREEN, desired_count=0, warm_until="2026-12-07T00:00:00Z")
    assert record["colours"]["blue"] == BLUE


def test_update_settings_sets_record_wide_fields():
    record = records.update_settings(serving_record(), {"image_repository": "faith-motivator",
                                                        "declared_app_environment": {"FAITH_RESPONDER": "local"}})
    assert record["image_repository"] == "faith-motivator"
    assert record["declared_app_environment"] == {"FAITH_RESPONDER": "local"}


def test_update_settings_rejects_unknown_fields():
    with pytest.raises(RecordError) as raised:
        records.update_settings(serving_record(), {"image_repository": "x", "active_colour": "green"})
    assert str(raised.value) == ("settings: unknown field(s) ['active_colour']; valid: "
                                 "['declared_app_environment', 'latest_app_environment', 'image_repository']")


def test_retire_keeps_the_history_and_nothing_serves():
    released = records.finish(in_progress(), "r-1", "succeeded", "ok", active_colour="green",
                              colours={"green": {"version": "1.5.0"}}, now=T0 + 10)
    record = records.retire(released, "teardown.yml", now=T0 + 3600)
    assert record["active_colour"] is None
    assert record["colours"] == {}
    assert record["release"] is None
    assert record["history"][0] == {
        "id": f"teardown-{int(T0 + 3600)}", "version": None, "strategy": "teardown", "started": "2026-12-06T22:00:00Z",
        "outcome": "succeeded", "reason": "teardown.yml", "finished": "2026-12-06T22:00:00Z", "from_version": "1.5.0",
    }
    assert record["history"][1]["id"] == "r-1"


def test_retire_during_a_release_aborts_it_and_names_it():
    record = records.retire(in_progress(), "teardown.yml", now=T0 + 60)
    entry = record["history"][0]
    assert entry["outcome"] == "aborted"
    assert entry["reason"].startswith("teardown.yml; release r-1 of version 1.5.0 (canary")
    assert entry["reason"].endswith("ended with it")


@pytest.mark.parametrize("body", [None, records.empty_record("production")], ids=["missing", "retired"])
def test_retire_of_nothing_changes_nothing(body):
    assert records.retire(body, "teardown.yml", now=T0) == body


@pytest.mark.parametrize("body", [None, records.empty_record("production")], ids=["missing", "retired"])
def test_rolled_back_without_a_serving_record_is_refused(body):
    with pytest.raises(RecordError, match="no release record yet: there is nothing to roll back to"):
        records.rolled_back(body, "rb-1", "blue", {}, "why", "ops@laptop", now=T0)
