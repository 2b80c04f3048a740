"""``make fuzz``: run every registered importer against hostile and broken input.

    .venv/bin/python -m fuzz.run [--only NAME ...] [--parser-cases N] [--service-cases N] [--workers N]

Per importer: ``FUZZ_PARSER_CASES`` (10,000) cases at the parser level and ``FUZZ_SERVICE_CASES`` (500) through
the service layer and a real database (a fresh SQLite copy per worker, or the server in ``FUZZ_DATABASE_URL``).

The oracle, per case:

* the call returns, or raises ``BadInput`` with a Dutch message; anything else (another exception, a
  hang longer than ``FUZZ_CASE_SECONDS``, running out of the ``FUZZ_MEMORY_BYTES`` address space) is a finding;
* hostile input that must be refused (external entities, entity expansion, zip bombs, oversized files) must
  end in ``BadInput``;
* service level, after a refusal: the row count of every table is unchanged (no partial write);
* service level, after a success: every stored value fits PostgreSQL (string lengths, NUL characters, integer
  and decimal ranges, NaN/Infinity or NUL in JSON), and the entry's export checks pass (formulas neutralised);
* nothing is written outside the case's own directory (path traversal).

Findings are written to ``var/fuzz/findings/<importer>/`` (input bytes + traceback); the summary (cases per
importer, outcomes, duration) to ``var/fuzz/summary.json``. Exit code 1 when there are findings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from . import config

DUTCH_WORDS = re.compile(r"\b(bestand|regel|geen|niet|ontbreekt|is|een|het|de|van|veld|kolom|te|verwacht|map|"
                         r"gebruik|onbekend\w*|ongeldig\w*|leeg|groot|element|gebeurtenis|zaak|waarde|antwoord\w*|"
                         r"vul|kies|link|tijdstempel|bevat|meer|dan|toegestaan|uitgepakt|wordt|moet|kan|zijn|met|voor|"
                         r"bij|naar|geweigerd|gevonden|ontbreken)\b", re.I)
TRAVERSAL_TARGETS = [Path("/tmp/harmonie-fuzz-traversal.txt"), Path("/tmp/harmonie-fuzz-abs.txt"),
                     Path("/tmp/x.json"), Path("/tmp/harmonie-fuzz.txt")]


class CaseTimeout(BaseException):
    """Raised by the alarm: a BaseException so the code under test cannot swallow it."""


def _alarm(signum, frame):
    raise CaseTimeout()


# --- worker side ------------------------------------------------------------------------------


def _django(db_path: Path, data_dir: Path):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harmonie.settings")
    if os.environ.get("FUZZ_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["FUZZ_DATABASE_URL"]
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["HARMONIE_DATA_DIR"] = str(data_dir)
    for setting in ("HARMONIE_MAX_UPLOAD_BYTES", "HARMONIE_CATALOGUE_MAX_BYTES", "HARMONIE_EVENTLOG_MAX_BYTES",
                    "HARMONIE_MAX_IMPORT_BYTES"):
        os.environ[setting] = str(config.MAX_BYTES)
    os.environ.setdefault("HARMONIE_SECRET_KEY", "fuzz-" + "x" * 50)
    os.environ["HARMONIE_PROCESS_WORKERS"] = "1"
    import django

    django.setup()
    from django.conf import settings

    # Tests' password hashing: the fuzzer creates users, not logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _frame(exc: BaseException) -> str:
    """Innermost frame in Harmonie's code (else the innermost frame): the finding's location."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/harmonie/" in f.filename and "/fuzz/" not in f.filename]
    f = (ours or frames or [None])[-1]
    if f is None:
        return "?"
    name = f.filename.split("/src/")[-1] if "/src/" in f.filename else Path(f.filename).name
    return f"{name}:{f.lineno}"


