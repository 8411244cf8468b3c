#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_service
short_description: Create and update every setting of an ECS service, and wait for its deployment
version_added: 0.1.0
description:
  - Creates, updates and deletes an Amazon ECS service. Every option below is compared with
    the service AWS describes and changed when it differs - task definition, desired count,
    network configuration, load balancers, deployment configuration (including the circuit
    breaker and alarms), health check grace period, tag propagation, ECS managed tags,
    execute command, capacity provider strategy, platform version and tags. An option left
    out leaves that setting as it is.
  - O(create_only) makes the desired count and the task definition apply at creation only,
    so a deployment never fights the releases and autoscaling that own them afterwards.
  - With O(wait), the module waits until the PRIMARY deployment's C(rolloutState) is
    C(COMPLETED), reading the deployment record itself (botocore's C(services_stable)
    returns while old tasks still serve). A C(FAILED) rollout fails the task with the reason
    ECS gives; a timeout reports the last rollout state and reason.
  - Before any write, the load balancer attachments are checked against the task definition
    (the container must map the port) and the target groups (they must exist, have target
    type C(ip) for awsvpc tasks, and use the container port). This needs one read of each;
    it happens only when the service is created or those settings change.
  - One read (the service with its tags) on a run that changes nothing.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the service.
    type: str
    required: true
  cluster:
    description: Name of the cluster the service runs in.
    type: str
    required: true
  state:
    description: Whether the service should exist. Deleting stops its tasks.
    type: str
    choices: [present, absent]
    default: present
  task_definition:
    description:
      - Task definition to run - an ARN, C(family:revision), or a family (its latest ACTIVE
        revision). Required to create the service.
    type: str
  desired_count:
    description: Number of tasks to keep running. Required to create the service.
    type: int
  create_only:
    description:
      - Options applied when the service is created and left alone afterwards, because
        releases (task definition) and autoscaling (desired count) own them.
    type: list
    elements: str
    choices: [desired_count, task_definition]
    default: []
  launch_type:
    description: Launch type; cannot be changed once the service exists.
    type: str
    choices: [FARGATE, EC2, EXTERNAL]
  capacity_provider_strategy:
    description: Capacity providers to spread tasks over, instead of a launch type.
    type: list
    elements: dict
    suboptions:
      capacity_provider:
        description: Name of a capacity provider of the cluster, for example C(FARGATE_SPOT).
        type: str
        required: true
      weight:
        description: Relative share of tasks (0 to 1000).
        type: int
        default: 0
      base:
        description: Tasks placed on this provider first (0 to 100000); at most one provider may have one.
        type: int
        default: 0
  platform_version:
    description: Fargate platform version, for example C(LATEST) or C(1.4.0).
    type: str
  network_configuration:
    description: Subnets and security groups of the tasks (awsvpc network mode).
    type: dict
    suboptions:
      subnets:
        description: Ids of 1 to 16 subnets.
        type: list
        elements: str
        required: true
      security_groups:
        description: Ids of up to 5 security groups.
        type: list
        elements: str
        default: []
      assign_public_ip:
        description: Whether tasks get a public IP address.
        type: str
        choices: [ENABLED, DISABLED]
        default: DISABLED
  load_balancers:
    description: Target groups the service registers its tasks with. An empty list detaches all.
    type: list
    elements: dict
    suboptions:
      target_group_arn:
        description: ARN of the target group.
        type: str
        required: true
      container_name:
        description: Container that receives the traffic.
        type: str
        required: true
      container_port:
        description: Port of that container; it must be mapped in the task definition and be the target group's port.
        type: int
        required: true
  deployment_configuration:
    description: How deployments replace tasks. Sub-options left out keep their current value.
    type: dict
    suboptions:
      maximum_percent:
        description: Upper limit of running tasks during a deployment, in percent of the desired count (at least 100).
        type: int
      minimum_healthy_percent:
        description: Lower limit of healthy tasks during a deployment, in percent of the desired count (0 to 100).
        type: int
      deployment_circuit_breaker:
        description: Fail a deployment whose tasks do not become healthy.
        type: dict
        suboptions:
          enable:
            description: Whether the circuit breaker is on.
            type: bool
            required: true
          rollback:
            description: Roll back to the last completed deployment when it trips.
            type: bool
            default: false
      alarms:
        description: CloudWatch alarms that fail a deployment when they go to ALARM.
        type: dict
        suboptions:
          alarm_names:
            description: Names of the alarms.
            type: list
            elements: str
            default: []
          enable:
            description: Whether the alarms are watched.
            type: bool
            default: true
          rollback:
            description: Roll back when an alarm fails the deployment.
            type: bool
            default: false
  health_check_grace_period_seconds:
    description: Seconds during which load balancer health checks of new tasks are ignored.
    type: int
  propagate_tags:
    description: Copy tags from the service or the task definition to the tasks.
    type: str
    choices: [SERVICE, TASK_DEFINITION, NONE]
  enable_execute_command:
    description: Whether C(ecs execute-command) may open a shell in the tasks.
    type: bool
  enable_ecs_managed_tags:
    description: Whether ECS tags the tasks with the cluster and service names.
    type: bool
  wait:
    description: Wait for the PRIMARY deployment to reach COMPLETED (or, when deleting, for the service to become INACTIVE).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 900
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Ensure the blue service exists behind its target group
  faith.ops.ecs_service:
    name: faith-chatbot-production-blue
    cluster: faith-chatbot-production
    task_definition: "{{ task_definition.task_definition_arn }}"
    desired_count: 2
    create_only: [desired_count, task_definition]
    launch_type: FARGATE
    network_configuration:
      subnets: "{{ private_subnet_ids }}"
      security_groups: ["{{ task_security_group_id }}"]
    load_balancers:
      - target_group_arn: "{{ target_group_arns.blue }}"
        container_name: app
        container_port: 8000
    deployment_configuration:
      maximum_percent: 200
      minimum_healthy_percent: 100
      deployment_circuit_breaker:
        enable: true
        rollback: true
    health_check_grace_period_seconds: 60
    propagate_tags: SERVICE
    enable_execute_command: false
    tags:
      Colour: blue

