"""Staff screens of the participatory budget in the Wagtail admin."""
