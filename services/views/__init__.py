"""Services pages, one module per capability: links.py, visits.py, requests.py, meetings.py, trainings.py.
services/urls.py imports the modules directly."""
