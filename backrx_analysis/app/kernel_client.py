"""A kernel client that never sleeps through a message (what `make app` runs the
dashboard notebook with; docs/app.md, "Reliability", tells the whole story).

Voila 0.5 runs each cell of the notebook with nbclient, which waits for the cell's
``execute_reply`` with ``await kc.shell_channel.get_msg(timeout=None)``: an asyncio
ZeroMQ poll with no time limit. ZeroMQ signals its file descriptor edge-triggered,
and once in a while (about 1 page load in 20 with a browser attached) the edge is
consumed at the wrong moment: the reply sits readable in the socket and the poll
never wakes, so the page stays on "Executing N of M" for good.

:class:`PromptChannel` waits in short slices instead: each wait on the socket lasts
at most :data:`SLICE_S`; when a slice ends without a wake-up, pyzmq asks ZeroMQ
directly (``zmq_poll`` with timeout 0), which does see a message that is waiting.
A lost edge then costs at most one slice, not the rest of the session. The time
limit the caller asked for is kept exactly: with ``timeout=None`` the channel waits
as long as it takes (slice after slice), with a number it raises ``queue.Empty``
once that many seconds have passed, as jupyter_client's own channel does, so a cell
that really runs too long still times out (``VoilaExecutor.timeout``).

:class:`PromptKernelClient` is jupyter_client's asyncio client with these channels.
Kernel managers take it through their configurable ``client_class``::

    voila notebook.ipynb \\
        --AsyncKernelManager.client_class=backrx_analysis.app.kernel_client.PromptKernelClient

Every ``km.client()`` then returns one: nbclient's executor, Voila's preheated
kernels. (The browser's own websocket to the kernel does not use a client: it is
tornado's ``ZMQStream``, which was never seen to stall.)
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import Type

__all__ = ["SLICE_S", "PromptChannel", "PromptKernelClient"]

#: The longest one wait on a channel's socket lasts before ZeroMQ is asked directly
#: (seconds): what a lost wake-up costs at most.
SLICE_S = 0.05


class PromptChannel(AsyncZMQSocketChannel):
    """An asyncio ZeroMQ channel whose ``get_msg`` re-checks the socket every
    :data:`SLICE_S` seconds until a message comes or the caller's time limit ends."""

    #: the slice of this channel (seconds); a class attribute so tests may shorten it
    slice_s: float = SLICE_S

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:  # type: ignore[override]
        """The next message on the channel.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most; None (the default) waits as long as it takes.

        Returns
        -------
        dict
            The deserialized message (``header``, ``parent_header``, ``metadata``,
            ``content``, ``buffers``, ``msg_id``, ``msg_type``), as jupyter_client's
            channels return it.

        Raises
        ------
        queue.Empty
            When ``timeout`` seconds passed with no message.
        """
        if self.socket is None:
            raise RuntimeError("the channel's socket is closed")
        deadline = None if timeout is None else time.monotonic() + max(float(timeout), 0.0)
        while True:
            wait = self.slice_s
            if deadline is not None:
                wait = min(wait, max(deadline - time.monotonic(), 0.0))
            # poll(0) asks ZeroMQ directly; a longer poll ends with the same direct
            # question when its timer fires (pyzmq's _AsyncPoller.poll)
            if await self.socket.poll(int(wait * 1000)):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class PromptKernelClient(AsyncKernelClient):
    """jupyter_client's asyncio kernel client with :class:`PromptChannel` channels
    (shell, IOPub, stdin and control; the heartbeat is its own thread)."""

    shell_channel_class = Type(PromptChannel)  # type: ignore[assignment]
    iopub_channel_class = Type(PromptChannel)  # type: ignore[assignment]
    stdin_channel_class = Type(PromptChannel)  # type: ignore[assignment]
    control_channel_class = Type(PromptChannel)  # type: ignore[assignment]
