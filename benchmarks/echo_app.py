"""Baseline for benchmarks/triage.py: a bare Flask JSON echo, served by the same gunicorn."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    return jsonify(status="ok")


@app.post("/echo")
def echo():  # type: ignore[no-untyped-def]
    return jsonify(request.get_json()), 201
