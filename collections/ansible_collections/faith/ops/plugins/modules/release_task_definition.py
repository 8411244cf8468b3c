#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: release_task_definition
short_description: Register the task definition revision of a release, from the revision it replaces
version_added: 0.2.0
description:
  - The compute seam of releases. A release runs a new version with, optionally, its own app
    settings; everything else about the task (size, roles, ports, health check, logs) stays as the
    stack declared it. This module takes an existing revision (O(base)), sets the app container's
    image and environment, and registers the result as a new revision of the same family.
  - When the family's latest ACTIVE revision already is that result, it is returned and nothing is
    registered, so re-running a release step is safe.
  - O(state=absent) deregisters O(base) (a failed release's revision, so the family's latest
    revision is the stable one again).
author:
  - faith.ops maintainers (@faith-ops)
options:
  base:
    description: ARN (or C(family:revision)) of the revision to start from; with O(state=absent), the revision to deregister.
    type: str
    required: true
  container:
    description: Name of the app container in the task definition.
    type: str
    default: app
  image:
    description:
      - The image the app container runs (C(<repository>:<version>)).
      - With O(state=present), this or O(version) is required.
    type: str
  version:
    description:
      - The version to run in the base's image repository - the base's app container image with its tag replaced.
        For a revision in another region, whose repository is that region's.
    type: str
    version_added: 0.3.0
  environment:
    description:
      - The app container's complete environment, name to value.
      - Without it, the base's environment changed by O(environment_update) and O(environment_remove).
    type: dict
  environment_update:
    description: Settings set on the base's environment (not with O(environment)).
    type: dict
    version_added: 0.3.0
  environment_remove:
    description: Setting names removed from the base's environment (not with O(environment)).
    type: list
    elements: str
    version_added: 0.3.0
  state:
    description: Register (C(present)) or deregister (C(absent)).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Register version 1.5.0 from the stable colour's revision
  faith.ops.release_task_definition:
    base: arn:aws:ecs:us-east-1:123456789012:task-definition/faith-chatbot-production:41
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/faith-motivator:1.5.0
    environment:
      FAITH_ENVIRONMENT: production
      FAITH_RESPONDER: local
  register: revision

- name: Make the DR region's latest revision run 1.5.0 from its own registry, with the release's setting
  faith.ops.release_task_definition:
    base: faith-chatbot-production
    region: us-west-2
    version: 1.5.0
    environment_update:
      FAITH_RESPONDER: bedrock
"""

RETURN = r"""
task_definition_arn:
  description: ARN of the revision the release runs (in check mode before it exists, the base's family with C(:new)).
  returned: always
  type: str
  sample: arn:aws:ecs:us-east-1:123456789012:task-definition/faith-chatbot-production:42
actions:
  description: What was done, or would be done in check mode.
  returned: always
  type: list
  elements: str
  sample: ["register faith-chatbot-production with image faith-motivator:1.5.0"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.ecs import api
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

# Fields of a described revision that register_task_definition takes back unchanged.
REGISTER_FIELDS = ("family", "taskRoleArn", "executionRoleArn", "networkMode", "volumes", "placementConstraints",
                   "requiresCompatibilities", "cpu", "memory", "runtimePlatform", "ephemeralStorage", "pidMode", "ipcMode")


def _environment_list(environment):
    return [{"name": name, "value": str(value)} for name, value in sorted(environment.items())]


def desired_request(base, container_name, image, environment):
    """The register request: ``base`` with the app container's image and environment replaced."""
    request = {key: base[key] for key in REGISTER_FIELDS if base.get(key) not in (None, [], {})}
    containers = []
    found = False
    for container in base["containerDefinitions"]:
        if container["name"] == container_name:
            container = dict(container, image=image, environment=_environment_list(environment))
            found = True
        containers.append(container)
    if not found:
        raise OptionError("container", f"{base['taskDefinitionArn']} has no container {container_name!r}")
    request["containerDefinitions"] = containers
    if base.get("tags"):
        request["tags"] = base["tags"]
    return request


def image_and_environment(base, params):
    """The app container's image and environment: as given, or the base's with the version and changes applied."""
    current = next((container for container in base["containerDefinitions"] if container["name"] == params["container"]), None)
    if current is None:
        raise OptionError("container", f"{base['taskDefinitionArn']} has no container {params['container']!r}")
    image = params["image"] or f"{current['image'].rsplit(':', 1)[0]}:{params['version']}"
    if params["environment"] is not None:
        return image, params["environment"]
    environment = {item["name"]: item["value"] for item in current.get("environment") or []}
    for name in params["environment_remove"] or []:
        environment.pop(name, None)
    environment.update(params["environment_update"] or {})
    return image, environment


def comparable(definition):
    """What decides whether two revisions run the same thing."""
    view = {key: definition.get(key) for key in REGISTER_FIELDS if definition.get(key) not in (None, [], {})}
    view["containers"] = sorted(
        (dict(container, environment=sorted((item["name"], item["value"]) for item in container.get("environment") or []))
         for container in definition["containerDefinitions"]),
        key=lambda container: container["name"],
    )
    return view


def run(module):
    params = module.params
    client = module.client("ecs")
    base = api.describe_task_definition(client, params["base"])
    if params["state"] == "absent":
        if base is None or base.get("status") == "INACTIVE":
            return {"changed": False, "task_definition_arn": params["base"]}
        module.record(f"deregister {base['taskDefinitionArn']}")
        if not module.check_mode:
            api.deregister_task_definition(client, base["taskDefinitionArn"])
        return {"changed": True, "task_definition_arn": base["taskDefinitionArn"]}
    if not params["image"] and not params["version"]:
        raise OptionError("image", "state=present needs it, or version")
    if base is None:
        raise OptionError("base", f"task definition {params['base']} does not exist")
    image, environment = image_and_environment(base, params)
    request = desired_request(base, params["container"], image, environment)
    latest_arns = api.active_revisions(client, base["family"])
    latest = api.describe_task_definition(client, latest_arns[0]) if latest_arns else None
    if latest is not None and comparable(latest) == comparable(request):
        return {"changed": False, "task_definition_arn": latest["taskDefinitionArn"]}
    module.record(f"register {base['family']} with image {image}")
    if module.check_mode:
        return {"changed": True, "task_definition_arn": f"{base['taskDefinitionArn'].rsplit(':', 1)[0]}:new"}
    registered = api.register_task_definition(client, request)
    return {"changed": True, "task_definition_arn": registered["taskDefinitionArn"]}


def main():
    argument_spec = dict(
        base=dict(type="str", required=True),
        container=dict(type="str", default="app"),
        image=dict(type="str"),
        version=dict(type="str"),
        environment=dict(type="dict"),
        environment_update=dict(type="dict"),
        environment_remove=dict(type="list", elements="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = FaithAWSModule(
        argument_spec=argument_spec, supports_check_mode=True,
        mutually_exclusive=[("image", "version"), ("environment", "environment_update"), ("environment", "environment_remove")],
    )
    module.run(run)


if __name__ == "__main__":
    main()
