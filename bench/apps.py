from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The province generator (`seed_scale`) and the benchmark (`bench`); no models."""

    name = "bench"
