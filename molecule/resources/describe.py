#!/usr/bin/env python3
"""Print one AWS API call's response from the scenario's emulator as JSON, for verify playbooks.

Verification reads through boto3 directly rather than through the collection's own info modules,
so a scenario does not check a module with itself:

    describe.py REGION SERVICE OPERATION [KEY=JSON ...]
    describe.py us-east-1 elbv2 describe_load_balancers 'Names=["faith-chatbot-local-alb"]'
"""

from __future__ import annotations

import json
import os
import sys

import boto3


def main(region: str, service: str, operation: str, *params: str) -> None:
    client = boto3.client(
        service,
        region_name=region,
        endpoint_url=f"http://127.0.0.1:{os.environ.get('FAITH_LOCAL_AWS_PORT', '5620')}",
        # The emulator accepts any credentials; these keep boto3 from looking for real ones.
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106
    )
    kwargs = {}
    for param in params:
        key, _, value = param.partition("=")
        kwargs[key] = json.loads(value)
    response = getattr(client, operation)(**kwargs)
    response.pop("ResponseMetadata", None)
    json.dump(response, sys.stdout, default=str)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
