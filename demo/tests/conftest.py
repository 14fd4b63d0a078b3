# The plans demo test logs activities with the plans tests' helper.
from plans.tests.conftest import make_activity  # noqa: F401