class Recorder:
    def __init__(self, entry, level: str):
        self.entry, self.level = entry, level
        self.outcomes = Counter()
        self.findings: dict[str, dict] = {}
        self.mutators = Counter()
        self.started = time.monotonic()
        self.dir = config.OUT / "findings" / entry.name
        self.total_case_seconds = 0.0

    def finding(self, kind: str, case, detail: str, exc: BaseException | None = None):
        where = _frame(exc) if exc is not None else ""
        key = f"{self.level}|{kind}|{type(exc).__name__ if exc else ''}|{where}"
        entry = self.findings.get(key)
        if entry is None:
            entry = self.findings[key] = {"level": self.level, "kind": kind, "exception": type(exc).__name__ if exc else "",
                                          "where": where, "count": 0, "detail": detail[:500], "example": None,
                                          "size": None}
        entry["count"] += 1
        if entry["size"] is None or len(case.data) < entry["size"]:
            self.dir.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256(key.encode()).hexdigest()[:12]
            stem = self.dir / f"{self.level}-{digest}"
            stem.with_suffix(".bin").write_bytes(case.data)
            tb = "".join(traceback.format_exception(exc)) if exc is not None else ""
            stem.with_suffix(".txt").write_text(
                f"importer: {self.entry.name}\nlevel: {self.level}\nkind: {kind}\nfile name: {case.name}\n"
                f"seed: {case.origin}\nmutators: {', '.join(case.mutators) or '-'}\nbytes: {len(case.data)}\n"
                f"detail: {detail}\n\n{tb}", encoding="utf-8")
            entry.update(example=str(stem.with_suffix(".bin")), size=len(case.data), detail=detail[:500])

    def summary(self) -> dict:
        return {"importer": self.entry.name, "level": self.level, "cases": sum(self.outcomes.values()),
                "outcomes": dict(self.outcomes), "seconds": round(time.monotonic() - self.started, 1),
                "seconds_in_cases": round(self.total_case_seconds, 1),
                "mutators": dict(self.mutators.most_common()), "findings": list(self.findings.values())}


def _run_case(rec: Recorder, case, call, workdir: Path):
    from harmonie.core.errors import BadInput

    for target in TRAVERSAL_TARGETS:
        target.unlink(missing_ok=True)
    casedir = Path(tempfile.mkdtemp(dir=workdir))
    path = casedir / case.name
    path.write_bytes(case.data)
    for name in case.mutators:
        rec.mutators[name] += 1
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, config.CASE_SECONDS)
    outcome, error = "ok", None
    try:
        call(path, case.data, case.name)
    except BadInput as exc:
        outcome, error = "refused", exc
    except CaseTimeout as exc:
        outcome, error = "timeout", exc
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - that is what we are looking for (incl. a Rust PanicException)
        outcome, error = "crash", exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        rec.total_case_seconds += time.monotonic() - started
        shutil.rmtree(casedir, ignore_errors=True)
    rec.outcomes[outcome] += 1
    if outcome == "refused":
        message = getattr(error, "message", "") or ""
        if not isinstance(message, str) or not message.strip() or not DUTCH_WORDS.search(message):
            rec.finding("message-not-dutch", case, repr(message), error)
        elif re.search(r"Traceback|Error\(|Exception\(|\bobject at 0x", message):
            rec.finding("message-leaks-internals", case, message, error)
    elif outcome == "timeout":
        rec.finding("timeout", case, f"langer dan {config.CASE_SECONDS} s", error)
    elif outcome == "crash":
        rec.finding("crash", case, f"{type(error).__name__}: {error}"[:500], error)
    # only the last mutator's attack is surely intact (a later truncation may have cut a DOCTYPE away)
    hostile = set(case.mutators[-1:]) & rec.entry.must_refuse
    if "oversized" in hostile and (len(case.data) <= config.MAX_BYTES or
                                   (rec.level == "parser" and rec.entry.size_check_in_service)):
        hostile.discard("oversized")
    if outcome == "ok" and hostile:
        rec.finding("hostile-accepted", case, f"geaccepteerd ondanks {', '.join(sorted(hostile))}")
    for target in TRAVERSAL_TARGETS:
        if target.exists():
            rec.finding("path-traversal", case, f"schreef {target}")
            target.unlink(missing_ok=True)
    return outcome, error


