"""Locust users for ``benchmarks/bench_load.py``: GIS clients reading waters by bounding box."""

from __future__ import annotations

import random

from locust import FastHttpUser, between, task

# The sample township spans about 112.90-113.00 E, 29.78-29.88 N; each request asks for a window
# of a tenth to a third of it, as a GIS client panning over the map does.
WEST, SOUTH, EAST, NORTH = 112.90, 29.78, 113.00, 29.88


class GisClient(FastHttpUser):
    wait_time = between(0, 0)

    @task
    def waters_in_view(self) -> None:
        width = random.uniform(0.01, 0.035)
        x = random.uniform(WEST, EAST - width)
        y = random.uniform(SOUTH, NORTH - width)
        bbox = f"{x:.4f},{y:.4f},{x + width:.4f},{y + width:.4f}"
        self.client.get(
            f"/ogc/collections/waters/items?bbox={bbox}",
            name="/ogc/collections/waters/items?bbox=",
        )
