"""SMS specifics: phone numbers verified by single-use codes, Twilio's signed webhooks at /webhooks/twilio
(status callbacks, STOP/START), and what the local Twilio server refuses as Twilio does."""

from concurrent.futures import ThreadPoolExecutor

import httpx
from twilio.request_validator import RequestValidator

from datasources.twilio_sms import TwilioSms
from domain.notifications.model import Kind, Message
from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Client, error_code, signed_up
from tests.builders.notifications import (
    ADD_PHONE,
    VERIFY_PHONE,
    code_in,
    sends_of,
    texts_to,
    twilio_posts,
    unique_number,
    verified_phone,
    wait_for_text,
    wait_until_sent,
)
from tests.server import LiveServer

RACERS = 8


def _webhook(server: LiveServer) -> str:
    return f"{server.url}/webhooks/twilio"


async def _text(services: Services, user_id: str, key: str) -> None:
    await services.notifications.notify(user_id, Message(Kind.TASK_DUE, "Reminder", f"Notice {key}"), key=key)


def _sms_only(person_client: Client) -> None:
    person_client.data(
        "mutation { updateNotificationPreferences(input: {preferences: [{kind: TASK_DUE, channels: [SMS]}]}) { kind } }"
    )


def test_a_phone_code_verifies_the_number_once_however_many_race_with_it(
    server: LiveServer, settings: Settings
) -> None:
    person = signed_up(server, settings, "racer")
    number = unique_number()
    added = person.client.data(ADD_PHONE, {"n": number})["addPhoneNumber"]
    assert added["number"] == number
    code = code_in(wait_for_text(settings, number))

    racers = [Client(server, person.client.token) for _ in range(RACERS)]
    with ThreadPoolExecutor(RACERS) as pool:
        answers = list(pool.map(lambda c: c.gql(VERIFY_PHONE, {"c": code}), racers))
    verified = [a for a in answers if "errors" not in a]
    assert len(verified) == 1, answers
    assert verified[0]["data"]["verifyPhoneNumber"]["number"] == number
    assert sorted(error_code(a) for a in answers if "errors" in a) == ["BAD_USER_INPUT"] * (RACERS - 1)
    assert error_code(person.client.gql(VERIFY_PHONE, {"c": code})) == "BAD_USER_INPUT"


def test_a_wrong_code_or_a_number_that_is_none_is_bad_input(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "wrongcode")
    for bad in ("12345", "+1 555", "not a number", "+999123456789"):
        refused = person.client.gql(ADD_PHONE, {"n": bad})
        assert error_code(refused) == "BAD_USER_INPUT", (bad, refused)
    assert error_code(person.client.gql(VERIFY_PHONE, {"c": "000000"})) == "BAD_USER_INPUT"  # nothing pending
    number = unique_number()
    national = person.client.data(
        'mutation($n: String!) { addPhoneNumber(input: {number: $n, region: "US"}) { number } }',
        {"n": f"({number[2:5]}) {number[5:8]}-{number[8:]}"},
    )
    assert national["addPhoneNumber"]["number"] == number  # normalised to E.164
    code = code_in(wait_for_text(settings, number))
    wrong = "000000" if code != "000000" else "111111"
    assert error_code(person.client.gql(VERIFY_PHONE, {"c": wrong})) == "BAD_USER_INPUT"
    assert person.client.data(VERIFY_PHONE, {"c": code})["verifyPhoneNumber"]["number"] == number


async def test_stop_opts_the_number_out_and_start_back_in(
    server: LiveServer, settings: Settings, services: Services
) -> None:
    person = signed_up(server, settings, "stopper")
    number = verified_phone(settings, person)
    _sms_only(person.client)

    assert twilio_posts(settings, "inbound", {"from": number, "body": " stop ", "url": _webhook(server)}) == 200
    opt_out = await services.db["sms_opt_outs"].find_one({"_id": number})
    assert opt_out is not None and opt_out["opted_out"] is True
    await _text(services, person.id, "after-stop")
    [skipped] = [s for s in wait_until_sent(settings, person.id, count=2) if s["kind"] == "task_due"]
    assert (skipped["status"], skipped["error"]) == ("skipped", "the number opted out (STOP)")
    assert len(texts_to(settings, number)) == 1  # the code only: an opted-out number gets nothing

    assert twilio_posts(settings, "inbound", {"from": number, "body": "START", "url": _webhook(server)}) == 200
    await _text(services, person.id, "after-start")
    sent = [s for s in wait_until_sent(settings, person.id, count=3) if s["_id"].startswith("task_due:after-start")]
    assert [s["status"] for s in sent] == ["sent"]
    assert wait_for_text(settings, number, count=2)["body"] == "Notice after-start"


