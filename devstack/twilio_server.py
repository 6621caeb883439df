"""A local server that speaks Twilio's Messages API and posts webhooks signed as Twilio signs them.

Checks what Twilio checks: HTTP basic auth with the account SID and auth token (and the SID in the path),
the form fields To, From, Body and StatusCallback, E.164 numbers, the 1,600-character body limit, sends to a
number that texted STOP (error 21610). It records every accepted message for tests to read, and on request
posts a status callback or an incoming text (STOP/START) signed with X-Twilio-Signature.

Run: python -m devstack.twilio_server --port 9471 --account-sid AC… --auth-token … --from +15005550006

Test hooks (under /_fake/, not Twilio's): GET messages?to=, POST fail {to, times}, POST status {sid, status,
url?}, POST inbound {from, body, url}.
"""

import argparse
import base64
import re
import secrets
import threading
from datetime import UTC, datetime
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from twilio.request_validator import RequestValidator

E164 = re.compile(r"^\+[1-9]\d{1,14}$")
MAX_BODY = 1600
STOP = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"}
START = {"START", "YES", "UNSTOP", "OPTIN"}


def _error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status},
        status_code=status,
    )


class FakeTwilio:
    def __init__(self, account_sid: str, auth_token: str, sender: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sender = sender
        self.validator = RequestValidator(auth_token)
        self.messages: list[dict[str, Any]] = []
        self.failing: dict[str, int] = {}  # number -> sends still to refuse with a 500
        self.opted_out: set[str] = set()
        self.lock = threading.Lock()

    def _authorised(self, request: Request, account: str) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        ok = secrets.compare_digest(user, self.account_sid) and secrets.compare_digest(password, self.auth_token)
        return ok and account == self.account_sid

    async def create_message(self, request: Request) -> JSONResponse:
        account = request.path_params["account"]
        if not self._authorised(request, account):
            return _error(401, 20003, "Authenticate")
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return _error(400, 20001, "Expected a form-encoded body")
        form = dict(await request.form())
        to, sender, body = (str(form.get(k, "")) for k in ("To", "From", "Body"))
        callback = str(form.get("StatusCallback", ""))
        if not to:
            return _error(400, 21604, "A 'To' phone number is required.")
        if not E164.match(to):
            return _error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if not sender and not form.get("MessagingServiceSid"):
            return _error(400, 21603, "A 'From' phone number is required.")
        if sender and sender != self.sender:
            return _error(400, 21606, f"The From phone number {sender} is not a valid, SMS-capable inbound number")
        if not body:
            return _error(400, 21602, "Message body is required.")
        if len(body) > MAX_BODY:
            return _error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        if callback and not re.match(r"^https?://", callback):
            return _error(400, 21609, "Invalid StatusCallback URL")
        with self.lock:
            if to in self.opted_out:
                return _error(400, 21610, "Attempt to send to unsubscribed recipient")
            if self.failing.get(to, 0) > 0:
                self.failing[to] -= 1
                return _error(500, 20500, "Internal Server Error")
            sid = "SM" + secrets.token_hex(16)
            now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
            message = {
                "sid": sid,
                "account_sid": account,
                "to": to,
                "from": sender,
                "body": body,
                "status": "queued",
                "num_segments": str(-(-len(body) // 160)),
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "date_created": now,
                "date_updated": now,
                "date_sent": None,
                "price": None,
                "error_code": None,
                "error_message": None,
                "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
                "status_callback": callback or None,
            }
            self.messages.append(message)
        return JSONResponse(message, status_code=201)

    async def recorded(self, request: Request) -> JSONResponse:
        to = request.query_params.get("to")
        with self.lock:
            found = [m for m in self.messages if to is None or m["to"] == to]
        return JSONResponse(found)

    async def fail(self, request: Request) -> JSONResponse:
        data = await request.json()
        with self.lock:
            self.failing[str(data["to"])] = int(data.get("times", 1000))
        return JSONResponse({"ok": True})

    async def _post_signed(self, url: str, params: dict[str, str]) -> int:
        signature = self.validator.compute_signature(url, params)
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.post(url, data=params, headers={"X-Twilio-Signature": signature})
        return answer.status_code

    async def status(self, request: Request) -> JSONResponse:
        """Post a status callback for an accepted message, as Twilio does when its status changes."""
        data = await request.json()
        with self.lock:
            message = next((m for m in self.messages if m["sid"] == data["sid"]), None)
        if message is None:
            return JSONResponse({"error": "no such message"}, status_code=404)
        url = data.get("url") or message["status_callback"]
        params = {
            "MessageSid": message["sid"],
            "SmsSid": message["sid"],
            "AccountSid": self.account_sid,
            "From": message["from"],
            "To": message["to"],
            "MessageStatus": str(data["status"]),
            "SmsStatus": str(data["status"]),
            "ApiVersion": "2010-04-01",
        }
        if data.get("error_code"):
            params["ErrorCode"] = str(data["error_code"])
        message["status"] = str(data["status"])
        return JSONResponse({"answered": await self._post_signed(url, params)})

    async def inbound(self, request: Request) -> JSONResponse:
        """A text from a phone to our number; STOP/START also change who Twilio itself will text."""
        data = await request.json()
        sender, body = str(data["from"]), str(data["body"])
        params = {
            "MessageSid": "SM" + secrets.token_hex(16),
            "AccountSid": self.account_sid,
            "From": sender,
            "To": self.sender,
            "Body": body,
            "NumMedia": "0",
            "ApiVersion": "2010-04-01",
        }
        word = body.strip().upper()
        with self.lock:
            if word in STOP:
                self.opted_out.add(sender)
                params["OptOutType"] = "STOP"
            elif word in START:
                self.opted_out.discard(sender)
                params["OptOutType"] = "START"
        return JSONResponse({"answered": await self._post_signed(str(data["url"]), params)})

    async def health(self, request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/2010-04-01/Accounts/{account}/Messages.json", self.create_message, methods=["POST"]),
                Route("/_fake/messages", self.recorded),
                Route("/_fake/fail", self.fail, methods=["POST"]),
                Route("/_fake/status", self.status, methods=["POST"]),
                Route("/_fake/inbound", self.inbound, methods=["POST"]),
                Route("/_fake/health", self.health),
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="Local Twilio Messages API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--account-sid", required=True)
    parser.add_argument("--auth-token", required=True)
    parser.add_argument("--from", dest="sender", required=True)
    args = parser.parse_args()
    fake = FakeTwilio(args.account_sid, args.auth_token, args.sender)
    uvicorn.run(fake.app(), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
