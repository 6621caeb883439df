"""Push notifications through FCM's HTTP v1 API with `firebase-admin`, authorised by a service account.

The service account's `token_uri` says where its OAuth tokens come from; `base_url` says where messages go
(`<base_url>/v1/projects/<project>/messages:send`). firebase-admin fixes https://fcm.googleapis.com in its
messaging service, so the service's URL is set after it is built. Sends run in a worker thread (its
requests-based `send`, which retries 500/503 itself)."""

import json
import uuid
from pathlib import Path

import firebase_admin
from anyio import to_thread
from firebase_admin import credentials, exceptions, messaging

from domain.notifications.model import Message, PushOutcome, PushResult

FCM_BASE = "https://fcm.googleapis.com"


class FcmPush:
    def __init__(self, credentials_file: Path, project_id: str, base_url: str, timeout_s: float) -> None:
        self.credentials_file = credentials_file
        self.project_id = project_id
        self.base_url = base_url.rstrip("/") or FCM_BASE
        self.timeout_s = timeout_s
        self._service: object | None = None

    def _messaging(self) -> object:
        if self._service is None:
            info = json.loads(self.credentials_file.read_text())
            app = firebase_admin.initialize_app(
                credentials.Certificate(info),
                {"projectId": self.project_id, "httpTimeout": self.timeout_s},
                name=f"migratio-{uuid.uuid4().hex}",
            )
            service = messaging._get_messaging_service(app)
            service._fcm_url = f"{self.base_url}/v1/projects/{self.project_id}/messages:send"
            self._service = service
        return self._service

    @staticmethod
    def payload(token: str, message: Message) -> messaging.Message:
        data = {"kind": message.kind.value, **message.data}
        if message.deep_link:
            data["link"] = message.deep_link
        return messaging.Message(
            token=token,
            notification=messaging.Notification(title=message.title, body=message.body),
            data=data,
            android=messaging.AndroidConfig(priority="high"),
            apns=messaging.APNSConfig(payload=messaging.APNSPayload(aps=messaging.Aps(sound="default"))),
        )

    async def push(self, token: str, message: Message) -> PushResult:
        payload = self.payload(token, message)

        def send() -> str:
            return str(self._messaging().send(payload))  # type: ignore[attr-defined]

        try:
            name = await to_thread.run_sync(send)
        except messaging.UnregisteredError as error:
            return PushResult(PushOutcome.UNREGISTERED, error=str(error))
        except exceptions.InvalidArgumentError as error:
            # a malformed token is as dead as an unregistered one; anything else is our payload's fault
            if "registration token" in str(error).lower():
                return PushResult(PushOutcome.UNREGISTERED, error=str(error))
            return PushResult(PushOutcome.FAILED, error=str(error))
        except exceptions.FirebaseError as error:
            return PushResult(PushOutcome.FAILED, error=f"{error.code}: {error}")
        return PushResult(PushOutcome.SENT, provider_id=name)