- name: Roll out a new revision and wait for the deployment to complete
  faith.ops.ecs_service:
    name: faith-chatbot-production-blue
    cluster: faith-chatbot-production
    task_definition: "{{ new_revision_arn }}"
    wait_timeout: 1200

- name: Delete the service
  faith.ops.ecs_service:
    name: faith-chatbot-staging-green
    cluster: faith-chatbot-staging
    state: absent
"""

RETURN = r"""
service:
  description:
    - The settings the module manages, as they are after the run (in check mode, as they
      would be); snake_case keys, tags as a dict. Empty when the service does not exist.
  returned: always
  type: dict
  sample:
    task_definition: arn:aws:ecs:us-east-1:123456789012:task-definition/faith-chatbot-production:7
    desired_count: 2
    launch_type: FARGATE
    network_configuration: {"subnets": ["subnet-0aa"], "security_groups": ["sg-0bb"], "assign_public_ip": "DISABLED"}
    load_balancers: [{"target_group_arn": "arn:aws:elasticloadbalancing:...", "container_name": "app", "container_port": 8000}]
    deployment_configuration: {"maximum_percent": 200, "minimum_healthy_percent": 100}
    tags: {"Colour": "blue"}
service_arn:
  description: ARN of the service (null before it exists or once deleted).
  returned: always
  type: str
  sample: arn:aws:ecs:us-east-1:123456789012:service/faith-chatbot-production/faith-chatbot-production-blue
service_name:
  description: Name of the service.
  returned: always
  type: str
  sample: faith-chatbot-production-blue
deployment:
  description: The PRIMARY deployment as last read, or null.
  returned: always
  type: dict
  contains:
    id:
      description: Deployment id.
      type: str
      sample: ecs-svc/1234567890123456789
    task_definition:
      description: Task definition the deployment runs.
      type: str
      sample: arn:aws:ecs:us-east-1:123456789012:task-definition/faith-chatbot-production:7
    rollout_state:
      description: C(IN_PROGRESS), C(COMPLETED) or C(FAILED).
      type: str
      sample: COMPLETED
    rollout_state_reason:
      description: Why the rollout is in that state.
      type: str
      sample: ECS deployment ecs-svc/1234567890123456789 completed.
    desired_count:
      description: Tasks the deployment aims for.
      type: int
      sample: 2
    running_count:
      description: Tasks of the deployment running.
      type: int
      sample: 2