def _table_counts() -> dict:
    from django.apps import apps

    return {m._meta.label: m._base_manager.count() for m in apps.get_models() if m._meta.managed}


def _max_pks() -> dict:
    from django.apps import apps
    from django.db.models import AutoField, BigAutoField, Max

    out = {}
    for model in apps.get_models():
        if model._meta.managed and isinstance(model._meta.pk, (AutoField, BigAutoField)):
            out[model] = model._base_manager.aggregate(n=Max("pk"))["n"] or 0
    return out


INT_RANGES = {"SmallIntegerField": 2 ** 15, "PositiveSmallIntegerField": 2 ** 15, "IntegerField": 2 ** 31,
              "PositiveIntegerField": 2 ** 31, "BigIntegerField": 2 ** 63, "PositiveBigIntegerField": 2 ** 63}


def _json_problem(value, depth=0) -> str:
    if isinstance(value, str):
        return "NUL in JSON-tekst" if "\x00" in value else ""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "NaN/Infinity in JSON"
    if isinstance(value, dict):
        for k, v in value.items():
            problem = _json_problem(k) or _json_problem(v, depth + 1)
            if problem:
                return problem
    if isinstance(value, list):
        for v in value:
            problem = _json_problem(v, depth + 1)
            if problem:
                return problem
    return ""


def portable_problems(before: dict) -> list[str]:
    """Values in rows created since ``before`` that PostgreSQL would refuse (SQLite stores them silently)."""
    from decimal import Decimal

    from django.db import models

    problems = []
    for model, max_pk in before.items():
        fields = model._meta.concrete_fields
        for obj in model._base_manager.filter(pk__gt=max_pk).iterator():
            for f in fields:
                value = getattr(obj, f.attname)
                if value is None:
                    continue
                where = f"{model._meta.label}.{f.name} (pk {obj.pk})"
                if isinstance(value, str):
                    if "\x00" in value:
                        problems.append(f"{where}: NUL-teken")
                    if isinstance(f, models.CharField) and f.max_length and len(value) > f.max_length:
                        problems.append(f"{where}: {len(value)} tekens, maximaal {f.max_length}")
                limit = INT_RANGES.get(f.get_internal_type())
                if limit and isinstance(value, int) and not -limit <= value < limit:
                    problems.append(f"{where}: getal {value} buiten het bereik")
                if isinstance(f, models.DecimalField) and isinstance(value, Decimal):
                    if not value.is_finite():
                        problems.append(f"{where}: {value}")
                    else:
                        digits = len(value.quantize(Decimal(1) / 10 ** f.decimal_places).as_tuple().digits)
                        if digits > f.max_digits:
                            problems.append(f"{where}: {value} past niet in {f.max_digits} cijfers")
                if isinstance(f, models.JSONField):
                    problem = _json_problem(value)
                    if problem:
                        problems.append(f"{where}: {problem}")
                if isinstance(f, (models.DateField, models.DateTimeField)) and getattr(value, "year", 2000) < 1:
                    problems.append(f"{where}: datum {value}")
        if len(problems) > 20:
            break
    return problems


def _hypothesis_settings(cases: int):
    from hypothesis import HealthCheck, Phase, settings

    derandomize = os.environ.get("FUZZ_DERANDOMIZE", "0") == "1"
    settings.register_profile("fuzz", deadline=None, database=None, print_blob=False,
                              suppress_health_check=list(HealthCheck), phases=[Phase.generate],
                              derandomize=derandomize)
    settings.register_profile("smoke", parent=settings.get_profile("fuzz"), max_examples=50)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))
    return settings(max_examples=cases) if os.environ.get("HYPOTHESIS_PROFILE", "fuzz") == "fuzz" else settings()


