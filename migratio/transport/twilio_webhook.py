"""POST /webhooks/twilio: Twilio's message status callbacks and incoming texts (STOP/START), each checked
against Twilio's X-Twilio-Signature before anything is read into the store; a bad signature is 400."""

import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from domain.notifications.model import SendStatus
from migratio.wiring.notifications import NotificationArea

log = logging.getLogger("migratio.transport.twilio_webhook")

STATUSES = {
    "delivered": SendStatus.DELIVERED,
    "failed": SendStatus.FAILED,
    "undelivered": SendStatus.FAILED,
}
MAX_FORM_BYTES = 16 * 1024
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def twilio_webhook(area: NotificationArea) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
            return Response("too large", status_code=413)
        form = await request.form()
        params = {key: str(value) for key, value in form.items()}
        url = area.webhook_url or str(request.url)
        if not area.twilio_signature.valid(url, params, request.headers.get("x-twilio-signature")):
            log.warning("twilio webhook refused: bad or missing signature")
            return Response("bad signature", status_code=400)
        if "MessageStatus" in params and "Body" not in params:
            status = STATUSES.get(params["MessageStatus"])
            if status is not None and params.get("MessageSid"):
                await area.notifications.provider_status(params["MessageSid"], status, params.get("ErrorCode"))
            return Response(status_code=204)
        if "Body" in params and params.get("From"):
            await area.phones.inbound_text(params["From"], params["Body"])
        return Response(EMPTY_TWIML, media_type="application/xml")

    return endpoint
