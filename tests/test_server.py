"""helpers.server: a real `transformers serve` round trip (start, one chat completion, stop, port
freed) and the bad inputs that must raise clear errors."""
from __future__ import annotations

import socket
import time

import pytest

from helpers import server as srv

MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct"


@pytest.fixture(scope="module")
def running(hf_home):
    s = srv.start_server(MODEL, timeout=300)
    yield s
    s.stop()


def test_round_trip_and_clean_stop(running):
    from openai import OpenAI

    assert running.running()
    assert running.base_url == f"http://127.0.0.1:{running.port}/v1"
    assert not srv.port_is_free(running.port)
    client = OpenAI(base_url=running.base_url, api_key="not-needed-locally", max_retries=0, timeout=120)
    reply = client.chat.completions.create(
        model=MODEL, max_tokens=10, temperature=0,
        messages=[{"role": "user", "content": "What is the capital of France? One word."}])
    text = reply.choices[0].message.content
    assert isinstance(text, str) and text.strip(), reply
    assert "paris" in text.lower(), text
    assert reply.usage.completion_tokens <= 10
    client.close()
    # the server's own output went to its log file, not to our process
    assert "Uvicorn running" in running.log_path.read_text() or "Application startup" in running.log_path.read_text()
    pid, port = running.process.pid, running.port
    code = running.stop()
    assert code is not None and not running.running()
    assert running.stop() == code                      # idempotent
    for _ in range(20):                                # port is released
        if srv.port_is_free(port):
            break
        time.sleep(0.25)
    assert srv.port_is_free(port)
    with pytest.raises(ProcessLookupError):            # no orphan process left
        import os
        os.kill(pid, 0)
    assert running not in srv._RUNNING


def test_model_not_available_gives_clear_error(hf_home):
    with pytest.raises(RuntimeError, match="stopped before it was ready.*local cache"):
        srv.start_server("nobody/no-such-model-anywhere", timeout=120)
    assert not srv._RUNNING


def test_timeout_stops_the_process(hf_home):
    with pytest.raises(TimeoutError, match="raise timeout"):
        srv.start_server(MODEL, timeout=0.3)
    assert not srv._RUNNING


def test_busy_port_is_refused():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        assert not srv.port_is_free(busy)
        with pytest.raises(ValueError, match="already in use"):
            srv.start_server(MODEL, port=busy)


def test_free_port_is_free():
    port = srv.free_port()
    assert 1024 <= port <= 65535 and srv.port_is_free(port)


@pytest.mark.parametrize("kwargs, match", [
    ({"port": 80}, "between 1024 and 65535"),
    ({"port": 70000}, "between 1024 and 65535"),
    ({"port": "8000"}, "between 1024 and 65535"),
    ({"port": True}, "between 1024 and 65535"),
    ({"timeout": 0}, "timeout must be a positive"),
    ({"timeout": -5}, "timeout must be a positive"),
    ({"host": ""}, "host must be"),
    ({"extra_args": "--log-level info"}, "extra_args must be a tuple"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        srv.start_server(MODEL, **kwargs)


@pytest.mark.parametrize("model", ["", "   ", None, 42])
def test_bad_model_id(model):
    with pytest.raises(ValueError, match="Hub ID"):
        srv.start_server(model)


def test_wait_for_health_bad_timeout_and_nothing_listening():
    with pytest.raises(ValueError):
        srv.wait_for_health("http://127.0.0.1:1/health", timeout=0)
    port = srv.free_port()
    with pytest.raises(TimeoutError, match="did not answer"):
        srv.wait_for_health(f"http://127.0.0.1:{port}/health", timeout=0.5, interval=0.1)
