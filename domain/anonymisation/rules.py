"""What an anonymised copy does with every field of every collection the app writes. A collection missing here
stops the copy (nothing is copied raw), and so does a field no rule covers. A pattern is a dotted path whose
`*` matches any one key; list items sit at their list's path; the longest matching pattern wins (a named key
over `*`). Each `<collection>_revisions` (the claims of atomic.py's Versioned) follows its collection's rules:
a claim's value is handled as the field it sets."""

from enum import StrEnum


class Action(StrEnum):
    KEEP = "keep"
    DROP = "drop"  # free text and secrets that may be absent: None, {} or []
    REDACT = "redact"  # free text the app requires: a fixed word
    EMAIL = "email"
    NAME = "name"
    PHONE = "phone"
    IP = "ip"
    BIRTH_DATE = "birth_date"  # ISO text or a datetime
    ADDRESS = "address"  # where a notification went: an e-mail, a phone number or a device token
    PSEUDONYM = "pseudonym"  # secrets looked up by value (token hashes, key hashes) and outside subject ids
    PSEUDONYM_AFTER_KIND = "pseudonym_after_kind"  # `kind:secret` keys: the kind kept
    OUTSIDE_ID = "outside_id"  # Stripe ids (`cus_…`, `sub_…`, `evt_…`); other values (numbers) kept
    UNUSABLE_PASSWORD = "unusable_password"
    SEALED_BIRTH_DATE = "sealed_birth_date"  # field-cipher text: opened with the source key, faked, sealed anew
    SEALED_PASSPORT = "sealed_passport"


REVISIONS_SUFFIX = "_revisions"  # datasources.mongo.atomic.CLAIMS_SUFFIX
REDACTED = "redacted"
UNUSABLE_PASSWORD_HASH = "!anonymised-copy"  # no argon2 hash: every password check fails

KEEP_ALL = {"*": Action.KEEP}


def _keep(names: str, under: str = "") -> dict[str, Action]:
    return {under + name: Action.KEEP for name in names.split()}


_DATES_OF_BIRTH = {"birth_date": Action.BIRTH_DATE, "partner_birth_date": Action.BIRTH_DATE}

