#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_task_definition
short_description: Register an ECS task definition revision only when its content changes
version_added: 0.1.0
description:
  - Compares the declared task definition with the latest ACTIVE revision of the family and
    registers a new revision only when they differ. Both sides are normalised first - what
    AWS fills in on its own (C(essential=true), C(cpu=0) on containers, C(protocol=tcp),
    a C(hostPort) equal to the C(containerPort) under awsvpc, health check defaults, empty
    lists, the revision, status, timestamps, compatibilities and required attributes) is
    stripped, and unordered lists are sorted - so identical input never registers a new
    revision, against AWS as against the emulator.
  - Returns the ARN of the revision that matches the declaration either way.
  - Tags are compared on the latest revision and changed in place; they alone never cause a
    new revision.
  - Fargate CPU/memory pairs, port mappings, container memory against the task's memory, log
    drivers and the execution role that secrets and awslogs need are validated before any call.
  - With O(keep_revisions), ACTIVE revisions beyond the newest N are deregistered.
  - With O(state=absent), every ACTIVE revision of the family is deregistered.
author:
  - faith.ops maintainers (@faith-ops)
options:
  family:
    description: Family of the task definition.
    type: str
    required: true
    aliases: [name]
  state:
    description: Whether the family should have an ACTIVE revision matching the declaration.
    type: str
    choices: [present, absent]
    default: present
  containers:
    description:
      - Container definitions in the ECS API's form (camelCase keys, as in
        C(aws ecs register-task-definition)), for example C(name), C(image), C(portMappings),
        C(environment), C(secrets), C(logConfiguration), C(healthCheck), C(memoryReservation).
      - Required with O(state=present).
    type: list
    elements: dict
  cpu:
    description: Task CPU, in units (C(256)) or vCPU (C(0.25 vCPU)). Required for Fargate.
    type: str
  memory:
    description: Task memory, in MiB (C(512)) or GB (C(0.5 GB)). Required for Fargate.
    type: str
  network_mode:
    description: Docker networking mode of the task's containers; Fargate needs C(awsvpc).
    type: str
    choices: [awsvpc, bridge, host, none]
    default: awsvpc
  requires_compatibilities:
    description: Launch types the task definition is validated against.
    type: list
    elements: str
    choices: [EC2, FARGATE, EXTERNAL]
    default: [FARGATE]
  execution_role_arn:
    description: ARN of the role ECS uses to pull images, fetch secrets and write logs.
    type: str
  task_role_arn:
    description: ARN of the role the application's code runs as.
    type: str
  volumes:
    description: Volumes in the ECS API's form (camelCase keys).
    type: list
    elements: dict
  runtime_platform:
    description: Operating system and CPU architecture of the task.
    type: dict
    suboptions:
      cpu_architecture:
        description: CPU architecture.
        type: str
        choices: [X86_64, ARM64]
      operating_system_family:
        description: Operating system family, for example C(LINUX).
        type: str
  ephemeral_storage_gib:
    description: Ephemeral storage of a Fargate task in GiB (21 to 200); AWS gives 20 GiB without it.
    type: int
  keep_images:
    description:
      - Containers keep the image of the latest ACTIVE revision, because releases own images;
        the declared image is used only for a new family or a container the latest revision
        does not have. Other changes still register a new revision, with the release's image.
    type: bool
    default: false
  keep_revisions:
    description:
      - Keep only the newest N ACTIVE revisions of the family and deregister older ones, so
        the rollback window stays open without revisions piling up. Not given - deregister nothing.
      - Deregistered revisions keep running where services use them.
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - The diff holds only what differs between the latest revision and the declaration, with
    each changed container identified by its C(name); a new image shows as the container's
    name and image alone.
  - In check mode, RV(task_definition_arn) is the ARN the new revision would get.
"""

EXAMPLES = r"""
- name: Ensure the chatbot's task definition matches this release
  faith.ops.ecs_task_definition:
    family: faith-chatbot-production
    cpu: "512"
    memory: "1024"
    execution_role_arn: "{{ execution_role_arn }}"
    task_role_arn: "{{ task_role_arn }}"
    keep_revisions: 10
    containers:
      - name: app
        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/faith-motivator:1.4.0
        memoryReservation: 512
        portMappings:
          - containerPort: 8000
        environment:
          - name: FAITH_ENV
            value: production
        healthCheck:
          command: [CMD-SHELL, "curl -fs http://localhost:8000/health || exit 1"]
        logConfiguration:
          logDriver: awslogs
          options:
            awslogs-group: /ecs/faith-chatbot-production
            awslogs-region: us-east-1
            awslogs-stream-prefix: app
    tags:
      Application: faith-chatbot
  register: task_definition

