"""The floor for throughput: the smallest Flask app, served by gunicorn the same way."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index() -> str:
    return "<!doctype html><title>ok</title><p>ok</p>"
