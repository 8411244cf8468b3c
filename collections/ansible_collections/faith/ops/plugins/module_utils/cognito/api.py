# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cognito user pool calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

from ..base import aws_action

# ListUserPools and ListUserPoolClients take at most 60 per page.
PAGE_SIZE = 60


@aws_action("list user pools")
def list_user_pools(client):
    """Every user pool of the account and region (id and name)."""
    pools = []
    for page in client.get_paginator("list_user_pools").paginate(PaginationConfig={"PageSize": PAGE_SIZE}):
        pools.extend(page.get("UserPools", []))
    return pools


@aws_action("describe user pool")
def describe_user_pool(client, pool_id):
    return client.describe_user_pool(UserPoolId=pool_id)["UserPool"]


@aws_action("create user pool")
def create_user_pool(client, request):
    return client.create_user_pool(**request)["UserPool"]


@aws_action("update user pool")
def update_user_pool(client, request):
    client.update_user_pool(**request)


@aws_action("delete user pool")
def delete_user_pool(client, pool_id):
    client.delete_user_pool(UserPoolId=pool_id)


@aws_action("list user pool clients")
def list_user_pool_clients(client, pool_id):
    clients = []
    for page in client.get_paginator("list_user_pool_clients").paginate(
        UserPoolId=pool_id, PaginationConfig={"PageSize": PAGE_SIZE}
    ):
        clients.extend(page.get("UserPoolClients", []))
    return clients


@aws_action("describe user pool client")
def describe_user_pool_client(client, pool_id, client_id):
    return client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]


@aws_action("create user pool client")
def create_user_pool_client(client, request):
    return client.create_user_pool_client(**request)["UserPoolClient"]


@aws_action("update user pool client")
def update_user_pool_client(client, request):
    client.update_user_pool_client(**request)
