"""A local server that speaks FCM's HTTP v1 send API and Google's OAuth 2.0 token endpoint.

It checks what Google checks: a token request is a JWT-bearer grant whose assertion is signed (RS256) by the
service account's key (kid, iss, aud = Google's token endpoint, a messaging scope, at most an hour long); a send
carries a bearer token it issued, names the service account's project, and holds one valid message (exactly
one of token/topic/condition, string-only data without reserved keys, at most 4,096 bytes of payload). A
token no device holds answers 404 with FCM's UNREGISTERED error code. Accepted messages are recorded.

Run: python -m devstack.fcm_server --port 9472 --credentials .stack/data/fcm/service-account.json

Test hooks (under /_fake/, not Google's): POST devices → a new registration token (as the app's SDK gets
one), DELETE devices/{token} (the app was removed), GET messages?token=.
"""

import argparse
import json
import secrets
import threading
import time
from pathlib import Path
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPES = {"https://www.googleapis.com/auth/firebase.messaging", "https://www.googleapis.com/auth/cloud-platform"}
MAX_PAYLOAD = 4096
RESERVED_DATA = {"from", "notification", "message_type"}
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"  # google-auth's `aud`, whatever the token_uri
FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"


def _google_error(status: int, name: str, message: str, fcm_code: str | None = None) -> JSONResponse:
    error: dict[str, Any] = {"code": status, "message": message, "status": name}
    if fcm_code:
        error["details"] = [{"@type": FCM_ERROR, "errorCode": fcm_code}]
    return JSONResponse({"error": error}, status_code=status)


def new_service_account(project_id: str, token_uri: str) -> dict[str, str]:
    """A service-account key file like the one Firebase's console hands out, with a fresh RSA key."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return {
        "type": "service_account",
        "project_id": project_id,
        "private_key_id": secrets.token_hex(20),
        "private_key": pem,
        "client_email": f"firebase-adminsdk-local@{project_id}.iam.gserviceaccount.com",
        "client_id": str(secrets.randbelow(10**20)),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "universe_domain": "googleapis.com",
    }


class FakeFcm:
    def __init__(self, account: dict[str, str]) -> None:
        self.account = account
        private = serialization.load_pem_private_key(account["private_key"].encode(), password=None)
        self.public_key = private.public_key()
        self.access_tokens: dict[str, float] = {}  # token -> expiry
        self.devices: set[str] = set()
        self.messages: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    async def token(self, request: Request) -> JSONResponse:
        form = await request.form()
        if form.get("grant_type") != JWT_BEARER:
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        assertion = str(form.get("assertion", ""))
        try:
            header = jwt.get_unverified_header(assertion)
            claims = jwt.decode(
                assertion,
                self.public_key,  # type: ignore[arg-type]
                algorithms=["RS256"],
                audience=GOOGLE_TOKEN_AUDIENCE,
                issuer=self.account["client_email"],
                options={"require": ["iss", "aud", "iat", "exp"]},
            )
        except jwt.PyJWTError as error:
            return JSONResponse({"error": "invalid_grant", "error_description": str(error)}, status_code=400)
        if header.get("kid") != self.account["private_key_id"]:
            return JSONResponse({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}, 400)
        if int(claims["exp"]) - int(claims["iat"]) > 3600:
            return JSONResponse({"error": "invalid_grant", "error_description": "Invalid JWT: exp too far"}, 400)
        if not SCOPES & set(str(claims.get("scope", "")).split()):
            return JSONResponse({"error": "invalid_scope", "error_description": "no messaging scope"}, 400)
        access = "ya29.local-" + secrets.token_urlsafe(24)
        with self.lock:
            self.access_tokens[access] = time.time() + 3600
        return JSONResponse({"access_token": access, "expires_in": 3599, "token_type": "Bearer"})

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        with self.lock:
            return self.access_tokens.get(token, 0) > time.time()

    async def send(self, request: Request) -> JSONResponse:
        if not self._authorised(request):
            return _google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        project = request.path_params["project"]
        if project != self.account["project_id"]:
            return _google_error(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH")
        try:
            body = await request.json()
        except ValueError:
            return _google_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        message = body.get("message") if isinstance(body, dict) else None
        problem = self._invalid(message)
        if problem:
            return _google_error(400, "INVALID_ARGUMENT", problem, "INVALID_ARGUMENT")
        assert isinstance(message, dict)
        token = message.get("token")
        with self.lock:
            if token is not None and token not in self.devices:
                return _google_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
            name = f"projects/{project}/messages/{secrets.randbelow(10**16)}"
            if not body.get("validate_only"):
                self.messages.append({"name": name, "message": message})
        return JSONResponse({"name": name})

    @staticmethod
    def _invalid(message: object) -> str | None:
        if not isinstance(message, dict):
            return "Request contains an invalid argument: message is required."
        targets = [k for k in ("token", "topic", "condition") if message.get(k)]
        if len(targets) != 1:
            return "Exactly one of token, topic or condition must be specified."
        data = message.get("data", {})
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            return "Invalid value at 'message.data': values must be strings."
        reserved = [k for k in data if k in RESERVED_DATA or k.startswith(("google.", "gcm."))]
        if reserved:
            return f"Invalid data payload key: {reserved[0]}"
        notification = message.get("notification", {})
        if not isinstance(notification, dict) or not all(isinstance(v, str) for v in notification.values()):
            return "Invalid value at 'message.notification'."
        size = len(json.dumps({"data": data, "notification": notification}, separators=(",", ":")).encode())
        if size > MAX_PAYLOAD:
            return f"Message is too big: {size} bytes (the limit is {MAX_PAYLOAD})."
        return None

    async def new_device(self, request: Request) -> JSONResponse:
        token = secrets.token_urlsafe(24) + ":APA91b" + secrets.token_urlsafe(96)
        with self.lock:
            self.devices.add(token)
        return JSONResponse({"token": token})

    async def drop_device(self, request: Request) -> JSONResponse:
        with self.lock:
            self.devices.discard(request.path_params["token"])
        return JSONResponse({"ok": True})

    async def recorded(self, request: Request) -> JSONResponse:
        token = request.query_params.get("token")
        with self.lock:
            found = [m for m in self.messages if token is None or m["message"].get("token") == token]
        return JSONResponse(found)

    async def health(self, request: Request) -> JSONResponse:
        return JSONResponse({"ok": True, "project": self.account["project_id"]})

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/token", self.token, methods=["POST"]),
                Route("/v1/projects/{project}/messages:send", self.send, methods=["POST"]),
                Route("/_fake/devices", self.new_device, methods=["POST"]),
                Route("/_fake/devices/{token:path}", self.drop_device, methods=["DELETE"]),
                Route("/_fake/messages", self.recorded),
                Route("/_fake/health", self.health),
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="Local FCM v1 and Google OAuth token endpoint")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--credentials", type=Path, required=True)
    args = parser.parse_args()
    fake = FakeFcm(json.loads(args.credentials.read_text()))
    uvicorn.run(fake.app(), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
