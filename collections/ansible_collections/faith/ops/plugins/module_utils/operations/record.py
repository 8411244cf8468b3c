# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The release record of one environment: its shape and every transition, as pure functions.

The record is the release's state machine. It says which colour serves, what each colour runs
(version, app settings, task definition, task count), the release in progress (strategy, step,
weights, phase, start) and the history with each outcome and reason. The module writes each
transition with compare-and-set on the item's revision, so two controllers can never both move
one release forward, and a controller killed at any point leaves a record from which the
release is resumed or aborted.
"""

from __future__ import annotations

import copy
import time

RECORD_KEY = "release"
HISTORY_LIMIT = 50
OUTCOMES = ("succeeded", "failed", "aborted", "rolled_back")
PHASES = ("progressing", "baking", "paused", "promoting", "rolling_back")
# ``environment`` is the app container's whole environment on the colour's revision (the declared
# settings as they were when the colour got it, plus ``app_environment``, the release's own).
COLOUR_FIELDS = ("version", "app_environment", "environment", "task_definition", "desired_count", "state", "warm_until")
# Record-wide settings: the app settings the stack declares, the settings of the task definition
# family's latest revision (which a deployment must keep), and where images come from.
SETTINGS_FIELDS = ("declared_app_environment", "latest_app_environment", "image_repository")


class RecordError(Exception):
    """A transition the record does not allow; the message says why and what to do."""


def _stamp(now):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))


def describe_release(release):
    """One line naming a release in progress, for messages."""
    weights = release.get("weights") or {}
    return (
        f"release {release['id']} of version {release['version']} ({release['strategy']}, "
        f"{release['phase']}, step {release['step']}/{len(release.get('steps') or [])}, "
        f"weights blue {weights.get('blue', '?')}/green {weights.get('green', '?')}) "
        f"started {release['started']} by {release['started_by']}"
    )


def empty_record(environment):
    return {"environment": environment, "active_colour": None, "colours": {}, "release": None,
            "previous_good": None, "history": []}


def _merge_colours(colours, patch):
    merged = copy.deepcopy(colours)
    for colour, fields in (patch or {}).items():
        unknown = set(fields) - set(COLOUR_FIELDS)
        if unknown:
            raise RecordError(f"colours.{colour}: unknown field(s) {sorted(unknown)}; valid: {list(COLOUR_FIELDS)}")
        merged.setdefault(colour, {}).update(fields)
    return merged


def initialise(body, environment, active_colour, colours):
    """The record of a new environment; an existing record is returned unchanged.

    A record retired by a teardown starts again, keeping its history.
    """
    if body and body.get("active_colour"):
        return body
    record = empty_record(environment)
    record["history"] = list((body or {}).get("history", []))
    record["active_colour"] = active_colour
    record["colours"] = _merge_colours({}, colours)
    return record


def begin(body, release, now=None):
    """Start ``release``; refused while another release is in progress."""
    now = time.time() if now is None else now
    if not body or not body.get("active_colour"):
        raise RecordError("the environment has no release record yet: run deploy.yml first, which creates it")
    if body.get("release"):
        raise RecordError(f"another release is in progress: {describe_release(body['release'])}; "
                          "wait for it, or end it with release_abort.yml / release_promote.yml")
    record = copy.deepcopy(body)
    record["release"] = dict(release, phase="progressing", step=0, started=_stamp(now), started_at=now,
                             promote_requested=False)
    return record


def _current(body, release_id):
    release = (body or {}).get("release")
    if not release or release["id"] != release_id:
        last = next((entry for entry in (body or {}).get("history", []) if entry.get("id") == release_id), None)
        ended = f"it ended as {last['outcome']} ({last['reason']})" if last else "it is not in the record"
        raise RecordError(f"release {release_id} is no longer in progress: {ended}")
    return release


def progress(body, release_id, step=None, weights=None, phase=None, colours=None, note=None, revision=None):
    """Move the release in progress to a new step, weights or phase, and/or update what a colour runs."""
    _current(body, release_id)
    if phase is not None and phase not in PHASES:
        raise RecordError(f"phase must be one of {list(PHASES)}, got {phase!r}")
    record = copy.deepcopy(body)
    release = record["release"]
    for key, value in (("step", step), ("weights", weights), ("phase", phase), ("note", note), ("revision", revision)):
        if value is not None:
            release[key] = value
    record["colours"] = _merge_colours(record["colours"], colours)
    return record


def request_promote(body, release_id=None):
    """Ask the release in progress to skip its remaining bake."""
    release = (body or {}).get("release")
    if not release:
        raise RecordError("no release is in progress: nothing to promote")
    record = copy.deepcopy(body)
    _current(record, release_id or release["id"])["promote_requested"] = True
    return record


def _snapshot(record, colour, fields=None):
    """What ``colour`` runs: as the record has it, or as ``fields`` (a colour's fields kept elsewhere) say."""
    fields = record["colours"].get(colour, {}) if fields is None else fields
    return {"colour": colour, **{key: fields.get(key) for key in ("version", "app_environment", "environment", "task_definition")}}


def finish(body, release_id, outcome, reason, active_colour=None, colours=None, now=None):
    """End the release in progress with ``outcome``; it moves to the history.

    When the release made another colour (or version) active, the one it replaced becomes the
    previous good release, which rollback.yml returns to.
    """
    if outcome not in OUTCOMES:
        raise RecordError(f"outcome must be one of {list(OUTCOMES)}, got {outcome!r}")
    now = time.time() if now is None else now
    release = _current(body, release_id)
    record = copy.deepcopy(body)
    # What served when the release began (kept with it), not the active colour as it is now: a
    # rolling release has already rewritten its own colour's fields with the new version.
    if release.get("stable") and release.get("stable_colour"):
        before = _snapshot(record, release["stable_colour"], release["stable"])
    else:
        before = _snapshot(record, record["active_colour"])
    record["colours"] = _merge_colours(record["colours"], colours)
    if active_colour:
        record["active_colour"] = active_colour
    after = _snapshot(record, record["active_colour"])
    if outcome == "succeeded" and after != before:
        record["previous_good"] = before
    record["release"] = None
    entry = {key: release.get(key) for key in ("id", "version", "strategy", "started", "started_by")}
    entry.update(outcome=outcome, reason=reason, finished=_stamp(now),
                 duration_seconds=round(now - release.get("started_at", now), 1),
                 from_version=before["version"], active_colour=record["active_colour"],
                 active_version=after["version"])
    record["history"] = ([entry] + record.get("history", []))[:HISTORY_LIMIT]
    return record


def rolled_back(body, rollback_id, active_colour, colours, reason, started_by, now=None):
    """Record a rollback (not a release): the previous good release serves again."""
    now = time.time() if now is None else now
    if not body or not body.get("active_colour"):
        raise RecordError("the environment has no release record yet: there is nothing to roll back to")
    if body.get("release"):
        raise RecordError(f"a release is in progress: {describe_release(body['release'])}; "
                          "end it with release_abort.yml (which returns all traffic to the stable colour)")
    record = copy.deepcopy(body)
    before = _snapshot(record, record["active_colour"])
    record["colours"] = _merge_colours(record["colours"], colours)
    record["active_colour"] = active_colour
    after = _snapshot(record, active_colour)
    record["previous_good"] = before
    entry = {"id": rollback_id, "version": after["version"], "strategy": "rollback", "started": _stamp(now),
             "started_by": started_by, "outcome": "rolled_back", "reason": reason, "finished": _stamp(now),
             "from_version": before["version"], "active_colour": active_colour, "active_version": after["version"]}
    record["history"] = ([entry] + record.get("history", []))[:HISTORY_LIMIT]
    return record


def update_colours(body, colours):
    """Record what the colours run outside a release (deploy scaling a warm colour down)."""
    record = copy.deepcopy(body)
    record["colours"] = _merge_colours(record["colours"], colours)
    return record


def update_settings(body, settings):
    """Set record-wide settings (see SETTINGS_FIELDS)."""
    unknown = set(settings or {}) - set(SETTINGS_FIELDS)
    if unknown:
        raise RecordError(f"settings: unknown field(s) {sorted(unknown)}; valid: {list(SETTINGS_FIELDS)}")
    record = copy.deepcopy(body)
    record.update(settings or {})
    return record


def retire(body, reason, now=None):
    """The environment was torn down: nothing serves any more; the history is kept."""
    if not body or not body.get("active_colour"):
        return body
    now = time.time() if now is None else now
    record = empty_record(body["environment"])
    entry = {"id": f"teardown-{int(now)}", "version": None, "strategy": "teardown", "started": _stamp(now),
             "outcome": "aborted" if body.get("release") else "succeeded", "reason": reason, "finished": _stamp(now),
             "from_version": body["colours"].get(body["active_colour"], {}).get("version")}
    if body.get("release"):
        entry["reason"] = f"{reason}; {describe_release(body['release'])} ended with it"
    record["history"] = ([entry] + body.get("history", []))[:HISTORY_LIMIT]
    return record
