"""The ``koers`` command.

koers run [--host H] [--port P] [--demo]   web server and background worker together
koers worker                               background worker only (scale-out)
koers demo                                 create or refresh the demo organisation
koers <django command> ...                 e.g. koers migrate, koers createorg
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django

    django.setup()


def _prepare(*, quiet: bool = True) -> None:
    """Bring the database and static files up to date (idempotent, safe at every start)."""
    from django.core.management import call_command

    verbosity = 0 if quiet else 1
    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=verbosity)
    _collect_static(verbosity)


# Not served by Koers (the API documentation uses Swagger UI), and large.
STATIC_IGNORE = ["redoc.standalone.js*"]


def _static_sources_fingerprint() -> str:
    """Names, sizes and times of every static source file: unchanged means the collected
    files are still right."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list(STATIC_IGNORE), key=lambda item: item[0]):
            info = os.stat(storage.path(path))
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _collect_static(verbosity: int) -> None:
    """Collect (hash and compress) static files, unless nothing changed since last time:
    compressing takes seconds, and this runs at every start."""
    from django.conf import settings

    marker = settings.STATIC_ROOT / ".koers-sources"
    fingerprint = _static_sources_fingerprint()
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists() and marker.exists() and marker.read_text() == fingerprint:
        return
    # In a process of its own: settings pick the hashed-name storage for collectstatic.
    ignore = [arg for pattern in STATIC_IGNORE for arg in ("--ignore", pattern)]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "koers.cli",
            "collectstatic",
            "--noinput",
            "--clear",
            f"-v{verbosity}",
            *ignore,
        ],
        check=True,
    )
    marker.write_text(fingerprint)


def _print_demo_logins(url: str) -> None:
    from koers.orgs import demo

    print(demo.logins_text(url), flush=True)


def cmd_run(args: argparse.Namespace) -> int:
    _setup()
    from django.conf import settings

    print(f"Koers: preparing the database in {settings.DATA_DIR} …", flush=True)
    _prepare()
    if args.demo:
        from koers.orgs import demo

        if demo.ensure_demo():
            print("Koers: demo organisation created.", flush=True)
        _print_demo_logins(f"http://{_display_host(args.host)}:{args.port}")

    python = sys.executable
    web = [
        python,
        "-m",
        "gunicorn",
        "koers.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(settings.ENV["KOERS_WEB_WORKERS"]),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "127.0.0.1,::1",
        "--graceful-timeout",
        "10",
    ]
    worker = [python, "-m", "koers.cli", "worker"]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="koers.settings")
    processes = [subprocess.Popen(web, env=env), subprocess.Popen(worker, env=env)]
    print(
        f"Koers: serving http://{_display_host(args.host)}:{args.port} "
        "(web server and background worker; Ctrl+C stops both)",
        flush=True,
    )
    return _supervise(processes)


def _display_host(host: str) -> str:
    return "localhost" if host in {"127.0.0.1", "0.0.0.0", "::"} else host  # noqa: S104


def _supervise(processes: list[subprocess.Popen]) -> int:
    """Wait until one child stops or we are asked to stop; then stop the others."""
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for process in processes:
            if process.poll() is not None:
                # Ctrl+C reaches the whole process group: a child may stop a moment
                # before our own handler runs, so give that signal time to arrive.
                time.sleep(0.5)
                if not stopping:
                    code = process.returncode or 1
                    print(
                        f"Koers: {process.args[2]} stopped ({process.returncode}); "
                        "stopping the rest.",
                        file=sys.stderr,
                        flush=True,
                    )
                stopping = True
                break
        time.sleep(0.2)
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 15
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    return code


def cmd_worker(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    call_command("run_huey")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _setup()
    from koers.orgs import demo

    _prepare()
    demo.refresh_demo()
    print("Koers: demo organisation created or refreshed.")
    from django.conf import settings

    _print_demo_logins(settings.BASE_URL)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="koers", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="serve the web app and run the background worker")
    run.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)",
    )
    run.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    run.add_argument(
        "--demo",
        action="store_true",
        help="create the demo organisation on first start and print its logins",
    )
    sub.add_parser("worker", help="run background tasks only")
    sub.add_parser("demo", help="create or refresh the demo organisation")

    if not argv or argv[0] in {"-h", "--help"}:
        parser.print_help()
        print(
            "\nAny other command goes to Django, e.g. `koers migrate`, "
            '`koers createorg "Naam" eigenaar@example.nl`, `koers help`.'
        )
        return 0
    if argv[0] in {"run", "worker", "demo"}:
        args = parser.parse_args(argv)
        return {"run": cmd_run, "worker": cmd_worker, "demo": cmd_demo}[args.command](args)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["koers", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
