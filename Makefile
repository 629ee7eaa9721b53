# Everyday commands. The virtualenv is .venv (created by `make venv` or scripts/test.sh).
# Windows has no make: run the commands of each target by hand (docs/install.md).

PYTHON ?= .venv/bin/python
PYINSTALLER ?= .venv/bin/pyinstaller

VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' assessor_app/__init__.py)
PKG := assessor-$(VERSION)-linux-$(shell uname -m)

.PHONY: help venv run test bundle bundle-check self-test install-linux tarball icons clean-bundle

help:
	@echo "make run            open the desktop app from the source tree"
	@echo "make test           install what the tests need and run the whole suite (scripts/test.sh)"
	@echo "make bundle         build the one-folder desktop bundle in dist/assessor (PyInstaller)"
	@echo "make bundle-check   build the bundle and run its --self-test (scripts/bundle-check.sh)"
	@echo "make self-test      run the self-test from the source tree"
	@echo "make install-linux  copy dist/assessor to ~/.local/opt and add the menu entry"
	@echo "make tarball        dist/$(PKG).tar.gz: the bundle + install script for an office"
	@echo "make icons          redraw resources/icons/*.png|ico|icns (scripts/make-icons.py)"

venv:
	test -x $(PYTHON) || python3 -m venv .venv
	$(PYTHON) -m pip install -q -e '.[dev]'

run:
	$(PYTHON) -m assessor_app

test:
	bash scripts/test.sh

self-test:
	$(PYTHON) -m assessor_app --self-test

bundle:
	test -x $(PYINSTALLER) || $(PYTHON) -m pip install -q -e '.[bundle]'
	$(PYINSTALLER) --noconfirm --clean --log-level WARN build.spec
	@du -sh dist/assessor

bundle-check:
	bash scripts/bundle-check.sh

install-linux:
	bash packaging/install-linux.sh

tarball:
	test -x dist/assessor/assessor || { echo "run 'make bundle' first"; exit 2; }
	rm -rf dist/pkg && mkdir -p dist/pkg/$(PKG)
	cp -a dist/assessor dist/pkg/$(PKG)/assessor
	cp packaging/install-linux.sh packaging/assessor.desktop dist/pkg/$(PKG)/
	tar -C dist/pkg -czf dist/$(PKG).tar.gz $(PKG)
	rm -rf dist/pkg
	@ls -la dist/$(PKG).tar.gz

icons:
	$(PYTHON) scripts/make-icons.py

clean-bundle:
	rm -rf build/build dist/assessor dist/Assessor.app dist/pkg dist/assessor-*.tar.gz
