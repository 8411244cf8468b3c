"""Create the network, load balancer and target group the autoscaled service sits behind.

One process instead of a stock module call per resource keeps the target fast; the
emulator is reset before every target, so nothing needs deleting afterwards.
"""

import json
import sys

import boto3

endpoint, prefix = sys.argv[1], sys.argv[2]
options = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
ec2, elbv2 = boto3.client("ec2", **options), boto3.client("elbv2", **options)
vpc = ec2.create_vpc(CidrBlock="10.78.0.0/16")["Vpc"]["VpcId"]
subnets = [
    ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.78.{index}.0/24", AvailabilityZone=f"us-east-1{zone}")["Subnet"]["SubnetId"]
    for index, zone in enumerate("ab")
]
group = ec2.create_security_group(GroupName=f"{prefix}-tasks", Description="Tasks of the integration service", VpcId=vpc)["GroupId"]
target_group = elbv2.create_target_group(Name=f"{prefix}-blue", Protocol="HTTP", Port=8000, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
balancer = elbv2.create_load_balancer(Name=f"{prefix}-alb", Subnets=subnets, SecurityGroups=[group], Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
elbv2.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group}])
print(json.dumps({"subnet_ids": subnets, "group_id": group, "target_group_arn": target_group, "load_balancer_arn": balancer}))
