# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The option every faith.ops AWS module shares to take the environment's lock at its first write.
    DOCUMENTATION = r"""
options:
  write_lock:
    description:
      - The environment's lock (M(faith.ops.environment_lock)) to hold before this module's first
        write to AWS. Reads do not take it, so a run whose modules all find their resources as
        declared writes nothing at all, the lock included.
      - Taken once per run and interpreter and renewed when less than half its lease is left;
        taking it over from a holder whose run has ended warns, as M(faith.ops.environment_lock)
        does. When another live run holds it, the module waits up to O(write_lock.wait_seconds)
        and then fails naming the holder, having written nothing.
      - Ignored in check mode. C(playbooks/deploy.yml) sets it for every faith.ops module through
        C(module_defaults) once it has checked that the lock is free (O(faith.ops.environment_lock#module:state=available)).
    type: dict
    suboptions:
      table:
        description: The environment's operations table.
        type: str
        required: true
      environment:
        description: The environment the lock serialises.
        type: str
        required: true
      region:
        description: Region of the operations table, when this module works in another region (the DR region's pilot light).
        type: str
      lock_id:
        description: This run's identity as holder.
        type: str
        required: true
      owner:
        description: Who takes the lock (user@host), shown to anyone who finds it held.
        type: str
        default: unknown
      operation:
        description: What the run does, shown with the holder.
        type: str
        default: operation
      lease_seconds:
        description: Seconds the lock stays held without renewal (1-86400).
        type: int
        default: 1800
      wait_seconds:
        description: Seconds to keep retrying while another run holds the lock before failing.
        type: int
        default: 0
      break_lock:
        description: The lock id of a holder to take the lock from even though its lease has not ended.
        type: str
      since_revision:
        description:
          - The lock's revision when the run checked it (the C(revision) that
            O(faith.ops.environment_lock#module:state=available) returns). If another run has taken
            the lock since, even one that has freed it again, the module fails without writing,
            since what the run read before may be out of date.
        type: int
"""