actions:
  description: What was changed, or would be changed in check mode, in order.
  returned: always
  type: list
  elements: str
  sample: ["update service faith-chatbot-production-blue: deployment_configuration, network_configuration"]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.ecs import api
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import CREATE_ONLY_BY_AWS
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import CREATE_ONLY_CHOICES
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import CREATE_ONLY_FIELDS
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import SERVICE_FIELDS
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import check_load_balancer_targets
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import create_service_request
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import current_service
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import desired_service
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import primary_deployment
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import service_after
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import service_changes
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import service_view
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import tags_dict
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import update_service_request
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import validate_service
from ansible_collections.faith.ops.plugins.module_utils.ecs.waiters import wait_for_deployment
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholders
from ansible_collections.faith.ops.plugins.module_utils.planning import is_unknown
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.module_utils.waiting import wait_for

DEPLOYMENT_FIELDS = ("id", "taskDefinition", "rolloutState", "rolloutStateReason", "desiredCount", "runningCount")


def deployment_summary(service):
    primary = primary_deployment(service)
    if primary is None:
        return None
    return camel_dict_to_snake_dict({key: primary.get(key) for key in DEPLOYMENT_FIELDS})


OPTION_OF_FIELD = dict(SERVICE_FIELDS)


def field_names(changes):
    """Option names of changed API fields, for action messages."""
    return ", ".join(sorted(OPTION_OF_FIELD[field] for field in changes))