COLLECTIONS: dict[str, dict[str, Action]] = {
    "_migrations": KEEP_ALL,
    "_migration_lock": KEEP_ALL,
    "countries": KEEP_ALL,  # the catalog: no person in it (updated_by is an account id)
    "programs": KEEP_ALL,
    "program_versions": KEEP_ALL,
    "users": {
        "_id": Action.KEEP,
        "email": Action.EMAIL,
        "name": Action.NAME,
        "password_hash": Action.UNUSABLE_PASSWORD,
        "date_of_birth_enc": Action.SEALED_BIRTH_DATE,
        "passport_number_enc": Action.SEALED_PASSPORT,
        "mfa.secret_enc": Action.DROP,
        "mfa.pending_secret_enc": Action.DROP,
        "mfa.recovery_code_hashes": Action.DROP,
        "mfa.last_step": Action.KEEP,
        **_keep("locale created_at role email_verified_at photo_key preferences advisor_id revision"),
        **_keep("deletion_requested_at purge_after"),
    },
    "refresh_sessions": {
        "token_hash": Action.PSEUDONYM,
        "ip": Action.IP,
        "user_agent": Action.DROP,
        **_keep("_id user_id family_id created_at expires_at used_at revoked_at"),
    },
    "one_time_tokens": {
        "_id": Action.PSEUDONYM,  # the token's hash
        "purpose": Action.KEEP,
        "user_id": Action.KEEP,
        "expires_at": Action.KEEP,
    },
    "spent": {"_id": Action.PSEUDONYM_AFTER_KIND, "at": Action.KEEP, "expires_at": Action.KEEP},
    "api_keys": {
        "name": Action.REDACT,
        "prefix": Action.OUTSIDE_ID,
        "key_hash": Action.PSEUDONYM,
        **_keep("_id scopes created_by created_at revoked_at revision"),
    },
    "audit_events": {
        "ip": Action.IP,
        **_keep("_id at kind user_id"),
        # what the identity use cases record: ids, enumerated words, an ISO time, a count
        **_keep("provider by session role reason purge_after key mfa advisor factor via remaining", under="details."),
    },
    "oauth_identities": {
        "_id": Action.PSEUDONYM_AFTER_KIND,  # provider:subject
        "subject": Action.PSEUDONYM,
        "email": Action.EMAIL,
        **_keep("provider user_id linked_at"),
    },
    "assessments": {
        "answers": Action.KEEP,  # choices, numbers, dates, countries and codes: the bank has no free-text question
        **{f"answers.{question}.value": action for question, action in _DATES_OF_BIRTH.items()},
        "token_hash": Action.PSEUDONYM,  # the anonymous resume token's hash
        **_keep("_id owner_id bank_version created_at updated_at completed_at status latest_snapshot_id revision"),
    },
    "profile_snapshots": {
        "answers": Action.KEEP,
        **{f"answers.{question}": action for question, action in _DATES_OF_BIRTH.items()},
        "profile": Action.KEEP,
        "profile.birth_date": Action.BIRTH_DATE,
        "profile.partner.birth_date": Action.BIRTH_DATE,
        "supplement": Action.KEEP,
        **_keep("_id assessment_id owner_id created_at bank_version"),
    },
    # plans built from the catalog and the profile: steps, milestones and checklists are the catalog's text
    "roadmaps": _keep(
        "_id owner_id program_slug program_name country start_date snapshot_id countries_lived_in milestones checklist"
        " created_at"
    ),
    "roadmap_tasks": _keep(
        "_id roadmap_id owner_id position key step status due_on updated_at reminded_at reminder_claimed_at revision"
    ),
    "documents": {
        "rejection_reason": Action.DROP,  # a reviewer's words
        **_keep("_id owner_id category object_key content_type size status"),
        **_keep("uploaded_at updated_at reviewer_id version etag sha256 reviewed_version revision"),
    },
    "reports": {
        "error": Action.DROP,
        **_keep("_id owner_id roadmap_id job_id status created_at object_key size completed_at revision"),
    },
    "jobs": {
        "error": Action.DROP,
        **_keep("_id owner_id kind subject_id status progress message attempts revision created_at updated_at"),
    },
    "job_heartbeats": _keep("_id at"),
    "notification_preferences": _keep("_id channels updated_at"),
    "notification_sends": {
        "address": Action.ADDRESS,
        # what was said (text about the person) and its links (single-use tokens)
        "message.title": Action.REDACT,
        "message.body": Action.REDACT,
        "message.link": Action.DROP,
        "message.deep_link": Action.DROP,
        "message.data": Action.DROP,
        "message.kind": Action.KEEP,
        "provider_id": Action.PSEUDONYM,
        "error": Action.DROP,
        **_keep("_id user_id kind channel status created_at updated_at attempts capped revision"),
    },
    "phone_numbers": {"_id": Action.KEEP, "e164": Action.PHONE, "verified_at": Action.KEEP},
    "phone_challenges": {
        "e164": Action.PHONE,
        "code_hash": Action.PSEUDONYM,
        **_keep("_id challenge_id expires_at"),
    },
    "sms_opt_outs": {"_id": Action.PHONE, **_keep("opted_out at revision")},
    "push_devices": {
        "_id": Action.PSEUDONYM,  # the device's push token
        **_keep("device_id user_id platform registered_at"),
    },
    "sms_second_factor": _keep("_id enabled"),
    "sms_sign_in_codes": {
        "code_hash": Action.PSEUDONYM,
        **_keep("_id user_id expires_at"),
    },
    "analytics_consent": _keep("_id analytics country updated_at"),  # a choice and a residence country
    "billing_accounts": {
        "customer_id": Action.OUTSIDE_ID,
        "subscription_id": Action.OUTSIDE_ID,
        **_keep("_id revision"),
    },
    "billing_subscriptions": {
        "_id": Action.OUTSIDE_ID,
        "customer_id": Action.OUTSIDE_ID,
        # (event time, rank, event id): the id faked as the event's own is
        **{f"{name}_stamp": Action.OUTSIDE_ID for name in ("status", "choice", "terms")},
        **_keep("owner_id status status_since choice cancel_at_period_end trial_end current_period_end revision"),
    },
    "billing_events": {
        "_id": Action.OUTSIDE_ID,
        "subscription_id": Action.OUTSIDE_ID,
        "payload": Action.DROP,  # Stripe's event: the customer's e-mail, name and address
        **_keep("type created received_at"),
    },
    "billing_quota": _keep("_id owner_id at"),
}
