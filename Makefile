# The only entry points a newcomer needs: `make run` and `make test` (see README.md).
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-8)
HOST   ?= 127.0.0.1:8000

.PHONY: run test bench browser setup db vendor clean mutate loadtest

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium and a Chinese font for the browser tests and screenshots; Playwright's own
# browser download is not used. WeasyPrint (the dossier PDFs) needs Pango and the same font;
# poppler-utils (pdftotext, pdftoppm) lets the tests read the PDFs.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wenquanyi || ! command -v pdftotext >/dev/null \
		|| [ -z "$$(ls /usr/lib/*/libpangoft2-1.0.so.0 /usr/lib/libpangoft2-1.0.so.0 2>/dev/null)" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-zenhei poppler-utils libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium fonts-wqy-zenhei poppler-utils libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; fi; \
	fi

db: $(STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py load_reference_data -v0
	$(PY) manage.py load_editions -v0
	$(PY) manage.py seed_demo --if-empty

run: db
	$(PY) manage.py runserver $(HOST)

test: $(STAMP) browser
	$(VENV)/bin/pytest -n 2 --dist worksteal

bench: $(STAMP)
	$(PY) bench/run_all.py

# Mutation testing per area (pyproject.toml [tool.jinhu-mutate.<area>]); long, not in CI. AREAS="scoping workflow";
# AGAIN=1 re-tests only the mutants not killed last time (after adding tests).
mutate: $(STAMP)
	AGAIN=$(AGAIN) RESUME=$(RESUME) $(PY) scripts/mutate.py $(AREAS)

# 200 simulated users for 5 minutes against gunicorn + PostgreSQL (bench/loadtest/run.py); not in CI.
loadtest: $(STAMP)
	$(PY) bench/loadtest/run.py

vendor:
	cd /tmp && rm -rf jinhu-vendor && mkdir jinhu-vendor && cd jinhu-vendor && npm init -y >/dev/null && \
		npm install --silent bootstrap@5.3.9 htmx.org@2.0.11 echarts@6.1.0 axe-core@4.14.1
	cp /tmp/jinhu-vendor/node_modules/bootstrap/dist/css/bootstrap.min.css /tmp/jinhu-vendor/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
	cp /tmp/jinhu-vendor/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp /tmp/jinhu-vendor/node_modules/echarts/dist/echarts.min.js static/vendor/echarts/
	cp /tmp/jinhu-vendor/node_modules/axe-core/axe.min.js /tmp/jinhu-vendor/node_modules/axe-core/LICENSE static/vendor/axe/

clean:
	rm -rf $(VENV) var/*.sqlite3 var/test-results staticfiles