class ServiceRun:
    """One run of the module against one service: reads, checks, and the ``ensure_*`` steps."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.cluster = self.params["cluster"]
        self.name = self.params["name"]
        self._task_definitions = {}

    @property
    def check_mode(self):
        return self.module.check_mode

    def act(self, description):
        """Record ``description``; True when the write itself must be skipped (check mode)."""
        self.module.record(description)
        return self.check_mode

    # --- reads and checks ------------------------------------------------------------------

    def read_service(self):
        services = api.describe_services(self.client, self.cluster, [self.name])
        if services is None:
            if self.params["state"] == "absent":
                return None
            if self.check_mode:
                # A role in check mode only plans the cluster; the service would follow it.
                self.module.warn(f"cluster {self.cluster} does not exist (yet); the service would be created in it")
                return None
            raise OptionError("cluster", f"cluster {self.cluster} does not exist; create it first (faith.ops.ecs_cluster)")
        return services[0] if services else None

    def task_definition(self, reference):
        """The described task definition for an ARN, ``family:revision`` or family (cached), or None."""
        if reference not in self._task_definitions:
            self._task_definitions[reference] = api.describe_task_definition(self.client, reference)
        return self._task_definitions[reference]

    def resolve_task_definition(self, desired, current_arn):
        """Turn a family or ``family:revision`` into the ARN AWS reports, reading only when needed."""
        reference = desired.get("taskDefinition")
        if not reference or reference.startswith("arn:") or is_unknown(reference):
            return
        if ":" in reference and current_arn and current_arn.endswith(f"/{reference}"):
            desired["taskDefinition"] = current_arn
            return
        definition = self.task_definition(reference)
        if definition is None:
            raise OptionError("task_definition", f"{reference} is not an ACTIVE task definition; register it first (faith.ops.ecs_task_definition)")
        desired["taskDefinition"] = definition["taskDefinitionArn"]

    def check_attachments(self, task_definition_arn):
        """Load balancer attachments against the task definition and target groups (reads, no writes)."""
        load_balancers = self.params["load_balancers"]
        if is_unknown(task_definition_arn) or any(is_unknown(entry["target_group_arn"]) for entry in load_balancers or []):
            # Check mode before the revision or the target groups exist: nothing to read yet.
            return None
        definition = self.task_definition(task_definition_arn)
        if definition is None:
            if self.check_mode:
                # In check mode a release's new revision is only planned, not registered.
                self.module.warn(f"{task_definition_arn} is not registered (yet); load balancer ports were not checked")
                return None
            raise OptionError("task_definition", f"{task_definition_arn} is not an ACTIVE task definition; register it first (faith.ops.ecs_task_definition)")
        if load_balancers:
            groups = api.describe_target_groups(self.module.client("elbv2"), [entry["target_group_arn"] for entry in load_balancers])
            check_load_balancer_targets(load_balancers, definition, groups, definition.get("networkMode"))
        return definition

    # --- present ---------------------------------------------------------------------------

    def create(self, desired):
        missing = [option for option in ("task_definition", "desired_count") if self.params[option] is None]
        if missing and not self.check_mode:
            raise OptionError(missing[0], f"is required to create service {self.name}")
        if missing:
            # In check mode a role may not know them yet (the task definition is only planned).
            self.module.warn(f"{', '.join(missing)} not given; the service would need them to be created")
        definition = self.check_attachments(desired["taskDefinition"]) if "taskDefinition" in desired else None
        if definition is not None and definition.get("networkMode") == "awsvpc" and "networkConfiguration" not in desired:
            raise OptionError("network_configuration", f"is required: {desired['taskDefinition']} uses the awsvpc network mode")
        tags = self.params["tags"] or {}
        if self.act(f"create service {self.name} in cluster {self.cluster}"):
            return None, True
        service = api.create_service(self.client, create_service_request(self.cluster, self.name, desired, tags))
        # The emulator drops some create parameters (deployment configuration, grace period,
        # execute command) that AWS keeps; what the create response does not reflect is sent
        # again as an update, so the first re-run finds nothing to change.
        missing = {key: value for key, value in service_changes(desired, current_service(service)).items() if key not in CREATE_ONLY_BY_AWS}
        if missing:
            self.module.record(f"set {field_names(missing)} the create response did not reflect")
            service = api.update_service(self.client, update_service_request(self.cluster, self.name, missing, current_service(service)))
        return service, True

    def ensure_settings(self, service, desired):
        current = current_service(service)
        launch_type = desired.get("launchType")
        if launch_type and launch_type != current.get("launchType"):
            running_on = current.get("launchType") or "a capacity provider strategy"
            raise OptionError(
                "launch_type", f"service {self.name} runs on {running_on}; AWS cannot change that to a launch type (recreate the service)"
            )
        changes = service_changes(desired, current)
        if not changes:
            return service, False
        if self.params["load_balancers"] is not None and ("loadBalancers" in changes or "taskDefinition" in changes):
            self.check_attachments(changes.get("taskDefinition") or current.get("taskDefinition"))
        if self.act(f"update service {self.name}: {field_names(changes)}"):
            return service, True
        return api.update_service(self.client, update_service_request(self.cluster, self.name, changes, current)), True

    def ensure_tags(self, service):
        to_set, to_remove = tag_changes(tags_dict(service.get("tags")), self.params["tags"], self.params["purge_tags"])
        if not (to_set or to_remove):
            return False
        if self.act(f"update tags of service {self.name}: set {sorted(to_set)}, remove {sorted(to_remove)}"):
            return True
        if to_remove:
            api.untag_resource(self.client, service["serviceArn"], to_remove)
        if to_set:
            api.tag_resource(self.client, service["serviceArn"], to_set)
        return True

    def settle(self, service, changed):
        """Wait for the PRIMARY deployment when asked to; returns the service as last read."""
        if not self.params["wait"] or self.check_mode or service is None:
            return service
        primary = primary_deployment(service)
        if not changed and primary is not None and primary.get("rolloutState") in (None, "COMPLETED"):
            return service
        wait_for_deployment(self.client, self.cluster, self.name, self.params["wait_timeout"])
        return api.describe_services(self.client, self.cluster, [self.name])[0]

    def present(self):
        desired = desired_service(self.params)
        service = self.read_service()
        current = current_service(service) if service else {}
        if service is not None:
            owned_elsewhere = {CREATE_ONLY_FIELDS[option] for option in self.params["create_only"]}
            desired = {key: value for key, value in desired.items() if key not in owned_elsewhere}
        self.resolve_task_definition(desired, current.get("taskDefinition"))
        current_tags = tags_dict(service.get("tags")) if service else {}
        before = service_view(current, current_tags) if service else {}

        if service is None:
            service, changed = self.create(desired)
            after_fields = service_after({}, desired)
            after_tags = self.params["tags"] or {}
        else:
            service, changed = self.ensure_settings(service, desired)
            changed |= self.ensure_tags(service)
            after_fields = service_after(current, service_changes(desired, current))
            after_tags = merged_tags(current_tags, self.params["tags"], self.params["purge_tags"])
        service = self.settle(service, changed)
        after = service_view(after_fields, after_tags)
        result = self.module.result(changed, "service", after, before, after)
        result.update(
            service_arn=service.get("serviceArn") if service else None,
            service_name=self.name,
            deployment=deployment_summary(service),
        )
        return result

    # --- absent ----------------------------------------------------------------------------

    def absent(self):
        service = self.read_service()
        if service is None:
            result = self.module.result(False, "service", {}, {}, {})
            result.update(service_arn=None, service_name=self.name, deployment=None)
            return result
        before = service_view(current_service(service), tags_dict(service.get("tags")))
        if not self.act(f"delete service {self.name} from cluster {self.cluster}"):
            api.delete_service(self.client, self.cluster, self.name)
            if self.params["wait"]:
                wait_for(
                    self.client, "services_inactive", f"service {self.name} to be deleted", self.params["wait_timeout"],
                    cluster=self.cluster, services=[self.name],
                )
        result = self.module.result(True, "service", {}, before, {})
        result.update(service_arn=None, service_name=self.name, deployment=None)
        return result


def run(module):
    # In check mode earlier roles hand over placeholders of a revision, subnets, groups and
    # target groups they would create; outside it they are refused.
    check_placeholders(module.params, ("task_definition", "network_configuration", "load_balancers"), module.check_mode)
    validate_service(module.params)
    validate_tags(module.params["tags"])
    service_run = ServiceRun(module, module.client("ecs"))
    if module.params["state"] == "absent":
        return service_run.absent()
    return service_run.present()


def main():
    strategy = dict(
        capacity_provider=dict(type="str", required=True),
        weight=dict(type="int", default=0),
        base=dict(type="int", default=0),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        cluster=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        task_definition=dict(type="str"),
        desired_count=dict(type="int"),
        create_only=dict(type="list", elements="str", choices=list(CREATE_ONLY_CHOICES), default=[]),
        launch_type=dict(type="str", choices=["FARGATE", "EC2", "EXTERNAL"]),
        capacity_provider_strategy=dict(type="list", elements="dict", options=strategy),
        platform_version=dict(type="str"),
        network_configuration=dict(
            type="dict",
            options=dict(
                subnets=dict(type="list", elements="str", required=True),
                security_groups=dict(type="list", elements="str", default=[]),
                assign_public_ip=dict(type="str", choices=["ENABLED", "DISABLED"], default="DISABLED"),
            ),
        ),
        load_balancers=dict(
            type="list",
            elements="dict",
            options=dict(
                target_group_arn=dict(type="str", required=True),
                container_name=dict(type="str", required=True),
                container_port=dict(type="int", required=True),
            ),
        ),
        deployment_configuration=dict(
            type="dict",
            options=dict(
                maximum_percent=dict(type="int"),
                minimum_healthy_percent=dict(type="int"),
                deployment_circuit_breaker=dict(
                    type="dict",
                    options=dict(enable=dict(type="bool", required=True), rollback=dict(type="bool", default=False)),
                ),
                alarms=dict(
                    type="dict",
                    options=dict(
                        alarm_names=dict(type="list", elements="str", default=[]),
                        enable=dict(type="bool", default=True),
                        rollback=dict(type="bool", default=False),
                    ),
                ),
            ),
        ),
        health_check_grace_period_seconds=dict(type="int"),
        propagate_tags=dict(type="str", choices=["SERVICE", "TASK_DEFINITION", "NONE"]),
        enable_execute_command=dict(type="bool"),
        enable_ecs_managed_tags=dict(type="bool"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=900),
    )
    module = FaithAWSModule(argument_spec=argument_spec, mutually_exclusive=[("launch_type", "capacity_provider_strategy")])
    module.run(run)


if __name__ == "__main__":
    main()
