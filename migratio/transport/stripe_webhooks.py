"""POST /webhooks/stripe: Stripe's events, the source of truth of subscriptions.

The body is verified against `Stripe-Signature` with each configured secret in turn (rotation) and the
timestamp tolerance; a bad signature is 400 and stores nothing. A verified event is stored once by its id,
merged into the subscription it describes, then marked applied; a repeat of a marked event answers 200 and
changes nothing, a repeat of one stored but never marked (a crash in between) applies it."""

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from datasources.stripe_billing import InvalidSignature, verified_event
from domain.billing.service import Billing
from migratio.settings import Settings

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 512 * 1024  # Stripe's events are a few KB


class StripeWebhook:
    def __init__(self, settings: Settings, billing: Billing) -> None:
        self.billing = billing
        self.secrets = [secret.get_secret_value() for secret in settings.stripe_webhook_secrets]
        self.tolerance_s = settings.stripe_webhook_tolerance_s

    async def handle(self, request: Request) -> JSONResponse:
        payload = await request.body()
        if len(payload) > MAX_BODY_BYTES:
            return JSONResponse({"error": "body too large"}, status_code=413)
        try:
            event = verified_event(payload, request.headers.get("stripe-signature"), self.secrets, self.tolerance_s)
        except InvalidSignature as error:
            log.warning("stripe webhook refused: %s", error)
            return JSONResponse({"error": "invalid signature"}, status_code=400)
        applied = await self.billing.receive(event)
        return JSONResponse({"received": True, "duplicate": not applied})
