"""SMS through Twilio's Messages API with the official `twilio` library, and the check of Twilio's webhook
signature (its RequestValidator: HMAC-SHA1 of the URL and the sorted form fields, keyed by the auth token).

`base_url` points the library's Api domain elsewhere (the local stack's Twilio server); production leaves it
at https://api.twilio.com."""

from collections.abc import Mapping

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

API_BASE = "https://api.twilio.com"


class TwilioSms:
    def __init__(self, account_sid: str, auth_token: str, sender: str, base_url: str, timeout_s: float) -> None:
        self.sender = sender
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.base_url = base_url.rstrip("/") or API_BASE
        self.timeout_s = timeout_s

    def _client(self) -> Client:
        # an aiohttp session is bound to its event loop: one client per send (texts are few)
        http = AsyncTwilioHttpClient(timeout=self.timeout_s)
        client = Client(self.account_sid, self.auth_token, http_client=http)
        client.api.base_url = self.base_url
        return client

    async def send_sms(self, to: str, body: str, status_callback: str | None) -> str:
        client = self._client()
        try:
            kwargs = {"status_callback": status_callback} if status_callback else {}
            message = await client.messages.create_async(to=to, from_=self.sender, body=body, **kwargs)
        finally:
            await client.http_client.close()  # type: ignore[attr-defined]
        return str(message.sid)


class TwilioSignature:
    def __init__(self, auth_token: str) -> None:
        self.validator = RequestValidator(auth_token)

    def valid(self, url: str, params: Mapping[str, str], signature: str | None) -> bool:
        if not signature:
            return False
        return bool(self.validator.validate(url, dict(params), signature))
