"""Pages of the activities app. Every lookup goes through orgs.scoping (via activities.selectors)."""