async def test_a_signed_status_callback_marks_the_text_delivered(
    server: LiveServer, settings: Settings, services: Services
) -> None:
    person = signed_up(server, settings, "delivered")
    number = verified_phone(settings, person)
    _sms_only(person.client)
    await _text(services, person.id, "status")
    [send] = [s for s in wait_until_sent(settings, person.id, count=2) if s["kind"] == "task_due"]
    sid = wait_for_text(settings, number, count=2)["sid"]
    assert send["provider_id"] == sid

    assert twilio_posts(settings, "status", {"sid": sid, "status": "delivered", "url": _webhook(server)}) == 204
    [after] = [s for s in sends_of(settings, person.id) if s["kind"] == "task_due"]
    assert after["status"] == "delivered"


async def test_an_unsigned_or_wrongly_signed_callback_is_refused_and_changes_nothing(
    server: LiveServer, settings: Settings, services: Services
) -> None:
    person = signed_up(server, settings, "forged")
    number = verified_phone(settings, person)
    url = _webhook(server)
    stop = {"From": number, "To": settings.twilio_from_number, "Body": "STOP", "MessageSid": "SM" + "0" * 32}
    forged = RequestValidator("not-our-auth-token").compute_signature(url, stop)
    right = RequestValidator(settings.twilio_auth_token.get_secret_value()).compute_signature(url, stop)

    async with httpx.AsyncClient() as http:
        assert (await http.post(url, data=stop)).status_code == 400
        assert (await http.post(url, data=stop, headers={"X-Twilio-Signature": forged})).status_code == 400
        tampered = {**stop, "From": unique_number()}  # the signature was made for another sender
        assert (await http.post(url, data=tampered, headers={"X-Twilio-Signature": right})).status_code == 400
        for sender in (number, tampered["From"]):
            assert await services.db["sms_opt_outs"].find_one({"_id": sender}) is None

        [code_send] = sends_of(settings, person.id)
        status = {"MessageSid": code_send["provider_id"], "MessageStatus": "failed", "ErrorCode": "30003"}
        assert (await http.post(url, data=status, headers={"X-Twilio-Signature": forged})).status_code == 400
        assert sends_of(settings, person.id)[0]["status"] == "sent"

        assert (await http.post(url, data=stop, headers={"X-Twilio-Signature": right})).status_code == 200
    opted = await services.db["sms_opt_outs"].find_one({"_id": number})
    assert opted is not None and opted["opted_out"] is True  # the rightly signed one counts


async def test_the_local_twilio_refuses_what_twilio_refuses(settings: Settings) -> None:
    token = settings.twilio_auth_token.get_secret_value()
    base = settings.twilio_base_url
    wrong_token = TwilioSms(settings.twilio_account_sid, "wrong", settings.twilio_from_number, base, 5)
    good = TwilioSms(settings.twilio_account_sid, token, settings.twilio_from_number, base, 5)
    wrong_sender = TwilioSms(settings.twilio_account_sid, token, "+15550000000", base, 5)
    for sms, to, body, expected in [
        (wrong_token, unique_number(), "hi", "HTTP 401"),
        (good, "4155550123", "hi", "not a valid phone number"),
        (good, unique_number(), "x" * 1601, "1600 character limit"),
        (wrong_sender, unique_number(), "hi", "not a valid, SMS-capable"),
    ]:
        try:
            await sms.send_sms(to, body, None)
        except Exception as error:
            assert expected in str(error), error
        else:
            raise AssertionError(f"accepted {to} {body[:10]}")
    number = unique_number()
    sid = await good.send_sms(number, "hello", "http://127.0.0.1:9/webhooks/twilio")
    [text] = texts_to(settings, number)
    assert (text["sid"], text["body"], text["status_callback"]) == (sid, "hello", "http://127.0.0.1:9/webhooks/twilio")
