"""The API's rate limits: keyed on what the server verified (the token's id, else the client's
address), counted in the database so every worker and server shares one count."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from notary.api.services import create_token
from notary.core.permissions import Role
from notary.core.rate_limits import RateLimitCounter
from notary.extensions import db
from tests.factories import create_staff

ROOT = Path(__file__).resolve().parents[2]


def test_a_different_made_up_token_each_time_still_hits_the_limit(app, client):
    app.config["API_ANONYMOUS_RATE_LIMIT"] = "3 per minute"
    answers = [client.get("/api/v1/me", headers={"Authorization": f"Bearer nt_guess{i}"},
                          environ_base={"REMOTE_ADDR": "198.51.100.20"}).status_code
               for i in range(5)]
    assert answers == [401, 401, 401, 429, 429]
    # Another address has its own count; a valid token is counted on its own.
    other = client.get("/api/v1/me", headers={"Authorization": "Bearer nt_guess9"},
                       environ_base={"REMOTE_ADDR": "198.51.100.21"})
    assert other.status_code == 401
    user = create_staff(Role.NOTARY)
    secret = create_token(user, "script", actor=user).secret
    mine = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"},
                      environ_base={"REMOTE_ADDR": "198.51.100.20"})
    assert mine.status_code == 200 and mine.headers["X-RateLimit-Limit"] == "600"


def test_a_token_is_counted_by_its_id_however_the_header_is_written(app, client):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    user = create_staff(Role.NOTARY)
    secret = create_token(user, "script", actor=user).secret
    headers = [f"Bearer {secret}", f"bearer {secret}", f"Bearer  {secret} ", f"BEARER {secret}"]
    answers = [client.get("/api/v1/me", headers={"Authorization": h}).status_code
               for h in headers]
    assert answers == [200, 200, 200, 429]
    keys = db.session.scalars(sa.select(RateLimitCounter.key)).all()
    assert len(keys) == 1 and "token:" in keys[0] and secret not in keys[0]


SECOND_SERVER = """
import json, sys
from notary import create_app
from tests.conftest import _config
from pathlib import Path
config = {**_config(sys.argv[1], Path(sys.argv[2])), "API_RATE_LIMIT": "4 per minute"}
app = create_app(config)
client = app.test_client()
answers = [client.get("/api/v1/me", headers={"Authorization": "Bearer " + sys.argv[3]})
           for _ in range(2)]
print(json.dumps([[a.status_code, a.headers.get("X-RateLimit-Remaining")] for a in answers]))
"""


def test_two_servers_on_one_database_share_the_count(app, client, backend: dict[str, Any],
                                                     tmp_path: Path):
    app.config["API_RATE_LIMIT"] = "4 per minute"
    user = create_staff(Role.NOTARY)
    secret = create_token(user, "script", actor=user).secret
    bearer = {"Authorization": f"Bearer {secret}"}
    assert [client.get("/api/v1/me", headers=bearer).status_code for _ in range(2)] == [200, 200]
    # Another process: another worker or server, with nothing in memory in common.
    run = subprocess.run([sys.executable, "-c", SECOND_SERVER, backend["url"],
                          str(tmp_path / "second"), secret],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    answers = json.loads(run.stdout.strip().splitlines()[-1])
    assert answers == [[200, "1"], [200, "0"]]
    refused = client.get("/api/v1/me", headers=bearer)
    assert refused.status_code == 429
