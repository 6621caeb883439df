"""Logs are JSON lines that carry the request id of the request that wrote them."""

import json
import logging

from migratio.observability import JsonFormatter, request_id_var


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