def run_entry(name: str, template_db: str, parser_cases: int, service_cases: int) -> list[dict]:
    """One importer, in its own process: parser level, then service level."""
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (config.MEMORY_LIMIT, config.MEMORY_LIMIT))
    except (ValueError, OSError):
        pass
    workdir = Path(tempfile.mkdtemp(prefix=f"harmonie-fuzz-{name}-"))
    db_path = workdir / "fuzz.sqlite3"
    shutil.copy(template_db, db_path)
    (workdir / "data").mkdir()
    _django(db_path, workdir / "data")
    signal.signal(signal.SIGALRM, _alarm)
    from hypothesis import given

    from . import registry
    from .strategies import case_strategy, mutated_case

    entry = next(e for e in registry.IMPORTERS if e.name == name)
    strategy = case_strategy(entry)
    results = []
    try:
        rec = Recorder(entry, "parser")
        # Hypothesis drives HYPOTHESIS_SHARE of the cases (generated documents and mutated seeds); the rest are
        # mutated seeds drawn with a seeded random generator, which costs a fraction of hypothesis' engine.
        by_hypothesis = min(parser_cases, max(1, round(parser_cases * config.HYPOTHESIS_SHARE))) if parser_cases else 0
        if by_hypothesis:
            @_hypothesis_settings(by_hypothesis)
            @given(strategy)
            def parser_level(case):
                _run_case(rec, case, entry.parse, workdir)

            parser_level()
        seeds = entry.load_seeds()
        if seeds:
            rnd = random.Random(config.SEED if os.environ.get("FUZZ_DERANDOMIZE", "0") == "1" else None)
            for _ in range(parser_cases - by_hypothesis):
                _run_case(rec, mutated_case(entry, seeds, rnd), entry.parse, workdir)
        results.append(rec.summary())

        if entry.service is not None and service_cases:
            ctx: dict = {}
            if entry.setup is not None:
                entry.setup(ctx)
            srec = Recorder(entry, "service")
            prepare = registry.PREPARE.get(entry.name)

            def service_call(path, data, case_name):
                return entry.service(ctx, path, data, case_name)

            @_hypothesis_settings(service_cases)
            @given(strategy)
            def service_level(case):
                if prepare is not None:
                    prepare(ctx)
                counts, pks = _table_counts(), _max_pks()
                outcome, error = _run_case(srec, case, service_call, workdir)
                if outcome != "ok":
                    after = _table_counts()
                    changed = {k: (counts[k], after.get(k)) for k in counts if counts[k] != after.get(k)}
                    if changed:
                        srec.finding("partial-write", case, f"rijen veranderd na een mislukte import: {changed}", error)
                    return
                problems = portable_problems(pks)
                if problems:
                    srec.finding("not-portable", case, "; ".join(problems[:5]))
                if entry.after_success is not None:
                    try:
                        entry.after_success(ctx)
                    except Exception as exc:  # noqa: BLE001
                        srec.finding("after-success", case, f"{type(exc).__name__}: {exc}"[:500], exc)

            service_level()
            results.append(srec.summary())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def _worker(args):
    name, template_db, parser_cases, service_cases = args
    try:
        return run_entry(name, template_db, parser_cases, service_cases)
    except BaseException as exc:  # noqa: BLE001 - report the broken harness, keep the other importers going
        return [{"importer": name, "level": "harness", "cases": 0, "outcomes": {}, "seconds": 0, "mutators": {},
                 "findings": [{"level": "harness", "kind": "harness-error", "exception": type(exc).__name__,
                               "where": _frame(exc), "count": 1,
                               "detail": "".join(traceback.format_exception(exc))[-2000:], "example": None}]}]


# --- main side --------------------------------------------------------------------------------


