"""The bench harness itself (`make bench` is never part of `make test`): wrk's output parsed,
its Lua script, the targets a row is held to, the table and results.json's shape."""

from __future__ import annotations

import json
import sys

import pytest

from benchmarks import lifecycle, routes, table, wrk

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:47123
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    30.15ms   66.48ms 297.44ms   88.07%
    Req/Sec    19.05k    19.60k   42.37k    62.50%
  Latency Distribution
     50%  401.00us
     75%   17.00ms
     90%  129.36ms
     99%    1.20s
  15276 requests in 1.05s, 2.48MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  14515.66
Transfer/sec:      2.35MB
"""


def test_wrk_latency_report_is_parsed_with_its_units():
    parsed = wrk.parse_wrk(WRK_OUTPUT)
    assert parsed["requests"] == 15276 and parsed["seconds"] == pytest.approx(1.05)
    assert parsed["requests_per_s"] == pytest.approx(14515.66)
    assert parsed["p50_ms"] == pytest.approx(0.401)
    assert parsed["p90_ms"] == pytest.approx(129.36)
    assert parsed["p99_ms"] == pytest.approx(1200.0)
    assert parsed["non_2xx"] == 7 and parsed["socket_errors"] == 3


def test_a_clean_wrk_report_counts_no_errors():
    clean = "\n".join(line for line in WRK_OUTPUT.splitlines() if "errors" not in line and "Non-2xx" not in line)
    parsed = wrk.parse_wrk(clean)
    assert parsed["non_2xx"] == 0 and parsed["socket_errors"] == 0


def test_what_is_not_a_wrk_report_is_refused():
    with pytest.raises(ValueError):
        wrk.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_the_posting_script_sends_a_new_key_each_time():
    script = wrk.lua_script("POST", "/p", {"Authorization": "Bearer t"}, b'{"a":"b"}', "bench-x-")
    assert 'headers["Idempotency-Key"] = "bench-x-" .. count' in script
    assert "count = count + 1" in script and 'wrk.format("POST", "/p", headers, body)' in script
    assert 'local body = "{\\"a\\":\\"b\\"}"' in script
    assert "Idempotency-Key" not in wrk.lua_script("GET", "/", {}, b"", None)


def figures(rate: float) -> dict:
    return {"requests_per_s": rate, "p50_ms": 1.0, "p99_ms": 2.0, "non_2xx": 0, "socket_errors": 0}


def test_a_read_row_meets_its_targets_only_with_both_ratios():
    health = routes.ROUTES[0]
    met = routes.http_row(health, 16, figures(3000), figures(700), figures(10_000))
    assert met["ceiling_pct"] == 30.0 and met["x_prism"] == pytest.approx(4.29) and met["ok"] is True
    slow = routes.http_row(health, 16, figures(2000), figures(700), figures(10_000))
    assert slow["ok"] is False and slow["target"] == ">=25% ceiling, >=4x Prism"


def test_the_cpu_columns_compare_cpu_time_per_request():
    ours, prism, ceiling = figures(1000) | {"cpu_ms": 0.4}, figures(900) | {"cpu_ms": 1.2}, figures(9000) | {"cpu_ms": 0.04}
    row = routes.http_row(routes.ROUTES[2], 16, ours, prism, ceiling)
    assert row["x_prism_cpu"] == 3.0 and row["ceiling_cpu_pct"] == 10.0 and row["cpu_ms"] == 0.4


def test_the_posting_row_is_held_to_the_ceiling_only():
    row = routes.http_row(routes.POSTING_ROUTE, 1, figures(1100), figures(100), figures(10_000))
    assert row["target"] == ">=10% ceiling" and row["ok"] is True
    assert routes.durable_row(16, figures(900), figures(500))["ok"] is False


def test_results_json_has_its_keys_and_the_table_prints_every_row(tmp_path, capsys):
    rows = [routes.http_row(routes.ROUTES[1], 16, figures(3000), None, figures(9000)),
            {"section": "start-up", "name": "first healthy answer", "value": 0.6, "unit": "s", "ok": True}]
    results = {key: None for key in table.RESULTS_KEYS} | {"rows": rows,
                                                          "machine": table.machine(None, None)}
    written = json.loads(table.write_results(results, tmp_path / "results.json").read_text())
    assert set(table.RESULTS_KEYS) <= set(written) and written["rows"] == rows
    assert {"nproc", "cpu_model", "python", "uvicorn", "connexion", "prism"} <= set(written["machine"])
    table.print_rows(rows)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["section", "measure"] and len(lines) == 4
    assert "33.3%" in lines[2] and "0.6 s" in lines[3]
    with pytest.raises(AssertionError):
        table.write_results({"rows": []}, tmp_path / "partial.json")


def test_without_scale_module_the_table_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "benchmarks.scale", None)
    assert lifecycle.scale_rows(True) == ([], "scale rows: benchmarks/scale.py not present")


def test_connexions_floor_is_a_stock_connexion_app_answering_its_fixed_body():
    """The floor row measures a real Connexion app (routing, its default middleware), not a stand-in."""
    import asyncio

    import httpx
    from connexion import AsyncApp

    from benchmarks.bare_connexion import BODY, build_app
    app = build_app()
    assert isinstance(app, AsyncApp)

    async def get(path: str) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
            return await client.get(path)
    found, missing = asyncio.run(get("/")), asyncio.run(get("/nowhere"))
    assert found.status_code == 200 and found.json() == BODY
    assert missing.status_code == 404, "Connexion routes: a path the spec lacks is not answered by the handler"


def test_every_benchmark_module_imports_and_its_names_resolve():
    """`make bench` runs some modules only in its full mode (the 1M-line scale rows, the memory over HTTP): a
    name one of them imports from another that moved fails here, not after 20 minutes of a full run."""
    import importlib
    import pkgutil
    from pathlib import Path

    import benchmarks
    from benchmarks import http_memory
    names = [info.name for info in pkgutil.iter_modules([str(Path(benchmarks.__file__).parent)])]
    assert {"run", "scale", "http_memory", "bare_connexion"} <= set(names)
    for name in names:
        importlib.import_module(f"benchmarks.{name}")
    from benchmarks.scale import rss_bytes
    assert rss_bytes() > 0 and callable(http_memory.bytes_per_line_over_http)
