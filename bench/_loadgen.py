"""The load generator of bench_ballots.py: asyncio HTTP/1.1 on loopback, keep-alive, requests built
beforehand, closed and open loops, and the CPU time the server's processes spent meanwhile."""

import asyncio
import os
import re
import time
from dataclasses import dataclass, field

HOST, PORT = "127.0.0.1", 8765

# --- HTTP/1.1 load generator: asyncio, keep-alive, requests built beforehand ----------------------


def http_post(path: str, form: str, credential) -> bytes:
    session, csrf_cookie, csrf_token = credential
    body = f"csrfmiddlewaretoken={csrf_token}&{form}" if csrf_token else form
    cookies = "; ".join(
        part for part in (f"sessionid={session}" if session else "", f"csrftoken={csrf_cookie}") if part
    )
    return (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nOrigin: http://{HOST}:{PORT}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        f"Cookie: {cookies}\r\n\r\n{body}"
    ).encode()


async def exchange(reader, writer, payload: bytes) -> tuple[int, bytes, bool]:
    """Send one request, read one whole response: (status, head, keep the connection)."""
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    lower = head.lower()
    status = int(head[9:12])
    match = re.search(rb"\r\ncontent-length: *(\d+)", lower)
    if match:
        await reader.readexactly(int(match.group(1)))
    elif b"transfer-encoding: chunked" in lower:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, head, b"connection: close" not in lower


@dataclass
class Run:
    name: str
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    cpu: float = 0.0
    server_cpu: float | None = None
    database_cpu: float | None = None

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    def line(self) -> str:
        if not self.latencies:
            return f"{self.name}: nothing measured"
        return (
            f"{self.name}: {len(self.latencies)} in {self.elapsed:.1f} s = {self.rate:,.0f}/s; latency ms "
            f"p50 {self.percentile(0.50):.1f} p95 {self.percentile(0.95):.1f} p99 {self.percentile(0.99):.1f} "
            f"max {max(self.latencies) * 1000:.1f}; errors {len(self.failures)}; "
            f"generator CPU {self.cpu / max(1, len(self.latencies)) * 1e6:.0f} µs/request"
            + (
                f"; server CPU {self.server_cpu / len(self.latencies) * 1e6:.0f} µs/request, "
                f"PostgreSQL CPU {self.database_cpu / len(self.latencies) * 1e6:.0f} µs/request"
                if self.server_cpu is not None
                else ""
            )
        )


def _check(status: int, head: bytes, expect: int, location: bytes | None) -> str | None:
    if status != expect:
        return f"HTTP {status} (expected {expect})"
    if location is not None and f"\r\nlocation: {location.decode()}\r\n".encode() not in head.lower():
        return "redirected elsewhere: " + head.decode(errors="replace").split("\r\n")[0]
    return None


async def closed_loop(name, payloads, *, concurrency, duration, expect, location=None) -> Run:
    """``concurrency`` connections, each sending its next request as soon as the last one answered."""
    run, pending = Run(name), iter(payloads)
    started, cpu = time.perf_counter(), time.process_time()
    deadline = started + duration

    async def connection_loop():
        reader, writer = await asyncio.open_connection(HOST, PORT)
        try:
            for payload in pending:
                sent = time.perf_counter()
                if sent > deadline:
                    break
                status, head, keep = await exchange(reader, writer, payload)
                run.latencies.append(time.perf_counter() - sent)
                if problem := _check(status, head, expect, location):
                    run.failures.append(problem)
                if not keep:
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, PORT)
        finally:
            writer.close()

    await asyncio.gather(*(connection_loop() for _ in range(concurrency)))
    run.elapsed, run.cpu = time.perf_counter() - started, time.process_time() - cpu
    return run


async def open_loop(name, payloads, *, rate, expect, location=None, max_connections=512, give_up=5.0) -> Run:
    """Request i is due at start + i / rate, whatever happened before; latency counts from then.

    A server with more than ``give_up`` seconds of requests waiting for an answer is overloaded:
    the requests not yet sent then are not sent (reported), so that the run ends in bounded time.
    """
    run, idle, opened, unsent = Run(name), [], 0, 0
    slots = asyncio.Semaphore(max_connections)
    loop = asyncio.get_running_loop()
    started, cpu = loop.time(), time.process_time()

    async def one(payload, due):
        nonlocal opened
        async with slots:
            if idle:
                reader, writer = idle.pop()
            else:
                reader, writer = await asyncio.open_connection(HOST, PORT)
                opened += 1
            status, head, keep = await exchange(reader, writer, payload)
            run.latencies.append(loop.time() - due)
            if problem := _check(status, head, expect, location):
                run.failures.append(problem)
            if keep:
                idle.append((reader, writer))
            else:
                writer.close()

    tasks = []
    for index, payload in enumerate(payloads):
        due = started + index / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(tasks) - len(run.latencies) > give_up * rate:
            unsent = len(payloads) - index
            break
        tasks.append(asyncio.ensure_future(one(payload, due)))
    await asyncio.gather(*tasks)
    run.elapsed, run.cpu = loop.time() - started, time.process_time() - cpu
    for _reader, writer in idle:
        writer.close()
    run.name += f" ({opened} connections" + (f", {unsent} not sent: overloaded)" if unsent else ")")
    return run


def new_event_loop():
    try:
        import uvloop

        return uvloop.new_event_loop()
    except ImportError:
        return asyncio.new_event_loop()


def drive(coroutine):
    loop = new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()


def _processes():
    """(pid, parent pid, command name, CPU seconds) of every process (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        yield int(entry), int(fields[1]), name, (int(fields[11]) + int(fields[12])) / tick


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its children."""
    return sum(cpu for child, parent, _name, cpu in _processes() if pid in (child, parent))


def postgres_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL processes of this machine (0 if it runs elsewhere)."""
    return sum(cpu for _pid, _parent, name, cpu in _processes() if name.startswith("postgres"))


def measured(server_pid: int, coroutine) -> "Run":
    """Drive ``coroutine`` and add the CPU time of the server's processes and of PostgreSQL over that run."""
    before, database = process_tree_cpu(server_pid), postgres_cpu()
    run = drive(coroutine)
    run.server_cpu = process_tree_cpu(server_pid) - before
    run.database_cpu = postgres_cpu() - database
    return run