def _template_db(tmp: Path) -> Path:
    db = tmp / "template.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "HARMONIE_DATA_DIR": str(tmp / "data"),
           "HARMONIE_SECRET_KEY": os.environ.get("HARMONIE_SECRET_KEY", "fuzz-" + "x" * 50)}
    if os.environ.get("FUZZ_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["FUZZ_DATABASE_URL"]
    harmonie = Path(sys.executable).with_name("harmonie")
    subprocess.run([str(harmonie), "migrate", "--no-input", "-v", "0"], env=env, check=True)
    return db


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz alle importers (make fuzz).")
    parser.add_argument("--only", nargs="*", help="alleen deze importers (naam of app, bijv. reference)")
    parser.add_argument("--parser-cases", type=int, default=config.PARSER_CASES)
    parser.add_argument("--service-cases", type=int, default=config.SERVICE_CASES)
    parser.add_argument("--workers", type=int, default=config.WORKERS)
    parser.add_argument("--list", action="store_true", help="toon de geregistreerde importers")
    args = parser.parse_args(argv)
    from . import registry

    if not config.SHARED.exists():
        print(f"FOUT: de echte bestanden voor de seeds ontbreken: {config.SHARED} (zet HARMONIE_SHARED_DATA).")
        return 2
    chosen = registry.entries(args.only)
    if args.list:
        for entry in registry.IMPORTERS:
            print(f"{entry.name:32} {'actief' if entry.available() else 'nog niet aanwezig'}")
        return 0
    skipped = [e.name for e in registry.IMPORTERS if e not in chosen and (not args.only or e.name in args.only)]
    config.OUT.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(config.OUT / "findings", ignore_errors=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="harmonie-fuzz-") as tmp:
        template = _template_db(Path(tmp))
        tasks = [(e.name, str(template), args.parser_cases, args.service_cases) for e in chosen]
        context = multiprocessing.get_context("spawn")
        print(f"{len(tasks)} importers, {args.parser_cases} gevallen per importer in de parser en "
              f"{args.service_cases} door de service; {max(1, args.workers)} processen.", flush=True)
        results = []
        with context.Pool(max(1, args.workers), maxtasksperchild=1) as pool:
            for done, batch in enumerate(pool.imap_unordered(_worker, tasks), start=1):
                results += batch
                crashes = sum(len(r["findings"]) for r in batch)
                print(f"[{done}/{len(tasks)}] {batch[0]['importer'] if batch else '?'}: {sum(r['cases'] for r in batch)} gevallen, "
                      f"{crashes} vondsten, {time.monotonic() - started:.0f} s sinds de start", flush=True)
    duration = time.monotonic() - started
    results.sort(key=lambda r: (r["importer"], r["level"]))
    findings = [f | {"importer": r["importer"]} for r in results for f in r["findings"]]
    summary = {"seconds": round(duration, 1), "parser_cases": args.parser_cases, "service_cases": args.service_cases,
               "results": results, "not_available": skipped, "findings": len(findings)}
    (config.OUT / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\n{'importer':32} {'niveau':8} {'gevallen':>8} {'ok':>6} {'BadInput':>8} {'crash':>6} {'hang':>5} "
          f"{'vondsten':>8} {'tijd (s)':>8} {'in importer':>11}")
    for r in results:
        o = r["outcomes"]
        print(f"{r['importer']:32} {r['level']:8} {r['cases']:>8} {o.get('ok', 0):>6} {o.get('refused', 0):>8} "
              f"{o.get('crash', 0):>6} {o.get('timeout', 0):>5} {len(r['findings']):>8} {r['seconds']:>8} "
              f"{r.get('seconds_in_cases', 0):>11}")
    if skipped:
        print(f"\nNog niet aanwezig (overgeslagen): {', '.join(skipped)}")
    print(f"\nTotaal {duration:.0f} s; {len(findings)} verschillende vondsten.")
    for f in findings:
        print(f"- [{f['importer']} / {f['level']}] {f['kind']} {f['exception']} {f['where']} (x{f['count']}): "
              f"{f['detail'][:300]}")
        if f.get("example"):
            print(f"    invoer: {f['example']}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
