"""Early warning, end to end: how long from a burst of posts on a live stream to the
alert arriving at a webhook receiver.

The whole path runs as in production, against local peers only: a local Jetstream
(WebSocket) server plays a live stream in real time, steady chatter with bursts of
posts carrying one tag each (``#burstN``); a Bluesky stream source follows it
(``sources.fetch_source``: ingest every second while reading, then enrichment, the
alert rules of the organisation, the outbox, the delivery) and a local HTTP receiver
takes the signed JSON webhook. Every ``#burstN`` has its own saved query and
volume-spike rule (sensitivity normal), whose detectors first learn from 7 days of
history (about 2 posts per 5 minutes), so each burst is a real surge against a warm
baseline and no rule's cooldown hides another's alert.

Figures: ``alerts.latency.p50_s`` and ``alerts.latency.p95_s``, seconds from the
*first* post of a burst leaving the stream server to the webhook arriving at the
receiver. The issue measures from the post that makes the series cross the
threshold, which comes later in the burst, so these figures are an upper bound of
that. ``alerts.latency.missed`` counts bursts without an alert (target 0).
``alerts.evaluate.rules_per_minute``: rules one worker thread evaluates per minute in
the steady state (one evaluation round of the warm volume rules, database queries
included, median of five rounds); target 10,000 (a rule is a series, or three for
share of voice).

The worker's tasks run inline here (``KOERS_TASKS_IMMEDIATE``). In a separate worker
each hand-over (enrichment → evaluation → delivery) waits until a task thread polls the
queue: with Huey on SQLite at most 1 s each (the consumer's ``max_delay`` in
koers/settings.py), with Redis not at all.

``python -m benchmarks.alert_latency [--bursts N]`` prints the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BURSTS = 8
BURST_POSTS = 40
BURST_SECONDS = 2.0
GAP_SECONDS = 6.0
CHATTER_PER_SECOND = 20
HISTORY_DAYS = 7
TARGET_P95 = 60.0
WORDS = [
    "fiets",
    "accu",
    "kapot",
    "levering",
    "weken",
    "wachten",
    "service",
    "klantenservice",
    "reactie",
    "mail",
    "telefoon",
    "winkel",
    "monteur",
    "reparatie",
    "band",
    "remmen",
    "ketting",
    "slot",
    "sleutel",
    "garantie",
    "factuur",
    "bedrag",
    "terug",
    "geld",
    "boos",
    "teleurgesteld",
    "schandalig",
    "nooit",
    "meer",
    "weer",
    "alweer",
    "vandaag",
    "gisteren",
    "morgen",
    "week",
    "maand",
    "zaterdag",
    "zondag",
    "bestelling",
    "pakket",
    "bezorger",
    "adres",
    "verkeerd",
    "beschadigd",
    "krassen",
    "deuk",
    "scherm",
    "display",
    "lader",
    "kabel",
    "stekker",
    "motor",
    "trapondersteuning",
    "display",
    "fout",
    "melding",
    "code",
    "app",
    "update",
    "storing",
    "inloggen",
    "account",
]


def _prepare_environment() -> None:
    for name in list(os.environ):
        if name.startswith("KOERS_") or name == "DATABASE_URL":
            del os.environ[name]
    os.environ["KOERS_DATA_DIR"] = tempfile.mkdtemp(prefix="koers-bench-")
    os.environ["KOERS_TASKS_IMMEDIATE"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "koers.settings"


class _Receiver:
    """A local webhook receiver that notes when each alert arrived."""

    def __init__(self) -> None:
        arrivals = self.arrivals = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                arrivals.append((time.monotonic(), body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _post_event(n: int, text: str, tags: tuple[str, ...] = ()) -> dict:
    now = datetime.now(UTC)
    facets = []
    encoded = text.encode()
    for tag in tags:
        start = encoded.find(f"#{tag}".encode())
        facets.append(
            {
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}],
                "index": {"byteStart": start, "byteEnd": start + len(tag) + 1},
            }
        )
    return {
        "did": f"did:plc:bench{n % 5000:05d}",
        "time_us": int(now.timestamp() * 1_000_000) + n % 1000,
        "kind": "commit",
        "commit": {
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": f"bench{n:08d}",
            "record": {
                "$type": "app.bsky.feed.post",
                "createdAt": now.isoformat().replace("+00:00", "Z"),
                "langs": ["nl"],
                "text": text,
                "facets": facets,
            },
        },
    }


class _Stream:
    """A live Jetstream: chatter all the time, and burst ``k`` from ``starts[k]``."""

    def __init__(self, bursts: int) -> None:
        from websockets.sync.server import serve

        self.bursts = bursts
        self.first_sent: dict[int, float] = {}
        self.done = threading.Event()
        rng = random.Random(7)  # noqa: S311  (benchmark data, not security)

        def handler(connection) -> None:
            n = 0
            started = time.monotonic()
            plan = [started + 2.0 + k * GAP_SECONDS for k in range(bursts)]
            end = plan[-1] + GAP_SECONDS + 4.0
            k = 0
            while time.monotonic() < end:
                if k < bursts and time.monotonic() >= plan[k]:
                    tag = f"burst{k}"
                    self.first_sent[k] = time.monotonic()
                    for _ in range(BURST_POSTS):
                        # Different words in every post: copies would be collapsed as
                        # reposts, and a snowballing complaint is many people writing.
                        text = " ".join(rng.sample(WORDS, 9)) + f" #{tag}"
                        connection.send(json.dumps(_post_event(n, text, (tag,))))
                        n += 1
                        time.sleep(BURST_SECONDS / BURST_POSTS)
                    k += 1
                    continue
                text = f"Gewoon een bericht over het weer, nummer {rng.randrange(10**6)}"
                connection.send(json.dumps(_post_event(n, text)))
                n += 1
                time.sleep(1.0 / CHATTER_PER_SECOND)
            self.done.set()
            connection.close()

        self.server = serve(handler, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/subscribe"

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


def _setup(bursts: int, receiver_url: str):
    from django.core.management import call_command
    from django.utils import timezone

    from koers.alerts.channels.actions import save_channel
    from koers.alerts.evaluate import evaluate_organisation
    from koers.alerts.models import AlertRule, ChannelKind, RuleKind
    from koers.listening.models import Mention, MentionMatch, SavedQuery, Source, SourceKind
    from koers.orgs.models import Organisation

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Latency", slug=f"latency-{time.time_ns()}")
    channel, _secret = save_channel(
        org, by=None, kind=ChannelKind.WEBHOOK, name="Receiver", url=receiver_url
    )
    history = Source.objects.create(organisation=org, kind=SourceKind.IMPORT, name="history")
    rng = random.Random(11)  # noqa: S311  (benchmark data, not security)
    now = timezone.now()
    queries = []
    for k in range(bursts):
        query = SavedQuery.objects.create(organisation=org, name=f"Burst {k}", text=f"#burst{k}")
        rule = AlertRule.objects.create(
            organisation=org,
            name=f"Surge {k}",
            kind=RuleKind.VOLUME_SPIKE,
            query=query,
            severity=4,
            cooldown_minutes=60,
        )
        rule.channels.add(channel)
        queries.append(query)
        rows = []
        moment = now - timedelta(days=HISTORY_DAYS)
        n = 0
        while moment < now - timedelta(minutes=15):
            for _ in range(rng.choice((0, 1, 2, 2, 3, 4))):
                rows.append(
                    Mention(
                        organisation=org,
                        source=history,
                        external_id=f"{k}-{n}",
                        text=f"Over de fiets #burst{k}",
                        published_at=moment + timedelta(seconds=rng.randrange(300)),
                        language="nl",
                        sentiment="neutral",
                        category="other",
                        is_enriched=True,
                    )
                )
                n += 1
            moment += timedelta(minutes=5)
        created = Mention.objects.bulk_create(rows, batch_size=2000)
        MentionMatch.objects.bulk_create(
            [MentionMatch(organisation=org, mention=m, query=query) for m in created],
            batch_size=2000,
        )
    evaluate_organisation(org.pk)  # the detectors learn the week before
    return org


def run(bursts: int = BURSTS) -> list[dict]:
    from django.test import override_settings

    # The stream server and the receiver listen on 127.0.0.1 (also under `make bench`,
    # which prepares the environment once for every suite).
    with override_settings(OUTGOING_ALLOW_PRIVATE=True):
        return _run(bursts)


def _run(bursts: int) -> list[dict]:
    from koers.alerts.models import Alert
    from koers.listening import sources
    from koers.listening.models import Source, SourceKind

    receiver = _Receiver()
    org = _setup(bursts, receiver.url)
    stream = _Stream(bursts)
    terms = " OR ".join(f"#burst{k}" for k in range(bursts))
    source = Source.objects.create(
        organisation=org, kind=SourceKind.BLUESKY_STREAM, name="Live", url=stream.url, term=terms
    )
    sources.STREAM_SECONDS = 2.0 + bursts * GAP_SECONDS + 10.0
    try:
        sources.fetch_source(source)
        source.refresh_from_db()
        if source.last_error:
            raise RuntimeError(f"the stream source failed: {source.last_error}")
    finally:
        stream.close()
        receiver.close()
    rule_of = dict(Alert.objects.filter(organisation=org).values_list("pk", "rule__name"))
    latencies = {}
    for arrived, body in receiver.arrivals:
        for alert in body.get("alerts", []):
            name = rule_of.get(alert.get("id"), "")
            if name.startswith("Surge "):
                k = int(name.split()[1])
                if k in stream.first_sent and k not in latencies:
                    latencies[k] = arrived - stream.first_sent[k]
    # Steady state: one evaluation round of the warm rules, as the worker runs it after
    # every enrichment batch and every minute.
    from koers.alerts.evaluate import evaluate_organisation

    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        evaluate_organisation(org.pk)
        rounds.append((time.perf_counter() - started) / bursts)
    rules_per_minute = 60.0 / statistics.median(rounds)
    values = sorted(latencies.values())
    missed = bursts - len(values)
    p50 = statistics.median(values) if values else float("inf")
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))] if values else float("inf")
    print(
        f"alert latency over {bursts} bursts: "
        + ", ".join(f"{v:.2f}" for v in values)
        + f" s; {missed} without an alert",
        file=sys.stderr,
    )
    return [
        {
            "name": "alerts.latency.p50_s",
            "value": p50,
            "unit": "s",
            "target": TARGET_P95,
            "better": "lower",
        },
        {
            "name": "alerts.latency.p95_s",
            "value": p95,
            "unit": "s",
            "target": TARGET_P95,
            "better": "lower",
        },
        {
            "name": "alerts.evaluate.rules_per_minute",
            "value": rules_per_minute,
            "unit": "rules/min",
            "target": 10_000.0,
            "better": "higher",
        },
        {
            "name": "alerts.latency.missed",
            "value": float(missed),
            "unit": "bursts",
            "target": 0.0,
            "better": "lower",
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.alert_latency")
    parser.add_argument("--bursts", type=int, default=BURSTS)
    args = parser.parse_args(argv)
    _prepare_environment()
    import django

    django.setup()
    for result in run(args.bursts):
        print(f"{result['name']:<28} {result['value']:>10.2f} {result['unit']:<7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