- name: Deregister every revision of the family
  faith.ops.ecs_task_definition:
    family: faith-chatbot-staging
    state: absent
"""

RETURN = r"""
task_definition_arn:
  description:
    - ARN of the revision matching the declaration - the latest one when nothing changed, the
      new one otherwise (in check mode, the ARN it would get). Null with O(state=absent).
  returned: always
  type: str
  sample: arn:aws:ecs:us-east-1:123456789012:task-definition/faith-chatbot-production:7
revision:
  description: Revision number of RV(task_definition_arn).
  returned: always
  type: int
  sample: 7
task_definition:
  description:
    - The matching revision as ECS describes it (snake_case keys; container definitions and
      volumes in the API's form; tags as a dict). In check mode with a change, the declaration.
  returned: when O(state=present)
  type: dict
  sample:
    family: faith-chatbot-production
    cpu: "512"
    memory: "1024"
    network_mode: awsvpc
    container_definitions: [{"name": "app", "image": "faith-motivator:1.4.0", "memoryReservation": 512}]
    tags: {"Application": "faith-chatbot"}
deregistered:
  description: ARNs of the revisions deregistered (or that would be).
  returned: always
  type: list
  elements: str
  sample: ["arn:aws:ecs:us-east-1:123456789012:task-definition/faith-chatbot-production:1"]
actions:
  description: What was changed, or would be changed in check mode, in order.
  returned: always
  type: list
  elements: str
  sample: ["register revision 8 of faith-chatbot-production"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.ecs import api
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import comparable_task_definition
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import reduced_diff
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import revision_of
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import tags_dict
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import task_definition_view
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import validate_task_definition
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholders
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def latest_revision(client, family, keep):
    """``(latest ACTIVE revision or None, ARNs of all ACTIVE revisions newest first or None)``.

    Without ``keep`` one read suffices: describing the bare family gives its latest ACTIVE
    revision. Pruning needs the list, whose head is the latest revision.
    """
    if keep is None:
        return api.describe_task_definition(client, family), None
    arns = api.active_revisions(client, family)
    if not arns:
        return None, []
    return api.describe_task_definition(client, arns[0]), arns


def keep_released_images(request, latest):
    """Give each declared container the image it has in ``latest`` (releases own images)."""
    released = {container["name"]: container.get("image") for container in latest.get("containerDefinitions", [])}
    for container in request["containerDefinitions"]:
        if released.get(container["name"]):
            container["image"] = released[container["name"]]


def ensure_revision(module, client, request, latest):
    """Register a new revision unless ``latest`` already matches; returns ``(changed, definition)``."""
    if latest is not None and comparable_task_definition(latest) == comparable_task_definition(request):
        return False, latest
    revision = revision_of(latest["taskDefinitionArn"]) + 1 if latest else 1
    module.record(f"register revision {revision} of {request['family']}")
    tags = module.params["tags"]
    if latest is not None and tags is not None and not module.params["purge_tags"]:
        # New revisions start untagged: carry the latest revision's tags over unless purging.
        tags = dict(tags_dict(latest.get("tags")), **tags)
    elif tags is None and latest is not None:
        tags = tags_dict(latest.get("tags"))
    if module.check_mode:
        planned = dict(request, tags=[{"key": key, "value": str(value)} for key, value in (tags or {}).items()])
        arn_prefix = latest["taskDefinitionArn"].rsplit(":", 1)[0] if latest else None
        planned["taskDefinitionArn"] = f"{arn_prefix}:{revision}" if arn_prefix else None
        planned["revision"] = revision
        return True, planned
    params = dict(request)
    if tags:
        params["tags"] = [{"key": key, "value": str(value)} for key, value in sorted(tags.items())]
    return True, api.register_task_definition(client, params)


def ensure_tags(module, client, definition):
    """Bring the tags of an unchanged latest revision to the desired ones."""
    current = tags_dict(definition.get("tags"))
    to_set, to_remove = tag_changes(current, module.params["tags"], module.params["purge_tags"])
    if not (to_set or to_remove):
        return False
    module.record(f"update tags of {definition['taskDefinitionArn']}: set {sorted(to_set)}, remove {sorted(to_remove)}")
    if not module.check_mode:
        if to_remove:
            api.untag_resource(client, definition["taskDefinitionArn"], to_remove)
        if to_set:
            api.tag_resource(client, definition["taskDefinitionArn"], to_set)
    tags = {key: value for key, value in current.items() if key not in to_remove}
    tags.update(to_set)
    definition["tags"] = [{"key": key, "value": value} for key, value in tags.items()]
    return True


def ensure_pruned(module, client, arns, keep, newest_arn):
    """Deregister ACTIVE revisions beyond the newest ``keep``; returns the ARNs deregistered."""
    if keep is None:
        return []
    survivors = [newest_arn] if newest_arn else []
    survivors += [arn for arn in arns or [] if arn != newest_arn]
    doomed = survivors[keep:]
    for arn in doomed:
        module.record(f"deregister {arn}")
        if not module.check_mode:
            api.deregister_task_definition(client, arn)
    return doomed


def ensure_present(module, client):
    params = module.params
    keep = params["keep_revisions"]
    if keep is not None and keep < 1:
        raise OptionError("keep_revisions", f"{keep} would deregister the revision in use; keep at least 1")
    # In check mode the image of a repository still to be created (and settings naming
    # resources still to be created) are placeholders; a revision is never registered with one.
    check_placeholders(params, ("containers",), module.check_mode)
    request = validate_task_definition(params)
    validate_tags(params["tags"])

    latest, arns = latest_revision(client, params["family"], keep)
    if params["keep_images"] and latest is not None:
        keep_released_images(request, latest)
    before = dict(comparable_task_definition(latest), tags=tags_dict(latest.get("tags"))) if latest else {}
    changed, definition = ensure_revision(module, client, request, latest)
    if not changed:
        changed = ensure_tags(module, client, definition)
    arn = definition.get("taskDefinitionArn")
    deregistered = ensure_pruned(module, client, arns, keep, arn)

    after = dict(comparable_task_definition(definition), tags=tags_dict(definition.get("tags")))
    result = {"changed": bool(changed or deregistered)}
    if module._diff:
        diff_before, diff_after = reduced_diff(before, after)
        result["diff"] = {"before": diff_before or {}, "after": diff_after or {}}
    result.update(
        task_definition_arn=arn,
        revision=definition.get("revision"),
        task_definition=task_definition_view(definition),
        deregistered=deregistered,
    )
    return result


def ensure_absent(module, client):
    arns = api.active_revisions(client, module.params["family"])
    for arn in arns:
        module.record(f"deregister {arn}")
        if not module.check_mode:
            api.deregister_task_definition(client, arn)
    result = {"changed": bool(arns), "task_definition_arn": None, "revision": None, "deregistered": arns}
    if module._diff:
        result["diff"] = {"before": {"active_revisions": arns}, "after": {"active_revisions": []}}
    return result


def run(module):
    client = module.client("ecs")
    if module.params["state"] == "absent":
        return ensure_absent(module, client)
    return ensure_present(module, client)


def main():
    argument_spec = dict(
        family=dict(type="str", required=True, aliases=["name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        containers=dict(type="list", elements="dict"),
        cpu=dict(type="str"),
        memory=dict(type="str"),
        network_mode=dict(type="str", choices=["awsvpc", "bridge", "host", "none"], default="awsvpc"),
        requires_compatibilities=dict(type="list", elements="str", choices=["EC2", "FARGATE", "EXTERNAL"], default=["FARGATE"]),
        execution_role_arn=dict(type="str"),
        task_role_arn=dict(type="str"),
        volumes=dict(type="list", elements="dict"),
        runtime_platform=dict(
            type="dict",
            options=dict(
                cpu_architecture=dict(type="str", choices=["X86_64", "ARM64"]),
                operating_system_family=dict(type="str"),
            ),
        ),
        ephemeral_storage_gib=dict(type="int"),
        keep_images=dict(type="bool", default=False),
        keep_revisions=dict(type="int"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec, required_if=[("state", "present", ["containers"])])
    module.run(run)


if __name__ == "__main__":
    main()
