"""PromptChannel / PromptKernelClient: a message whose wake-up was lost is still
read, the caller's time limit is kept, and a real kernel runs cells through it.

The lost wake-up is made on purpose: a message arrives while the event loop is not
looking, and reading the socket's ``EVENTS`` (what pyzmq does after its own sends
and receives) resets ZeroMQ's edge-triggered descriptor before the loop sees it.
jupyter_client's own channel then sleeps with the message waiting in the socket:
the first test shows it does, so the second one, with our channel, can fail.
"""

from __future__ import annotations

import asyncio
import time
from queue import Empty

import nbformat
import pytest
import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session

from backrx_analysis.app.kernel_client import SLICE_S, PromptChannel, PromptKernelClient

CLIENT = "backrx_analysis.app.kernel_client.PromptKernelClient"


class _Pair:
    """An asyncio DEALER (the client's side) and a blocking ROUTER (the kernel's)."""

    def __init__(self, channel_class: type) -> None:
        self.ctx = zmq.asyncio.Context()
        self.router = zmq.Context.instance().socket(zmq.ROUTER)
        port = self.router.bind_to_random_port("tcp://127.0.0.1")
        self.dealer = self.ctx.socket(zmq.DEALER)
        self.dealer.connect(f"tcp://127.0.0.1:{port}")
        self.session = Session(key=b"")
        self.channel = channel_class(self.dealer, self.session)
        self.ident: bytes | None = None

    async def hello(self) -> None:
        """The DEALER speaks first, so that the ROUTER can address it."""
        self.session.send(self.dealer, "kernel_info_request")
        for _ in range(200):
            if self.router.poll(10):
                self.ident = self.router.recv_multipart()[0]
                return
            await asyncio.sleep(0.01)
        raise RuntimeError("the ROUTER heard nothing")

    def reply(self, msg_type: str = "execute_reply") -> None:
        self.session.send(self.router, msg_type, content={"status": "ok"}, ident=self.ident)

    def close(self) -> None:
        self.dealer.close(0)
        self.router.close(0)
        self.ctx.term()


async def _read_after_a_lost_edge(channel_class: type) -> str:
    pair = _Pair(channel_class)
    try:
        await pair.hello()
        waiting = asyncio.ensure_future(pair.channel.get_msg(timeout=None))
        await asyncio.sleep(0.1)  # the poll is registered on the socket's descriptor
        pair.reply()
        time.sleep(0.2)  # the loop is not running: the reply arrives, the fd fires
        # the edge is consumed before the loop looks: the reply is there, unread
        assert zmq.Socket.shadow(pair.dealer.underlying).get(zmq.EVENTS) & zmq.POLLIN
        try:
            msg = await asyncio.wait_for(waiting, 2.0)
        except TimeoutError:
            return "stalled"
        return msg["msg_type"]
    finally:
        pair.close()


def _run(coro):
    """``asyncio.run`` in a thread of its own: the browser tests' Playwright keeps an
    event loop running in the main thread when they ran first."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_jupyter_clients_channel_sleeps_through_a_lost_edge():
    # the bug the app works around, reproduced: the reply sits readable, the await hangs
    assert _run(_read_after_a_lost_edge(AsyncZMQSocketChannel)) == "stalled"


def test_prompt_channel_reads_the_message_after_a_lost_edge():
    assert _run(_read_after_a_lost_edge(PromptChannel)) == "execute_reply"


async def _time_limit(timeout: float | None, reply_after: float | None) -> tuple[str, float]:
    pair = _Pair(PromptChannel)
    try:
        await pair.hello()
        if reply_after is not None:
            asyncio.get_running_loop().call_later(reply_after, pair.reply)
        t0 = time.monotonic()
        try:
            msg = await pair.channel.get_msg(timeout=timeout)
        except Empty:
            return "empty", time.monotonic() - t0
        return msg["msg_type"], time.monotonic() - t0
    finally:
        pair.close()


def test_prompt_channel_keeps_the_callers_time_limit():
    # nothing comes: Empty, and not before the limit (many slices of SLICE_S)
    what, waited = _run(_time_limit(0.4, None))
    assert what == "empty" and waited >= 0.4
    # timeout=0 asks once and does not wait
    assert _run(_time_limit(0, None))[0] == "empty"
    # no limit: it waits slice after slice for a message that comes later
    what, waited = _run(_time_limit(None, 0.5))
    assert what == "execute_reply" and waited >= 0.5 > 4 * SLICE_S


def _notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def _client(nb: nbformat.NotebookNode, timeout: int | None):
    from nbclient import NotebookClient
    from traitlets.config import Config

    config = Config({"AsyncKernelManager": {"client_class": CLIENT}})
    return NotebookClient(nb, timeout=timeout, config=config, kernel_name="python3")


@pytest.mark.timeout(120)
def test_a_kernel_configured_with_the_client_runs_cells_through_it():
    nb = _notebook("x = 6 * 7", "print(x)")
    client = _client(nb, None)  # no time limit, as a cell without one
    with client.setup_kernel():
        assert isinstance(client.kc, PromptKernelClient)
        assert isinstance(client.kc.shell_channel, PromptChannel)
        assert isinstance(client.kc.iopub_channel, PromptChannel)
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
    assert nb.cells[1].outputs[0]["text"] == "42\n"


@pytest.mark.timeout(120)
def test_a_cell_that_runs_too_long_still_times_out():
    from nbclient.exceptions import CellTimeoutError

    nb = _notebook("import time; time.sleep(30)")
    client = _client(nb, 2)
    with pytest.raises(CellTimeoutError):
        client.execute()
