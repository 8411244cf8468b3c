#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: account_info
version_added: 0.2.0
short_description: Read the AWS account, partition and region the connection reaches
description:
  - Reads the identity of the credentials in use with C(sts:GetCallerIdentity), which needs no IAM
    permission, so roles can name account-wide unique resources (S3 buckets) and write ARNs without guessing.
  - Reads only; runs the same in check mode.
author:
  - faith.ops maintainers (@faith-ops)
options: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Read the account the stack is deployed to
  faith.ops.account_info:
  register: account
"""

RETURN = r"""
account_id:
  description: The 12-digit account id.
  returned: always
  type: str
  sample: "123456789012"
partition:
  description: The partition of the account (V(aws), V(aws-cn), V(aws-us-gov)).
  returned: always
  type: str
  sample: aws
region:
  description: The region of the connection.
  returned: always
  type: str
  sample: us-east-1
caller_arn:
  description: ARN of the calling principal.
  returned: always
  type: str
  sample: arn:aws:iam::123456789012:user/deployer
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.sts import api


def read(module):
    identity = api.caller_identity(module.client("sts"))
    return {
        "changed": False,
        "account_id": identity["Account"],
        "partition": identity["Arn"].split(":")[1],
        "region": module.region,
        "caller_arn": identity["Arn"],
    }


def main():
    module = FaithAWSModule(argument_spec={})
    module.run(read)


if __name__ == "__main__":
    main()
