"""Create (or delete) the network and target groups the ecs_service target attaches to.

One process instead of a stock module call per resource keeps the target fast; the
emulator is reset before every target, so ``delete`` only tidies up.
"""

import json
import sys

import boto3


def clients(endpoint):
    options = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    return boto3.client("ec2", **options), boto3.client("elbv2", **options)


def create(endpoint, prefix):
    ec2, elbv2 = clients(endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.77.{index}.0/24", AvailabilityZone=f"us-east-1{zone}")["Subnet"]["SubnetId"]
        for index, zone in enumerate("abc")
    ]
    groups = [
        ec2.create_security_group(GroupName=f"{prefix}-{name}", Description="Tasks of the integration service", VpcId=vpc)["GroupId"]
        for name in ("tasks", "tasks-alt")
    ]
    target_groups = [
        elbv2.create_target_group(
            Name=f"{prefix}-{name}", Protocol="HTTP", Port=8000, VpcId=vpc, TargetType=target_type
        )["TargetGroups"][0]["TargetGroupArn"]
        for name, target_type in (("blue", "ip"), ("green", "ip"), ("inst", "instance"))
    ]
    print(json.dumps({"vpc_id": vpc, "subnet_ids": subnets, "group_ids": groups, "target_group_arns": target_groups}))


def delete(endpoint, fixture):
    ec2, elbv2 = clients(endpoint)
    for arn in fixture["target_group_arns"]:
        elbv2.delete_target_group(TargetGroupArn=arn)
    for group in fixture["group_ids"]:
        ec2.delete_security_group(GroupId=group)
    for subnet in fixture["subnet_ids"]:
        ec2.delete_subnet(SubnetId=subnet)
    ec2.delete_vpc(VpcId=fixture["vpc_id"])


if __name__ == "__main__":
    if sys.argv[1] == "create":
        create(sys.argv[2], sys.argv[3])
    else:
        delete(sys.argv[2], json.loads(sys.argv[3]))
