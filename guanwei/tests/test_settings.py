"""Production settings: refuse to start half-configured; pass Django's deploy check."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "guanwei.settings",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "gw.example.edu.cn",
    "GUANWEI_HTTPS": "1",
    "DJANGO_DEBUG": "0",
}


def manage(*args: str, drop: tuple[str, ...] = (), **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUANWEI_"))}
    env.update(PRODUCTION)
    # A production machine: no var/secret_key from the embedded default.
    env["GUANWEI_VAR_DIR"] = tempfile.mkdtemp(prefix="guanwei-prod-var-")
    env.update(extra)
    for key in drop:
        env.pop(key, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", drop=("DJANGO_SECRET_KEY",))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", drop=("DJANGO_ALLOWED_HOSTS",))
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_a_bad_boolean_setting_stops_start_up_with_its_name():
    result = manage("check", GUANWEI_HTTPS="perhaps")
    assert result.returncode != 0
    assert "GUANWEI_HTTPS" in result.stderr


def test_the_embedded_default_uses_the_key_make_run_generated(tmp_path):
    (tmp_path / "secret_key").write_text("generated-by-make-run-0123456789abcdefghijklmnopqrstuvwxyz")
    result = manage("check", drop=("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"), GUANWEI_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
