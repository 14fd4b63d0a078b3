# The activity kinds fixture, for the hostile-form tests that log activities.
from activities.tests.conftest import kinds  # noqa: F401
