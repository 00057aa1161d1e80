"""Shared set-up for the benchmark scripts (not imported by the application).

Every script takes ``--database-url`` (default: the ``DATABASE_URL`` environment variable,
else a SQLite file under ``bench/out/``). ``--fresh`` drops and recreates that database
first; as a guard it only does so when the database name contains "bench".

Usage from a script::

    from bench import common
    args = common.parser("what it does").parse_args()
    common.setup(args)          # fresh database (if asked), django.setup(), migrate
    sku = common.make_sku("BENCH-1", pattern="B{YY}{SEQ:8}{CHECK}")
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_SQLITE_URL = f"sqlite:///{OUT / 'bench.sqlite3'}"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL),
        help="postgres://user@host:port/name or sqlite:///path (default: $DATABASE_URL, "
        "else a SQLite file in bench/out/)",
    )
    p.add_argument(
        "--fresh",
        action="store_true",
        help="drop and recreate the database first (only if its name contains 'bench')",
    )
    p.add_argument("--json", help="also append the figures as one JSON line to this file")
    return p


def vendor(url: str) -> str:
    scheme = urlparse(url).scheme
    return "postgresql" if scheme.startswith("postgres") else "sqlite"


def db_name(url: str) -> str:
    parsed = urlparse(url)
    if vendor(url) == "sqlite":
        return Path(parsed.path).name
    return parsed.path.lstrip("/")


def fresh_database(url: str) -> None:
    """Drop and recreate the benchmark database (refuses names without 'bench')."""
    name = db_name(url)
    if "bench" not in name:
        raise SystemExit(f"--fresh refuses to drop database {name!r}: its name lacks 'bench'")
    if vendor(url) == "sqlite":
        path = Path(urlparse(url).path)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def configure(url: str) -> None:
    """Point Django at ``url`` and set it up (the application's own settings module)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unitrace.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("SERVER_TIMING", "1")  # benchmarks read the server-side latency
    if vendor(url) == "sqlite":
        Path(urlparse(url).path).parent.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def setup(args: argparse.Namespace) -> None:
    args.load_at_start = round(os.getloadavg()[0], 2)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.fresh:
        fresh_database(args.database_url)
    configure(args.database_url)
    t = time.perf_counter()
    migrate()
    print(
        f"# database: {vendor(args.database_url)} {db_name(args.database_url)}; "
        f"migrated in {time.perf_counter() - t:.1f} s",
        flush=True,
    )


# --- master data -------------------------------------------------------------------------------


def make_sku(code: str, *, pattern: str = "", name: str = "", **extra):
    from unitrace.catalog.models import SKU

    sku, _created = SKU.objects.update_or_create(
        code=code,
        defaults={
            "name": name or f"基准测试 {code}",
            "serial_pattern": pattern,
            "serialized": True,
            **extra,
        },
    )
    return sku


def make_batches(sku, count: int, *, prefix: str = "L"):
    """``count`` batches of ``sku`` with production dates spread over the last year."""
    from datetime import timedelta

    from django.utils import timezone

    from unitrace.catalog.models import Batch

    today = timezone.localdate()
    existing = {b.code: b for b in Batch.objects.filter(sku=sku)}
    new = [
        Batch(
            sku=sku,
            code=f"{prefix}{i:04d}",
            production_date=today - timedelta(days=1 + i % 360),
            factory="苏州工厂",
            line=f"L{i % 4 + 1}",
            qc_status=Batch.QC.PASSED,
        )
        for i in range(count)
        if f"{prefix}{i:04d}" not in existing
    ]
    Batch.objects.bulk_create(new)
    return list(Batch.objects.filter(sku=sku).order_by("code"))


def make_warehouses(count: int = 5):
    from unitrace.places.models import Warehouse

    levels = ["factory", "hq", "regional", "regional", "service_centre"]
    out = []
    for i in range(count):
        wh, _c = Warehouse.objects.get_or_create(
            code=f"BW{i:02d}",
            defaults={
                "name": f"基准仓库 {i}",
                "level": levels[i % len(levels)],
                "province": "江苏省",
                "city": "苏州市",
            },
        )
        out.append(wh)
    return out


def make_parties(kind: str, count: int, *, prefix: str):
    from unitrace.parties.models import Party

    existing = set(Party.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    Party.objects.bulk_create(
        [
            Party(
                kind=kind,
                code=f"{prefix}{i:05d}",
                name=f"{prefix} 客户 {i}",
                is_company=kind != "customer",
                phone=f"138{i:08d}",
                province="浙江省",
                city="杭州市",
                district="西湖区",
                address=f"文三路 {i} 号",
            )
            for i in range(count)
            if f"{prefix}{i:05d}" not in existing
        ],
        batch_size=2000,
    )
    return list(Party.objects.filter(code__startswith=prefix).order_by("code"))


def api_token(username: str = "bench-agent", role: str = "agent") -> str:
    """A login holding ``role`` and its API token key."""
    from unitrace.accounts import tokens
    from unitrace.accounts.services import create_user

    user = create_user(username, "bench-password-not-secret", role)
    return tokens.issue(user, "bench").key


# --- measuring --------------------------------------------------------------------------------


@contextlib.contextmanager
def timed(label: str, figures: dict | None = None, key: str | None = None) -> Iterator[None]:
    t = time.perf_counter()
    yield
    elapsed = time.perf_counter() - t
    print(f"  {label}: {elapsed:.2f} s", flush=True)
    if figures is not None:
        figures[key or label] = round(elapsed, 3)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of an unsorted list."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict:
    return {
        "p50": round(percentile(values, 50), 2),
        "p90": round(percentile(values, 90), 2),
        "p99": round(percentile(values, 99), 2),
        "max": round(max(values), 2) if values else None,
        "mean": round(statistics.fmean(values), 2) if values else None,
    }


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_pid() -> int | None:
    """The PostgreSQL server process of Django's connection (None on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


class CpuMeter:
    """CPU seconds used by this process and by one database backend over a block.

    On a shared machine wall-clock figures depend on what else runs; CPU time per unit
    of work does much less, and shows which side (Python or the database) costs what.
    """

    def __init__(self) -> None:
        self.pid = backend_pid()
        self.client = self.server = 0.0

    def __enter__(self) -> CpuMeter:
        self._client = time.process_time()
        self._server = cpu_seconds(self.pid) if self.pid else 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.client = time.process_time() - self._client
        if self.pid:
            self.server = cpu_seconds(self.pid) - self._server


def machine() -> dict:
    """Cores, RAM and CPU model, for the results table."""
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        mem = subprocess.run(["free", "-h"], capture_output=True, text=True, check=True).stdout
        ram = mem.splitlines()[1].split()[1]
    return {"cores": os.cpu_count(), "ram": ram, "cpu": cpu, "python": platform.python_version()}


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def report(args: argparse.Namespace, name: str, figures: dict) -> None:
    record = {
        "bench": name,
        "database": database_version(),
        "machine": machine(),
        # Other work on the machine skews the figures: the 1-minute load average.
        "load_avg": {
            "start": getattr(args, "load_at_start", None),
            "end": round(os.getloadavg()[0], 2),
        },
        **figures,
    }
    print("# result " + json.dumps(record, ensure_ascii=False), flush=True)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        with open(args.json, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
