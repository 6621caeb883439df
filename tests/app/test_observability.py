"""Logs are JSON lines that carry the request id of the request that wrote them."""

import json
import logging

from migratio.observability import JsonFormatter, redact_emails, request_id_var


def test_log_lines_are_json_with_the_request_id() -> None:
    token = request_id_var.set("req-42")
    try:
        record = logging.LogRecord("migratio.test", logging.WARNING, __file__, 1, "search %s", ("down",), None)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-42"
    assert line["message"] == "search down"
    assert line["level"] == "WARNING"


def test_e_mail_addresses_are_redacted_with_or_without_a_dot_in_the_domain() -> None:
    line = "login failed for ana@example.org, root@localhost and bob%40mail.example.com (3 tries)"
    assert redact_emails(line) == "login failed for <email>, <email> and <email> (3 tries)"
