from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data `seed_demo` loads (see `demo`); no models."""

    name = "demo"
