"""Export every case (CSV or XLSX) through the app and report the process's peak memory.

Run in its own process so the peak (ru_maxrss) belongs to this export alone; the floor is
the same process's peak just before the request (the app, its imports and a signed-in client).
"""

from __future__ import annotations

import json
import resource
import sys
import time

from notary import create_app


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    fmt = sys.argv[1]
    app = create_app({"WTF_CSRF_ENABLED": False})
    from notary.demo import DEMO_PASSWORD

    with app.app_context():
        client = app.test_client()
        client.post("/login", data={"username": "director", "password": DEMO_PASSWORD})
        client.get("/cases/")
        before = peak_mb()
        began = time.perf_counter()
        response = client.get(f"/cases/export.{fmt}", buffered=False)
        assert response.status_code == 200, response.status_code
        streamed = response.is_streamed  # a generator, not a body built in memory
        size = chunks = 0
        for chunk in response.response:
            size += len(chunk)
            chunks += 1
        response.close()
        seconds = time.perf_counter() - began
    peak = peak_mb()
    print(json.dumps({"format": fmt, "bytes": size, "chunks": chunks,
                      "seconds": round(seconds, 1), "peak_mb": round(peak, 1),
                      "floor_peak_mb_before_request": round(before, 1),
                      "streamed": streamed, "target": "streamed, peak < 200 MB",
                      "ok": streamed and peak < 200}))


if __name__ == "__main__":
    main()
