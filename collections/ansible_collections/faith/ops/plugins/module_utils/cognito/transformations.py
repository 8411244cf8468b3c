# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure functions for cognito_user_pool: validation, requests, and comparable views.

UpdateUserPool and UpdateUserPoolClient reset every setting a request leaves out to its
default. So an update request is the desired settings plus, copied from the current
description, every updatable setting this module does not manage (e-mail and SMS
configuration, Lambda triggers, messages...): nothing configured elsewhere is lost.
"""

from __future__ import annotations

import re

from ..validation import OptionError

POOL_NAME = re.compile(r"^[\w\s+=,.@-]{1,128}$")
CLIENT_NAME = re.compile(r"^[\w\s+=,.@-]{1,128}$")
AUTH_FLOWS = (
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
)
VERIFIED_ATTRIBUTES = ("email", "phone_number")

# Updatable pool settings this module does not manage: carried over on every update.
POOL_CARRY_OVER = (
    "LambdaConfig",
    "MfaConfiguration",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolAddOns",
    "AdminCreateUserConfig",
    "AccountRecoverySetting",
    "VerificationMessageTemplate",
    "UserAttributeUpdateSettings",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "SmsVerificationMessage",
    "SmsAuthenticationMessage",
    "UserPoolTier",
)
# Likewise for the app client (OAuth settings, attributes, analytics...).
CLIENT_CARRY_OVER = (
    "ReadAttributes",
    "WriteAttributes",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
)
# What each token validity is counted in when TokenValidityUnits does not say (AWS defaults).
DEFAULT_UNITS = {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"}
MINUTES_PER = {"seconds": 1 / 60, "minutes": 1, "hours": 60, "days": 24 * 60}

PASSWORD_DEFAULTS = {
    "minimum_length": 12,
    "require_uppercase": True,
    "require_lowercase": True,
    "require_numbers": True,
    "require_symbols": True,
    "temporary_password_validity_days": 7,
}


def _in_range(option, value, low, high, unit=""):
    if value is not None and not low <= value <= high:
        raise OptionError(option, f"{value}{unit} is outside {low} to {high}{unit}")


def password_policy(params):
    """The password policy with defaults filled in."""
    given = params.get("password_policy") or {}
    return {key: given.get(key) if given.get(key) is not None else default for key, default in PASSWORD_DEFAULTS.items()}


def validate(params):
    """Refuse, before any API call, what Cognito would refuse (the emulator accepts it all)."""
    if not POOL_NAME.match(params["name"] or ""):
        raise OptionError("name", f"{params['name']!r} must be 1 to 128 letters, digits, spaces or + = , . @ - _")
    if params["state"] == "absent":
        return
    policy = password_policy(params)
    _in_range("password_policy.minimum_length", policy["minimum_length"], 6, 99)
    _in_range("password_policy.temporary_password_validity_days", policy["temporary_password_validity_days"], 0, 365, " days")
    for attribute in params.get("auto_verified_attributes") or []:
        if attribute not in VERIFIED_ATTRIBUTES:
            raise OptionError("auto_verified_attributes", f"{attribute!r} is not one of {', '.join(VERIFIED_ATTRIBUTES)}")
    client = params.get("client")
    if not client:
        return
    if not CLIENT_NAME.match(client["name"] or ""):
        raise OptionError("client.name", f"{client['name']!r} must be 1 to 128 letters, digits, spaces or + = , . @ - _")
    for flow in client.get("explicit_auth_flows") or []:
        if flow not in AUTH_FLOWS:
            raise OptionError("client.explicit_auth_flows", f"{flow!r} is not one of {', '.join(AUTH_FLOWS)}")
    # Cognito's limits: ID and access tokens 5 minutes to 1 day, refresh tokens 1 hour to 10 years.
    _in_range("client.id_token_validity_minutes", client.get("id_token_validity_minutes"), 5, 1440, " minutes")
    _in_range("client.access_token_validity_minutes", client.get("access_token_validity_minutes"), 5, 1440, " minutes")
    _in_range("client.refresh_token_validity_days", client.get("refresh_token_validity_days"), 1, 3650, " days")


def _policy_request(policy):
    return {
        "PasswordPolicy": {
            "MinimumLength": policy["minimum_length"],
            "RequireUppercase": policy["require_uppercase"],
            "RequireLowercase": policy["require_lowercase"],
            "RequireNumbers": policy["require_numbers"],
            "RequireSymbols": policy["require_symbols"],
            "TemporaryPasswordValidityDays": policy["temporary_password_validity_days"],
        }
    }


def create_pool_request(params, tags):
    """CreateUserPool parameters for the declared pool."""
    request = {
        "PoolName": params["name"],
        "Policies": _policy_request(password_policy(params)),
        "AutoVerifiedAttributes": sorted(params["auto_verified_attributes"]),
        "DeletionProtection": "ACTIVE" if params["deletion_protection"] else "INACTIVE",
        # Sign-in with the e-mail address as the user name; fixed once the pool exists.
        "UsernameAttributes": ["email"],
    }
    if tags:
        request["UserPoolTags"] = dict(tags)
    return request


def update_pool_request(current, params, tags, deletion_protection=None):
    """UpdateUserPool parameters: declared settings plus the current unmanaged ones."""
    request = {key: current[key] for key in POOL_CARRY_OVER if current.get(key) not in (None, {}, [])}
    protected = params["deletion_protection"] if deletion_protection is None else deletion_protection
    request.update(
        {
            "UserPoolId": current["Id"],
            "Policies": _policy_request(password_policy(params)) if params["state"] == "present" else current.get("Policies", {}),
            "AutoVerifiedAttributes": sorted(params["auto_verified_attributes"] or [])
            if params["state"] == "present"
            else current.get("AutoVerifiedAttributes", []),
            "DeletionProtection": "ACTIVE" if protected else "INACTIVE",
            "UserPoolTags": dict(tags),
        }
    )
    return request


def pool_view(description):
    """The managed settings of a described pool, for comparison and diff."""
    if not description:
        return {}
    policy = (description.get("Policies") or {}).get("PasswordPolicy") or {}
    return {
        "name": description.get("Name"),
        "password_policy": {
            "minimum_length": policy.get("MinimumLength", 8),
            "require_uppercase": bool(policy.get("RequireUppercase", False)),
            "require_lowercase": bool(policy.get("RequireLowercase", False)),
            "require_numbers": bool(policy.get("RequireNumbers", False)),
            "require_symbols": bool(policy.get("RequireSymbols", False)),
            "temporary_password_validity_days": policy.get("TemporaryPasswordValidityDays", 7),
        },
        "auto_verified_attributes": sorted(description.get("AutoVerifiedAttributes") or []),
        "deletion_protection": description.get("DeletionProtection") == "ACTIVE",
        "tags": dict(description.get("UserPoolTags") or {}),
    }


def desired_pool_view(params, tags):
    """The view the declared options describe."""
    return {
        "name": params["name"],
        "password_policy": password_policy(params),
        "auto_verified_attributes": sorted(params["auto_verified_attributes"]),
        "deletion_protection": bool(params["deletion_protection"]),
        "tags": dict(tags),
    }


def client_settings(client):
    """The declared app client settings with defaults filled in."""
    flows = client.get("explicit_auth_flows")
    return {
        "name": client["name"],
        "explicit_auth_flows": sorted(flows if flows is not None else ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
        "id_token_validity_minutes": client.get("id_token_validity_minutes") or 60,
        "access_token_validity_minutes": client.get("access_token_validity_minutes") or 60,
        "refresh_token_validity_days": client.get("refresh_token_validity_days") or 30,
        "prevent_user_existence_errors": client.get("prevent_user_existence_errors", True) is not False,
    }


def client_request(pool_id, settings, current=None):
    """CreateUserPoolClient / UpdateUserPoolClient parameters (with the current unmanaged
    settings carried over on an update)."""
    request = {key: current[key] for key in CLIENT_CARRY_OVER if current and current.get(key) not in (None, {}, [])}
    request.update(
        {
            "UserPoolId": pool_id,
            "ClientName": settings["name"],
            "ExplicitAuthFlows": settings["explicit_auth_flows"],
            "IdTokenValidity": settings["id_token_validity_minutes"],
            "AccessTokenValidity": settings["access_token_validity_minutes"],
            "RefreshTokenValidity": settings["refresh_token_validity_days"],
            "TokenValidityUnits": {"IdToken": "minutes", "AccessToken": "minutes", "RefreshToken": "days"},
            "PreventUserExistenceErrors": "ENABLED" if settings["prevent_user_existence_errors"] else "LEGACY",
        }
    )
    if current:
        request["ClientId"] = current["ClientId"]
    return request


def _validity(description, key, default, unit_key, wanted_unit):
    value = description.get(key)
    if value is None:
        return default
    unit = (description.get("TokenValidityUnits") or {}).get(unit_key) or DEFAULT_UNITS[unit_key]
    if wanted_unit == "days":
        return round(value * MINUTES_PER[unit] / MINUTES_PER["days"], 4)
    return round(value * MINUTES_PER[unit], 4)


def client_view(description):
    """The managed settings of a described app client, validities in minutes/days whatever
    unit AWS keeps them in."""
    if not description:
        return {}
    return {
        "name": description.get("ClientName"),
        "explicit_auth_flows": sorted(description.get("ExplicitAuthFlows") or []),
        # Cognito's defaults when a client was made without them: 60 minutes, 30 days.
        "id_token_validity_minutes": _validity(description, "IdTokenValidity", 60, "IdToken", "minutes"),
        "access_token_validity_minutes": _validity(description, "AccessTokenValidity", 60, "AccessToken", "minutes"),
        "refresh_token_validity_days": _validity(description, "RefreshTokenValidity", 30, "RefreshToken", "days"),
        "prevent_user_existence_errors": description.get("PreventUserExistenceErrors") == "ENABLED",
    }


def issuer(region, pool_id):
    """The ``iss`` of the pool's tokens, and the base of its JWKS URL."""
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
