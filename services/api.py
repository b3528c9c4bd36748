"""See models.py; filled in by the services issue."""
