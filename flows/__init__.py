"""Prefect flows: orchestration only. Offline by default: no telemetry from the temporary server."""
import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
