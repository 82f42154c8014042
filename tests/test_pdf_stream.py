"""The download gate of outputs/pdf_stream.py: a burst of requests in one event-loop turn."""
from __future__ import annotations

import asyncio

from outputs.pdf_stream import PdfGate


def test_a_burst_gets_the_free_slots_a_bounded_queue_and_quick_refusals():
    async def run():
        gate = PdfGate(streams=2, waiting=3, wait_s=5)
        entries = [asyncio.ensure_future(gate.enter()) for _ in range(10)]  # all in the same turn
        await asyncio.sleep(0.05)
        settled = [e.result() for e in entries if e.done()]
        assert settled.count(True) == 2 and settled.count(False) == 5 and gate.waiting == 3
        gate.leave()
        gate.leave()
        await asyncio.sleep(0.05)
        assert sum(e.done() and e.result() for e in entries) == 4 and gate.waiting == 1

    asyncio.run(run())


def test_a_queued_request_leaves_when_its_wait_runs_out_or_its_client_hangs_up():
    async def run():
        gate = PdfGate(streams=1, waiting=4, wait_s=0.2)
        assert await gate.enter()
        gone = asyncio.Event()
        hung_up = asyncio.ensure_future(gate.enter(gone))
        timed_out = asyncio.ensure_future(gate.enter())
        await asyncio.sleep(0.05)
        gone.set()
        assert await hung_up is False
        assert await timed_out is False and gate.waiting == 0
        gate.leave()
        assert await gate.enter(), "the slot is free again: nothing leaked"

    asyncio.run(run())
